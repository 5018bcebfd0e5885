// Admission control on the real broker: device handshakes take turns; one that waited too long
// is answered "server unavailable" (CONNACK 3) and the simulated device comes back after its
// backoff; service users never wait.
import pino from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { hashDeviceSecret } from "../../broker/device-secret.ts";
import { SimDevice } from "../../device-sim/device.ts";
import { SERVICE, asDevice, secretOf, testBrokers } from "../helpers/broker.ts";
import { until } from "../helpers/wait.ts";

const { start, connect, cleanup } = testBrokers();
const devices: SimDevice[] = [];
afterEach(async () => {
  await Promise.all(devices.splice(0).map((d) => d.close()));
  await cleanup();
});

describe("connect gate", () => {
  it("a device that waits too long for its turn is told to come back, and gets in on its next attempt", async () => {
    const hash = hashDeviceSecret(secretOf("dev-b"));
    let releaseFirst: (() => void) | null = null;
    const { url, broker } = await start([], {
      connectGate: { maxInProgress: 1, maxWaitMs: 100 },
      lookupDevice: (id) => {
        const answer = { secretHash: id === "dev-a" ? hashDeviceSecret(secretOf("dev-a")) : hash };
        // dev-a's first lookup hangs, holding the only turn.
        if (id === "dev-a" && !releaseFirst) return new Promise((r) => (releaseFirst = () => r(answer)));
        return Promise.resolve(answer);
      },
    });
    const first = connect(url, asDevice("dev-a"));
    await until(() => releaseFirst !== null);

    // While dev-a holds the turn: a service user is let in at once, dev-b waits and is deferred.
    expect((await connect(url, { ...SERVICE, clientId: "svc" })).connected).toBe(true);
    await expect(connect(url, asDevice("dev-b"))).rejects.toMatchObject({ code: 3 });
    expect(broker.metrics()).toMatchObject({ connectsDeferred: 1, authFailures: 0 });

    // The simulator treats "server unavailable" as a reason to retry, not to give up.
    const retrying = new SimDevice({
      brokerUrl: url,
      deviceId: "dev-b",
      secret: secretOf("dev-b"),
      heartbeatSeconds: 0,
      reconnect: { initialMs: 100, maxMs: 200 },
      logger: pino({ level: "silent" }),
    });
    devices.push(retrying);
    const connecting = retrying.connect();
    await until(() => broker.metrics().connectsDeferred === 2);
    releaseFirst!();
    expect((await first).connected).toBe(true);
    await connecting;
    expect(retrying.connected).toBe(true);
    expect(retrying.connectAttempts).toBeGreaterThanOrEqual(2);
  });
});
