// The simulated device's no-loss guarantee against the real broker: it resends the same eventId,
// with backoff, until the platform acknowledges that eventId — across a broker restart too.
// A small platform client (the service account) decides when to acknowledge. The resend clock
// is a fake one the test moves, so nothing here waits for a backoff to pass.
import { EventEmitter, once } from "node:events";
import FakeTimers from "@sinonjs/fake-timers";
import type { MqttClient } from "mqtt";
import pino from "pino";
import { afterEach, describe, expect, it } from "vitest";
import {
  DeviceEventSchema,
  parseDeviceTopic,
  topics,
  type DeviceAck,
  type DeviceEvent,
  type DeviceStatus,
} from "../../protocol/mqtt.ts";
import { SimDevice } from "../../device-sim/device.ts";
import { secretOf, SERVICE, testBrokers } from "../helpers/broker.ts";

const brokers = testBrokers();
const devices: SimDevice[] = [];
afterEach(async () => {
  await Promise.all(devices.splice(0).map((d) => d.close({ force: true })));
  await brokers.cleanup();
});

/**
 * A stand-in for the dispatcher: counts every copy of every event, acks when `decide` says so.
 * Emits "copy" (event, copy number) and "status" (deviceId, payload) as messages arrive, and
 * "subscribed" each time its subscriptions are in place (again after a broker restart).
 */
async function startPlatform(url: string, decide: (event: DeviceEvent, copy: number) => boolean) {
  const events = new EventEmitter();
  const copies = new Map<string, number>();
  const client: MqttClient = await brokers.connect(url, {
    ...SERVICE,
    clientId: "platform",
    clean: true,
    reconnectPeriod: 100,
  });
  const subscribe = () =>
    client.subscribeAsync([topics.allEvents, topics.allStatus], { qos: 1 }).then(
      () => events.emit("subscribed"),
      () => undefined,
    );
  client.on("connect", () => void subscribe());
  client.on("error", () => undefined);
  client.on("message", (topic, payload) => {
    const where = parseDeviceTopic(topic);
    if (!where) return;
    if (where.kind === "status") {
      events.emit("status", where.deviceId, JSON.parse(payload.toString()) as DeviceStatus);
      return;
    }
    const parsed = DeviceEventSchema.safeParse(JSON.parse(payload.toString()));
    if (!parsed.success) return;
    const n = (copies.get(parsed.data.eventId) ?? 0) + 1;
    copies.set(parsed.data.eventId, n);
    events.emit("copy", parsed.data, n);
    if (!decide(parsed.data, n)) return;
    const ack: DeviceAck = {
      eventId: parsed.data.eventId,
      status: "received",
      caseId: 7,
      at: new Date().toISOString(),
    };
    client.publish(topics.ack(where.deviceId), JSON.stringify(ack), { qos: 1 });
  });
  await subscribe();

  /** Resolves with the first `name` event from now on whose arguments `match` accepts. */
  function next<A extends unknown[]>(name: string, match: (...args: A) => boolean): Promise<A> {
    return new Promise((resolve) => {
      const listener = (...args: unknown[]) => {
        if (!match(...(args as A))) return;
        events.off(name, listener);
        resolve(args as A);
      };
      events.on(name, listener);
    });
  }
  return {
    client,
    copies,
    events,
    nextCopy: (match: (e: DeviceEvent, copy: number) => boolean) => next("copy", match),
    nextStatus: (match: (deviceId: string, s: DeviceStatus) => boolean) => next("status", match),
  };
}

function device(url: string, id: string, clock?: FakeTimers.Clock): SimDevice {
  const d = new SimDevice({
    brokerUrl: url,
    deviceId: id,
    secret: secretOf(id),
    heartbeatSeconds: 0,
    resend: { initialMs: 1000, maxMs: 8000 },
    ...(clock ? { resendTimers: clock } : {}),
    connectTimeoutMs: 5000,
    logger: pino({ level: "silent" }),
  });
  devices.push(d);
  return d;
}

