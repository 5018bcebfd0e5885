// Flow control on the real aedes broker: when a subscriber stops taking messages, the devices
// publishing to it are held back (TCP pushes back on them) instead of the broker queueing
// without bound; when it reads again, every message arrives and the devices carry on.
import type { Socket } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { FrameMeter, PACKET_TYPE_PUBLISH } from "../../broker/frame-meter.ts";
import { topics } from "../../protocol/mqtt.ts";
import { SERVICE, asDevice, testBrokers } from "../helpers/broker.ts";
import { until } from "../helpers/wait.ts";

const { start, connect, cleanup } = testBrokers();
afterEach(cleanup);

const DEVICES = ["dev-0001", "dev-0002", "dev-0003", "dev-0004"];
const PER_DEVICE = 2500;
// Near the device payload limit, so the subscriber's socket buffers fill after a few MB.
const PAYLOAD = JSON.stringify({ state: "online", note: "x".repeat(900) });

describe("flow control", () => {
  it("a subscriber that stops reading holds the publishing devices back; nothing is lost", async () => {
    const { url, broker } = await start(DEVICES, { flow: { perTurn: 1000, high: 50, low: 10 } });
    const subscriber = await connect(url, { ...SERVICE, clientId: "slow-subscriber", keepalive: 0 });
    await subscriber.subscribeAsync(topics.allStatus, { qos: 1 });
    // From here on nobody reads the subscriber's socket: the kernel buffers fill, then the broker's.
    const socket = subscriber.stream as Socket;
    socket.unpipe();
    socket.pause();

    const devices = await Promise.all(DEVICES.map((id) => connect(url, asDevice(id))));
    let published = 0;
    const publishing = Promise.all(
      devices.map(async (d, i) => {
        for (let n = 0; n < PER_DEVICE; n++) {
          await d.publishAsync(topics.status(DEVICES[i]!), PAYLOAD, { qos: 1 });
          published++;
        }
      }),
    );
    await until(() => broker.metrics().heldPublishes > 0, 10_000);
    const heldAt = published;
    expect(heldAt).toBeLessThan(DEVICES.length * PER_DEVICE);

    // The subscriber reads again: every message the devices sent reaches it.
    let received = 0;
    const meter = new FrameMeter({ onFrame: (type) => void (type === PACKET_TYPE_PUBLISH && received++) });
    socket.on("data", (chunk: Buffer) => meter.feed(chunk));
    socket.resume();
    await publishing;
    await until(() => received === DEVICES.length * PER_DEVICE, 20_000);
    expect(broker.metrics()).toMatchObject({ heldPublishes: 0 });
    expect(broker.metrics().publishesHeld).toBeGreaterThan(0);
  });
});

describe("flow control per turn of the event loop", () => {
  it("publishes beyond the turn's share wait for a later turn, and all of them arrive", async () => {
    const { url, broker } = await start(DEVICES, { flow: { perTurn: 1, high: 1000, low: 500 } });
    const subscriber = await connect(url, { ...SERVICE, clientId: "subscriber" });
    let received = 0;
    subscriber.on("message", () => void received++);
    await subscriber.subscribeAsync(topics.allStatus, { qos: 1 });
    const devices = await Promise.all(DEVICES.map((id) => connect(url, asDevice(id))));
    // 20 publishes per device sent without waiting: they reach the broker in a few reads.
    await Promise.all(
      devices.flatMap((d, i) =>
        Array.from({ length: 20 }, () =>
          d.publishAsync(topics.status(DEVICES[i]!), '{"state":"online"}', { qos: 1 }),
        ),
      ),
    );
    await until(() => received === DEVICES.length * 20, 10_000);
    expect(broker.metrics().publishesHeld).toBeGreaterThan(0);
    expect(broker.metrics().heldPublishes).toBe(0);
  });
});
