// The simulated device's no-loss guarantee against a plain aedes broker (no auth) and a tiny
// platform client that decides when to acknowledge.
import { createServer, type Server, type Socket } from "node:net";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { Aedes } from "aedes";
import mqtt, { type MqttClient } from "mqtt";
import pino from "pino";
import {
  DeviceEventSchema,
  parseDeviceTopic,
  topics,
  type DeviceAck,
  type DeviceEvent,
} from "../../protocol/mqtt.ts";
import { SimDevice } from "../../device-sim/device.ts";

interface RunningBroker {
  port: number;
  stop(): Promise<void>;
}

async function startBroker(port = 0): Promise<RunningBroker> {
  const aedes = await Aedes.createBroker();
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    aedes.handle(socket);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    stop: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await new Promise<void>((resolve) => aedes.close(() => resolve()));
    },
  };
}

/** A stand-in for the dispatcher: sees every event copy and acks when `decide` says so. */
function startPlatform(url: string, decide: (event: DeviceEvent, copy: number) => boolean) {
  const copies = new Map<string, number>();
  const client: MqttClient = mqtt.connect(url, { clientId: "platform", reconnectPeriod: 100, clean: true });
  const subscribed = new Promise<void>((resolve) => {
    client.on("connect", () => {
      void client.subscribeAsync([topics.allEvents, topics.allStatus], { qos: 1 }).then(
        () => resolve(),
        () => undefined,
      );
    });
  });
  const statuses: { deviceId: string; payload: unknown }[] = [];
  client.on("error", () => undefined);
  client.on("message", (topic, payload) => {
    const where = parseDeviceTopic(topic);
    if (!where) return;
    if (where.kind === "status") {
      statuses.push({ deviceId: where.deviceId, payload: JSON.parse(payload.toString()) });
      return;
    }
    const parsed = DeviceEventSchema.safeParse(JSON.parse(payload.toString()));
    if (!parsed.success) return;
    const n = (copies.get(parsed.data.eventId) ?? 0) + 1;
    copies.set(parsed.data.eventId, n);
    if (!decide(parsed.data, n)) return;
    const ack: DeviceAck = {
      eventId: parsed.data.eventId,
      status: "received",
      caseId: 7,
      at: new Date().toISOString(),
    };
    client.publish(topics.ack(where.deviceId), JSON.stringify(ack), { qos: 1 });
  });
  return { client, copies, statuses, subscribed };
}

const quiet = pino({ level: "silent" });
const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => undefined);
  cleanups.length = 0;
});

function device(port: number, id = "dev-1"): SimDevice {
  const d = new SimDevice({
    brokerUrl: `mqtt://127.0.0.1:${port}`,
    deviceId: id,
    secret: "unused",
    heartbeatSeconds: 0,
    resend: { initialMs: 100, maxMs: 400 },
    connectTimeoutMs: 5000,
    logger: quiet,
  });
  cleanups.push(() => d.close());
  return d;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("SimDevice resend", () => {
  it("resends the same eventId until the platform acks the third copy", async () => {
    const broker = await startBroker();
    cleanups.push(() => broker.stop());
    const platform = startPlatform(`mqtt://127.0.0.1:${broker.port}`, (_e, copy) => copy >= 3);
    cleanups.push(() => platform.client.endAsync(true));
    await platform.subscribed;

    const d = device(broker.port);
    await d.connect();
    const seen: DeviceAck[] = [];
    d.on("ack", (a: DeviceAck) => seen.push(a));

    // Garbage on the ack topic is ignored, not fatal.
    platform.client.publish(topics.ack("dev-1"), "not json", { qos: 1 });
    platform.client.publish(topics.ack("dev-1"), JSON.stringify({ eventId: "x", status: "bogus" }), {
      qos: 1,
    });

    const result = await d.press("sos", { eventId: "dev-1-press-1" });
    expect(result.eventId).toBe("dev-1-press-1");
    expect(result.type).toBe("sos");
    expect(result.attempts).toBe(3);
    expect(result.ack).toMatchObject({ eventId: "dev-1-press-1", status: "received", caseId: 7 });
    expect(result.latencyMs).toBeGreaterThan(0);
    expect(result.ackedAt).toBeGreaterThanOrEqual(result.sentAt);
    expect(d.pending()).toBe(0);
    expect(seen).toHaveLength(1);
    expect(d.acks()).toHaveLength(1);

    // Once acked the device stops resending.
    await sleep(600);
    expect(platform.copies.get("dev-1-press-1")).toBe(3);
  });

  it("keeps resending across a broker restart and loses nothing", async () => {
    let broker = await startBroker();
    const port = broker.port;
    cleanups.push(() => broker.stop());
    let restarted = false;
    const platform = startPlatform(`mqtt://127.0.0.1:${port}`, () => restarted);
    cleanups.push(() => platform.client.endAsync(true));
    await platform.subscribed;

    const d = device(port);
    await d.connect();
    const pressed = d.press("fall");
    const eventId = await new Promise<string>((resolve) => {
      const poll = setInterval(() => {
        const first = [...platform.copies.keys()][0];
        if (first) {
          clearInterval(poll);
          resolve(first);
        }
      }, 10);
    });
    expect(d.pending()).toBe(1);

    await broker.stop();
    await sleep(300);
    expect(d.connected).toBe(false);
    broker = await startBroker(port);
    restarted = true;

    const result = await pressed;
    expect(result.eventId).toBe(eventId);
    expect(result.type).toBe("fall");
    expect(result.attempts).toBeGreaterThanOrEqual(2);
    expect(d.pending()).toBe(0);
    expect(d.results()).toHaveLength(1);
  });

  it("announces itself online and leaves a Last Will when the connection is cut", async () => {
    const broker = await startBroker();
    cleanups.push(() => broker.stop());
    const platform = startPlatform(`mqtt://127.0.0.1:${broker.port}`, () => true);
    cleanups.push(() => platform.client.endAsync(true));
    await platform.subscribed;

    const d = device(broker.port, "dev-2");
    await d.connect();
    await sleep(100);
    expect(platform.statuses[0]).toMatchObject({ deviceId: "dev-2", payload: { state: "online" } });

    await d.close({ force: true });
    await sleep(200);
    expect(platform.statuses.at(-1)).toEqual({ deviceId: "dev-2", payload: { state: "offline" } });
    await expect(d.press("sos")).rejects.toThrow(/closed/);
  });

  it("rejects a pending press on close but still counts it as pending", async () => {
    const broker = await startBroker();
    cleanups.push(() => broker.stop());
    const d = device(broker.port, "dev-3");
    await d.connect();
    const pressed = d.press("sos");
    await d.close();
    await expect(pressed).rejects.toThrow(/closed before/);
    expect(d.pending()).toBe(1);
  });
});
