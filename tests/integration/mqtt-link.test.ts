// The dispatcher's own MQTT link against the real broker: at start a broker that does not answer
// is reported at once; a new leader taking over (with patience) keeps trying until its broker
// answers, but refused credentials fail at once either way. In-process (a single instance with its
// embedded broker) it hears real devices' events, statuses and wills, and its QoS 1 acks reach a
// device, also one whose persistent session was offline when the ack went out.
import pino from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { createMqttLink, type DeviceTraffic, type MqttLink } from "../../dispatcher/edge/mqtt-link.ts";
import { topics, type DeviceStatus } from "../../protocol/index.ts";
import { asDevice, eventPayload, SERVICE, testBrokers } from "../helpers/broker.ts";
import { freePort } from "../helpers/service-process.ts";
import { until } from "../helpers/wait.ts";

const { start, connect, cleanup } = testBrokers();
const links: MqttLink[] = [];
afterEach(async () => {
  await Promise.all(links.splice(0).map((l) => l.stop()));
  await cleanup();
});

/** A link whose warnings the test can read. */
function link(
  credentials = SERVICE,
  traffic: DeviceTraffic = { event: () => undefined, status: () => undefined },
) {
  const warnings: string[] = [];
  const logger = pino(
    { level: "warn" },
    { write: (line: string) => void warnings.push((JSON.parse(line) as { msg: string }).msg) },
  );
  const l = createMqttLink({ ...credentials, logger, reconnectMs: 100, connectTimeoutMs: 1000 });
  l.deliverTo(traffic);
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

describe("the dispatcher's session at the broker", () => {
  it("keeps the presses sent while the dispatcher was away, not the heartbeats", async () => {
    const { url } = await start(["dev-a"]);
    const heard: string[] = [];
    const traffic: DeviceTraffic = {
      event: (_id, payload) =>
        heard.push(`event ${(JSON.parse(payload.toString()) as { eventId: string }).eventId}`),
      status: (_id, status) => heard.push(`status ${status.state} ${status.battery ?? "-"}`),
    };
    const first = link(SERVICE, traffic).link;
    await first.start(url);
    await first.stop();
    const device = await connect(url, asDevice("dev-a"));
    await device.publishAsync(topics.events("dev-a"), eventPayload("while-away"), { qos: 1 });
    await device.publishAsync(topics.status("dev-a"), JSON.stringify({ state: "online" }), { qos: 1 });
    await link(SERVICE, traffic).link.start(url); // the same session (client id, clean: false)
    await until(() => heard.length === 1);
    // A live status now arrives: the one sent while away would have come before it.
    await device.publishAsync(topics.status("dev-a"), JSON.stringify({ state: "online", battery: 50 }), {
      qos: 1,
    });
    await until(() => heard.length === 2);
    expect(heard).toEqual(["event while-away", "status online 50"]);
  });
});

describe("the dispatcher's link in-process", () => {
  const ACK = { eventId: "e-1", status: "received", at: "2025-01-01T08:00:01+08:00" } as const;

  it("hears devices' events, statuses and wills, and drops a malformed status", async () => {
    const { broker, url } = await start(["dev-a", "dev-b"]);
    const events: { id: string; payload: string }[] = [];
    const statuses: { id: string; status: DeviceStatus }[] = [];
    const { link: l, warnings } = link(SERVICE, {
      event: (id, payload) => events.push({ id, payload: payload.toString() }),
      status: (id, status) => statuses.push({ id, status }),
    });
    await l.startInProcess(broker.local);
    expect(l.connected()).toBe(true);
    const willOf = (id: string) => ({
      topic: topics.status(id),
      payload: Buffer.from(JSON.stringify({ state: "offline" })),
      qos: 1 as const,
      retain: false,
    });
    const a = await connect(url, asDevice("dev-a", { will: willOf("dev-a") }));
    const b = await connect(url, asDevice("dev-b", { will: willOf("dev-b") }));
    await a.publishAsync(topics.events("dev-a"), eventPayload("e-1"), { qos: 1 });
    await a.publishAsync(topics.status("dev-a"), JSON.stringify({ state: "online", battery: 80 }), {
      qos: 1,
    });
    await a.publishAsync(topics.status("dev-a"), "{not json", { qos: 1 });
    b.stream.destroy(); // gone without DISCONNECT: the broker publishes its will
    await until(() => statuses.length === 2 && events.length === 1);
    expect(events).toEqual([{ id: "dev-a", payload: eventPayload("e-1") }]);
    expect(statuses).toEqual([
      { id: "dev-a", status: { state: "online", battery: 80 } },
      { id: "dev-b", status: { state: "offline" } },
    ]);
    expect(warnings).toContain("device status dropped");
    // It holds no connection of its own: only dev-a is connected.
    expect(broker.metrics().connectedClients).toBe(1);
  });

  it("acks a device at QoS 1, queued for a persistent session while the device is away", async () => {
    const { broker, url } = await start(["dev-a"]);
    const { link: l } = link();
    l.ackDevice("dev-a", ACK); // before the link is up: sent once it is
    await l.startInProcess(broker.local);
    const device = await connect(url, asDevice("dev-a", { clean: false }));
    await device.subscribeAsync(topics.ack("dev-a"), { qos: 1 });
    const first = new Promise<{ payload: string; qos: number }>((resolve) =>
      device.once("message", (_t, payload, packet) =>
        resolve({ payload: payload.toString(), qos: packet.qos }),
      ),
    );
    l.ackDevice("dev-a", { ...ACK, status: "assigned" });
    expect(await first).toEqual({ payload: JSON.stringify({ ...ACK, status: "assigned" }), qos: 1 });
    await device.endAsync();

    l.ackDevice("dev-a", { ...ACK, status: "arrived" }); // the device is away
    const back = await connect(url, asDevice("dev-a", { clean: false }));
    const queued = await new Promise<string>((resolve) =>
      back.once("message", (_t, payload) => resolve(payload.toString())),
    );
    expect(JSON.parse(queued)).toEqual({ ...ACK, status: "arrived" });
  });

  it("stops hearing devices once stopped", async () => {
    const { broker, url } = await start(["dev-a"]);
    const events: string[] = [];
    const { link: l } = link(SERVICE, { event: (id) => events.push(id), status: () => undefined });
    await l.startInProcess(broker.local);
    const a = await connect(url, asDevice("dev-a"));
    await a.publishAsync(topics.events("dev-a"), eventPayload("e-1"), { qos: 1 });
    await until(() => events.length === 1);
    await l.stop();
    expect(l.connected()).toBe(false);
    // A probe subscribed after the stop proves the second event was routed, not lost in transit.
    const probe = await connect(url, SERVICE);
    await probe.subscribeAsync(topics.allEvents, { qos: 1 });
    const routed = new Promise((resolve) => probe.once("message", resolve));
    await a.publishAsync(topics.events("dev-a"), eventPayload("e-2"), { qos: 1 });
    await routed;
    expect(events).toEqual(["dev-a"]);
  });
});
