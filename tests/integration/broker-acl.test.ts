// The ACL and limits of the real aedes broker, seen from real mqtt.js clients: what a device
// may publish and subscribe, what happens to what it may not, Last Wills, payload sizes.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { IClientOptions, MqttClient } from "mqtt";
import type { RunningBroker } from "../../broker/broker.ts";
import { MAX_DEVICE_PAYLOAD_BYTES, topics } from "../../protocol/mqtt.ts";
import { SERVICE, asDevice, eventPayload, testBrokers } from "../helpers/broker.ts";
import { until } from "../helpers/wait.ts";

const DEVICES = ["dev-a", "dev-b", "dev-c"];
const brokers = testBrokers();

let broker: RunningBroker;
let url: string;

beforeEach(async () => {
  ({ broker, url } = await brokers.start(DEVICES));
});

afterEach(() => brokers.cleanup());

const connect = (opts: IClientOptions) => brokers.connect(url, opts);
const device = (id: string, opts: IClientOptions = {}) => connect(asDevice(id, opts));
const service = (clientId = "test-dispatcher") => connect({ ...SERVICE, clientId });

/** Records every message a client receives. */
function inbox(client: MqttClient) {
  const messages: { topic: string; payload: string; retain: boolean }[] = [];
  client.on("message", (topic, payload, packet) =>
    messages.push({ topic, payload: payload.toString(), retain: packet.retain }),
  );
  return {
    messages,
    /** Resolves with the first message on `topic` (already received or still to come). */
    next(topic: string, timeoutMs = 3000) {
      return new Promise<{ topic: string; payload: string }>((resolve, reject) => {
        const found = messages.find((m) => m.topic === topic);
        if (found) return resolve(found);
        const timer = setTimeout(() => reject(new Error(`no message on ${topic}`)), timeoutMs);
        client.on("message", function onMessage(t, payload) {
          if (t !== topic) return;
          clearTimeout(timer);
          client.off("message", onMessage);
          resolve({ topic: t, payload: payload.toString() });
        });
      });
    },
  };
}

describe("device publish ACL", () => {
  it("a device cannot publish to another device's events topic; the platform never sees it", async () => {
    const svc = await service();
    const seen = inbox(svc);
    await svc.subscribeAsync(["#", topics.allEvents], { qos: 1 });
    const a = await device("dev-a");

    // Denied publishes are acknowledged and dropped [MQTT-3.3.5-2]; the connection stays.
    await a.publishAsync(topics.events("dev-b"), eventPayload("forged"), { qos: 1 });
    await a.publishAsync(topics.ack("dev-a"), "{}", { qos: 1 });
    await a.publishAsync("anything/else", "x", { qos: 0 });
    await a.publishAsync(topics.events("dev-a"), eventPayload("real"), { qos: 1 });

    // Same publisher, in order: once its own event has arrived, the forged ones would have too.
    expect((await seen.next(topics.events("dev-a"))).payload).toContain('"real"');
    expect(seen.messages.map((m) => m.topic)).toEqual([topics.events("dev-a")]);
    expect(a.connected).toBe(true);
    expect(broker.metrics()).toMatchObject({ aclDenials: 3, publishesIn: 4 });
  });

  it("nothing a device publishes is retained, however the flag is set", async () => {
    const svc = await service();
    const live = inbox(svc);
    await svc.subscribeAsync([topics.allEvents, topics.allStatus], { qos: 1 });
    const a = await device("dev-a", {
      will: {
        topic: topics.status("dev-a"),
        payload: Buffer.from('{"state":"offline"}'),
        qos: 1,
        retain: true,
      },
    });
    await a.publishAsync(topics.events("dev-a"), eventPayload("e1"), { qos: 1, retain: true });
    await a.publishAsync(topics.status("dev-a"), '{"state":"online","battery":80}', { qos: 1, retain: true });
    a.stream.destroy(); // its Last Will asked to be retained too
    await live.next(topics.status("dev-a"));
    await until(() => live.messages.length === 3);
    // Subscribers present at the time get ordinary messages [MQTT-3.3.1-9] …
    expect(live.messages.map((m) => [m.topic, m.retain])).toEqual([
      [topics.events("dev-a"), false],
      [topics.status("dev-a"), false],
      [topics.status("dev-a"), false],
    ]);
    expect(JSON.parse(live.messages[2]!.payload)).toEqual({ state: "offline" });

    // … and nothing was stored for later ones. A service user may still retain: its marker,
    // stored after the device's messages, comes out of the same retained lookup.
    await svc.publishAsync(topics.status("dev-c"), '{"state":"online"}', { qos: 1, retain: true });
    const late = await service("late-subscriber");
    const replay = inbox(late);
    await late.subscribeAsync([topics.allEvents, topics.allStatus], { qos: 1 });
    await replay.next(topics.status("dev-c"));
    expect(replay.messages.map((m) => [m.topic, m.retain])).toEqual([[topics.status("dev-c"), true]]);
  });

  it("a retained message cleared with an empty payload is replayed no more [MQTT-3.3.1-10]", async () => {
    const svc = await service();
    await svc.publishAsync(topics.status("dev-a"), '{"state":"online"}', { qos: 1, retain: true });
    await svc.publishAsync(topics.status("dev-b"), '{"state":"online"}', { qos: 1, retain: true });
    await svc.publishAsync(topics.status("dev-a"), "", { qos: 1, retain: true });
    const late = await service("late-subscriber");
    const replay = inbox(late);
    await late.subscribeAsync(topics.allStatus, { qos: 1 });
    // The store replays in the order topics were first retained: dev-a's would come before dev-b's.
    await replay.next(topics.status("dev-b"));
    expect(replay.messages.map((m) => m.topic)).toEqual([topics.status("dev-b")]);

    await svc.publishAsync(topics.status("dev-b"), "", { qos: 1, retain: true });
    const later = await service("later-subscriber");
    const none = inbox(later);
    await later.subscribeAsync(topics.allStatus, { qos: 1 });
    // With the store empty again, a live message is the first and only one the subscriber gets.
    await svc.publishAsync(topics.status("dev-c"), '{"state":"online"}', { qos: 1 });
    await none.next(topics.status("dev-c"));
    expect(none.messages.map((m) => [m.topic, m.retain])).toEqual([[topics.status("dev-c"), false]]);
  });
});

