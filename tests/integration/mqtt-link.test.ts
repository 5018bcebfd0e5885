// The dispatcher's own MQTT link against the real broker: at start a broker that does not answer
// is reported at once; a new leader taking over (with patience) keeps trying until its broker
// answers, but refused credentials fail at once either way.
import pino from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { createMqttLink, type MqttLink } from "../../dispatcher/edge/mqtt-link.ts";
import { SERVICE, testBrokers } from "../helpers/broker.ts";
import { freePort } from "../helpers/service-process.ts";
import { until } from "../helpers/wait.ts";

const { start, cleanup } = testBrokers();
const links: MqttLink[] = [];
afterEach(async () => {
  await Promise.all(links.splice(0).map((l) => l.stop()));
  await cleanup();
});

/** A link whose warnings the test can read. */
function link(credentials = SERVICE) {
  const warnings: string[] = [];
  const logger = pino(
    { level: "warn" },
    { write: (line: string) => void warnings.push((JSON.parse(line) as { msg: string }).msg) },
  );
  const l = createMqttLink({ ...credentials, logger, reconnectMs: 100, connectTimeoutMs: 1000 });
  l.deliverTo({ event: () => undefined, status: () => undefined });
  links.push(l);
  return { link: l, warnings };
}

describe("the dispatcher's MQTT link", () => {
  it("without patience, a broker that is not there fails the start at once", async () => {
    const port = await freePort();
    await expect(link().link.start(`mqtt://127.0.0.1:${port}`)).rejects.toThrow(/cannot connect/);
  });

  it("with patience, it keeps trying and is up once the broker answers", async () => {
    const port = await freePort();
    const { link: l, warnings } = link();
    const up = l.start(`mqtt://127.0.0.1:${port}`, 60_000);
    await until(() => warnings.includes("mqtt link: not connected yet, trying again"));
    expect(l.connected()).toBe(false);
    await start([], { port });
    await up;
    expect(l.connected()).toBe(true);
  });

  it("with patience, refused credentials still fail at once", async () => {
    const { url } = await start([]);
    const { link: l } = link({ username: SERVICE.username, password: "wrong-password" });
    const since = Date.now();
    await expect(l.start(url, 60_000)).rejects.toThrow(/cannot connect/);
    expect(Date.now() - since).toBeLessThan(30_000); // not after the patience ran out
  });
});