describe("SimDevice resend", () => {
  it("resends the same eventId until the platform acks the third copy, then stops", async () => {
    const { url } = await brokers.start(["dev-1"]);
    const platform = await startPlatform(url, (e, copy) => e.eventId !== "dev-1-press-1" || copy >= 3);
    const clock = FakeTimers.createClock();
    const d = device(url, "dev-1", clock);
    await d.connect();
    const seen: DeviceAck[] = [];
    d.on("ack", (a: DeviceAck) => seen.push(a));

    // Garbage on the ack topic is ignored, not fatal (it arrives before the real ack: same topic, QoS 1).
    platform.client.publish(topics.ack("dev-1"), "not json", { qos: 1 });
    platform.client.publish(topics.ack("dev-1"), JSON.stringify({ eventId: "x", status: "bogus" }), {
      qos: 1,
    });

    const isCopy = (n: number) => (e: DeviceEvent, copy: number) =>
      e.eventId === "dev-1-press-1" && copy === n;
    const first = platform.nextCopy(isCopy(1));
    const pressed = d.press("sos", { eventId: "dev-1-press-1" });
    await first;
    expect(clock.countTimers()).toBe(1); // the resend is armed, not yet due

    const second = platform.nextCopy(isCopy(2));
    clock.next();
    await second;
    const third = platform.nextCopy(isCopy(3));
    clock.next();
    await third;

    const result = await pressed;
    expect(result).toMatchObject({ eventId: "dev-1-press-1", type: "sos", attempts: 3 });
    expect(result.ack).toMatchObject({ eventId: "dev-1-press-1", status: "received", caseId: 7 });
    expect(result.latencyMs).toBeGreaterThan(0);
    expect(result.ackedAt).toBeGreaterThanOrEqual(result.sentAt);
    expect(d.pending()).toBe(0);
    expect(seen).toHaveLength(1);
    expect(d.acks()).toHaveLength(1);

    // Once acked nothing is armed, and a minute later no copy has followed: a later press on the
    // same topic (delivered in order) arrives with the count still at three.
    expect(clock.countTimers()).toBe(0);
    clock.tick(60_000);
    const barrier = platform.nextCopy((e) => e.eventId === "dev-1-press-2");
    await d.press("sos", { eventId: "dev-1-press-2" });
    await barrier;
    expect(platform.copies.get("dev-1-press-1")).toBe(3);
  });

  it("keeps the press across a broker restart and delivers it once the platform is back", async () => {
    const first = await brokers.start(["dev-1"]);
    let restarted = false;
    const platform = await startPlatform(first.url, () => restarted);
    const clock = FakeTimers.createClock();
    const d = device(first.url, "dev-1", clock);
    await d.connect();

    const copied = platform.nextCopy(() => true);
    const pressed = d.press("fall");
    const [event] = await copied;
    expect(d.pending()).toBe(1);

    const offline = once(d, "offline");
    await first.broker.stop();
    await offline;
    expect(d.connected).toBe(false);

    const back = once(platform.events, "subscribed");
    const online = once(d, "online");
    await brokers.start(["dev-1"], { port: first.broker.port });
    restarted = true;
    await Promise.all([back, online]);
    // The device resends on reconnect; should that copy beat the platform's subscription, the
    // next scheduled resend carries it.
    clock.next();

    const result = await pressed;
    expect(result.eventId).toBe(event.eventId);
    expect(result.type).toBe("fall");
    expect(result.attempts).toBeGreaterThanOrEqual(2);
    expect(d.pending()).toBe(0);
    expect(d.results()).toHaveLength(1);
  });

  it("announces itself online and leaves a Last Will when the connection is cut", async () => {
    const { url } = await brokers.start(["dev-2"]);
    const platform = await startPlatform(url, () => true);
    const d = device(url, "dev-2");

    const online = platform.nextStatus((id, s) => id === "dev-2" && s.state === "online");
    await d.connect();
    await online;

    const will = platform.nextStatus((id, s) => id === "dev-2" && s.state === "offline");
    await d.close({ force: true });
    const [, status] = await will;
    expect(status).toEqual({ state: "offline" });
    await expect(d.press("sos")).rejects.toThrow(/closed/);
  });

  it("rejects a pending press on close but still counts it as pending", async () => {
    const { url } = await brokers.start(["dev-3"]);
    const d = device(url, "dev-3", FakeTimers.createClock());
    await d.connect();
    const pressed = d.press("sos");
    await d.close();
    await expect(pressed).rejects.toThrow(/closed before/);
    expect(d.pending()).toBe(1);
  });
});