describe("device subscribe ACL", () => {
  it("a device cannot subscribe to another device's ack topic or to wildcards", async () => {
    const a = await device("dev-a");
    const seen = inbox(a);
    for (const filter of [topics.ack("dev-b"), "eldercare/v1/devices/+/ack", "#", topics.events("dev-a")]) {
      await expect(a.subscribeAsync(filter, { qos: 1 })).rejects.toMatchObject({
        packet: { granted: [0x80] },
      });
    }
    await a.subscribeAsync(topics.ack("dev-a"), { qos: 1 });

    const svc = await service();
    await svc.publishAsync(topics.ack("dev-b"), "for b", { qos: 1 });
    await svc.publishAsync(topics.ack("dev-a"), "for a", { qos: 1 });
    expect((await seen.next(topics.ack("dev-a"))).payload).toBe("for a");
    expect(seen.messages.map((m) => m.topic)).toEqual([topics.ack("dev-a")]);
    expect(a.connected).toBe(true);
    expect(broker.metrics().aclDenials).toBe(4);
  });

  it("nobody, not even a service user, can listen to the drop sink", async () => {
    const svc = await service();
    await expect(svc.subscribeAsync("$eldercare/#", { qos: 0 })).rejects.toMatchObject({
      packet: { granted: [0x80] },
    });
  });
});

describe("service user and device together", () => {
  it("the service receives device events and its ack reaches only that device", async () => {
    const svc = await service();
    const svcSeen = inbox(svc);
    await svc.subscribeAsync([topics.allEvents, topics.allStatus], { qos: 1 });
    const a = await device("dev-a", { clean: false });
    const b = await device("dev-b");
    const aSeen = inbox(a);
    const bSeen = inbox(b);
    await a.subscribeAsync(topics.ack("dev-a"), { qos: 1 });
    await b.subscribeAsync(topics.ack("dev-b"), { qos: 1 });

    await a.publishAsync(topics.events("dev-a"), eventPayload("e-42"), { qos: 1 });
    expect(JSON.parse((await svcSeen.next(topics.events("dev-a"))).payload)).toMatchObject({
      eventId: "e-42",
    });

    await svc.publishAsync(topics.ack("dev-a"), JSON.stringify({ eventId: "e-42", status: "received" }), {
      qos: 1,
    });
    expect(JSON.parse((await aSeen.next(topics.ack("dev-a"))).payload)).toMatchObject({ status: "received" });
    await b.publishAsync(topics.status("dev-b"), '{"state":"online"}', { qos: 1 });
    await svcSeen.next(topics.status("dev-b"));
    expect(bSeen.messages).toEqual([]);
  });
});

describe("Last Will", () => {
  it("a will on the device's own status topic is published when it drops; a foreign one is removed", async () => {
    const svc = await service();
    const seen = inbox(svc);
    await svc.subscribeAsync(topics.allStatus, { qos: 1 });
    const offline = '{"state":"offline"}';
    const a = await device("dev-a", {
      will: { topic: topics.status("dev-b"), payload: Buffer.from(offline), qos: 1, retain: true },
    });
    const c = await device("dev-c", {
      will: { topic: topics.status("dev-c"), payload: Buffer.from(offline), qos: 1, retain: true },
    });

    // Abrupt loss of both connections (no DISCONNECT), dev-a first.
    a.stream.destroy();
    await until(() => broker.metrics().connectedClients === 2);
    c.stream.destroy();
    expect((await seen.next(topics.status("dev-c"))).payload).toBe(offline);
    expect(seen.messages.map((m) => m.topic)).toEqual([topics.status("dev-c")]);
    expect(broker.metrics().aclDenials).toBe(1);
  });
});

describe("payload limits", () => {
  it("an oversized event is acknowledged and passed on shortened to what identifies it; the device stays connected", async () => {
    const svc = await service();
    const seen = inbox(svc);
    await svc.subscribeAsync(topics.allEvents, { qos: 1 });
    const a = await device("dev-a");
    const big = JSON.stringify({
      eventId: "big-1",
      type: "sos",
      at: "2026-01-01T08:00:00+08:00",
      pad: "x".repeat(5000),
    });
    await a.publishAsync(topics.events("dev-a"), big, { qos: 1 });
    await a.publishAsync(topics.status("dev-a"), "y".repeat(MAX_DEVICE_PAYLOAD_BYTES + 1), { qos: 1 });
    await a.publishAsync(topics.events("dev-a"), eventPayload("small"), { qos: 1 });
    await until(() => seen.messages.length === 2);
    expect(JSON.parse(seen.messages[0]!.payload)).toEqual({
      $oversized: Buffer.byteLength(big),
      eventId: "big-1",
      type: "sos",
      at: "2026-01-01T08:00:00+08:00",
    });
    expect(seen.messages[1]!.payload).toContain("small");
    expect(a.connected).toBe(true);
    expect(broker.metrics().oversizedDropped).toBe(2); // the status one is dropped outright
  });

  it("an oversized event that is not even JSON still names its eventId when it can be found", async () => {
    const svc = await service();
    const seen = inbox(svc);
    await svc.subscribeAsync(topics.allEvents, { qos: 1 });
    const a = await device("dev-a");
    await a.publishAsync(
      topics.events("dev-a"),
      `{"eventId":"cut-1","type":"fall","pad":"${"z".repeat(3000)}`,
      {
        qos: 1,
      },
    );
    expect(JSON.parse((await seen.next(topics.events("dev-a"))).payload)).toMatchObject({
      eventId: "cut-1",
      type: "fall",
    });
  });

  it("a 200 KiB publish is answered, not disconnected, and the device's next press gets through", async () => {
    const svc = await service();
    const seen = inbox(svc);
    await svc.subscribeAsync(topics.allEvents, { qos: 1 });
    const a = await device("dev-a");
    await a.publishAsync(topics.events("dev-a"), Buffer.alloc(200 * 1024, 1), { qos: 1 }); // PUBACK arrives
    await a.publishAsync(topics.events("dev-a"), eventPayload("after-big"), { qos: 1 });
    await until(() => seen.messages.some((m) => m.payload.includes("after-big")));
    expect(a.connected).toBe(true);
    expect(broker.metrics().connects).toBe(2);
  });

  it("a topic aedes refuses (over 100 levels, a wildcard) is acknowledged and dropped, not disconnected", async () => {
    const svc = await service();
    const seen = inbox(svc);
    await svc.subscribeAsync(["#", topics.allEvents], { qos: 1 });
    const a = await device("dev-a");
    await a.publishAsync(Array.from({ length: 120 }, () => "x").join("/"), "deep", { qos: 1 });
    await a.publishAsync("eldercare/v1/devices/+/events", "wild", { qos: 1 });
    await a.publishAsync(topics.events("dev-a"), eventPayload("after-deep"), { qos: 1 });
    expect((await seen.next(topics.events("dev-a"))).payload).toContain("after-deep");
    expect(seen.messages.map((m) => m.topic)).toEqual([topics.events("dev-a")]);
    expect(a.connected).toBe(true);
    expect(broker.metrics()).toMatchObject({ invalidTopics: 2, connects: 2 });
  });

  it("service users are exempt from the device payload limit", async () => {
    const a = await device("dev-a");
    const seen = inbox(a);
    await a.subscribeAsync(topics.ack("dev-a"), { qos: 1 });
    const svc = await service();
    const big = "y".repeat(MAX_DEVICE_PAYLOAD_BYTES * 4);
    await svc.publishAsync(topics.ack("dev-a"), big, { qos: 1 });
    expect((await seen.next(topics.ack("dev-a"))).payload).toBe(big);
  });

  it("a packet over the 1 MiB frame limit closes the connection before it is buffered; the broker carries on", async () => {
    const svc = await service();
    const seen = inbox(svc);
    await svc.subscribeAsync(topics.allEvents, { qos: 1 });
    const a = await device("dev-a");
    const closed = new Promise<void>((resolve) => a.once("close", () => resolve()));
    a.publish(topics.events("dev-a"), Buffer.alloc(2 * 1024 * 1024, 1), { qos: 0 });
    await closed;
    await until(() => broker.metrics().connectedClients === 1);
    expect(broker.metrics().oversizedDropped).toBe(1);

    const b = await device("dev-b");
    await b.publishAsync(topics.events("dev-b"), eventPayload("after"), { qos: 1 });
    await seen.next(topics.events("dev-b"));
    expect(seen.messages.map((m) => m.topic)).toEqual([topics.events("dev-b")]);
  });
});
