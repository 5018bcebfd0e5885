// Device accounts on the embedded broker: what the device register's calls change, at once,
// for real mqtt.js clients. The credential store is an in-memory map of hashed secrets (the
// database seam); the broker caches its answers, which is exactly what provision/revoke undo.
import { afterEach, describe, expect, it } from "vitest";
import mqtt, { type MqttClient } from "mqtt";
import { hashDeviceSecret } from "../../broker/device-secret.ts";
import { topics } from "../../protocol/mqtt.ts";
import { SERVICE, asDevice, testBrokers } from "../helpers/broker.ts";
import { until } from "../helpers/wait.ts";

const { start, connect, track, cleanup } = testBrokers();
afterEach(cleanup);

/** The platform's Device table, as the broker reads it. */
function store(initial: Record<string, string> = {}) {
  const hashes = new Map(Object.entries(initial).map(([id, secret]) => [id, hashDeviceSecret(secret)]));
  return {
    hashes,
    lookupDevice: (id: string) => {
      const secretHash = hashes.get(id);
      return Promise.resolve(secretHash ? { secretHash } : null);
    },
  };
}

const closed = (client: MqttClient) => new Promise<void>((resolve) => client.once("close", () => resolve()));

describe("embedded device accounts", () => {
  it("a device registered a moment after its unknown id was refused is let in at once", async () => {
    const db = store();
    const { url, broker } = await start([], { lookupDevice: db.lookupDevice });
    await expect(connect(url, asDevice("dev-new", { password: "s-1" }))).rejects.toMatchObject({ code: 4 });

    db.hashes.set("dev-new", hashDeviceSecret("s-1"));
    await broker.accounts.provision("dev-new", "s-1");
    const device = await connect(url, asDevice("dev-new", { password: "s-1" }));
    expect(device.connected).toBe(true);
  });

  it("a new secret ends the session that proved the old one; only the new secret opens a new one", async () => {
    const db = store({ "dev-a": "old-secret" });
    const { url, broker } = await start([], { lookupDevice: db.lookupDevice });
    const svc = await connect(url, { ...SERVICE, clientId: "svc" });
    const statuses: string[] = [];
    svc.on("message", (_t, payload) => statuses.push(payload.toString()));
    await svc.subscribeAsync(topics.allStatus, { qos: 1 });
    const device = await connect(
      url,
      asDevice("dev-a", {
        password: "old-secret",
        will: {
          topic: topics.status("dev-a"),
          payload: Buffer.from('{"state":"offline"}'),
          qos: 1,
          retain: false,
        },
      }),
    );

    const ended = closed(device);
    db.hashes.set("dev-a", hashDeviceSecret("new-secret"));
    await broker.accounts.provision("dev-a", "new-secret");
    await ended;
    await expect(connect(url, asDevice("dev-a", { password: "old-secret" }))).rejects.toMatchObject({
      code: 4,
    });
    expect((await connect(url, asDevice("dev-a", { password: "new-secret" }))).connected).toBe(true);
    // The session was cut, not closed by the device: its Last Will told the platform.
    await svc.publishAsync("probe/after", "x", { qos: 1 });
    expect(statuses).toContain('{"state":"offline"}');
  });

  it("provisioning the secret a device already uses keeps its session", async () => {
    const db = store({ "dev-a": "same" });
    const { url, broker } = await start([], { lookupDevice: db.lookupDevice });
    const device = await connect(url, asDevice("dev-a", { password: "same" }));
    db.hashes.set("dev-a", hashDeviceSecret("same")); // a new salt, the same secret
    await broker.accounts.provision("dev-a", "same");
    // A QoS 1 round trip after the call: a closed session would never acknowledge it.
    await device.publishAsync(topics.status("dev-a"), '{"state":"online"}', { qos: 1 });
    expect(device.connected).toBe(true);
  });

  it("a retired device's live session ends at once and it cannot come back", async () => {
    const db = store({ "dev-a": "s", "dev-b": "s" });
    const { url, broker } = await start([], { lookupDevice: db.lookupDevice });
    const retired = await connect(url, asDevice("dev-a", { password: "s" }));
    const other = await connect(url, asDevice("dev-b", { password: "s" }));

    const ended = closed(retired);
    db.hashes.delete("dev-a");
    await broker.accounts.revoke("dev-a");
    await ended;
    await expect(connect(url, asDevice("dev-a", { password: "s" }))).rejects.toMatchObject({ code: 4 });
    await other.publishAsync(topics.status("dev-b"), '{"state":"online"}', { qos: 1 });
    expect(other.connected).toBe(true);
    await broker.accounts.revoke("dev-a"); // idempotent
  });

  it("a connect whose lookup was under way when the secret changed is ended when it registers", async () => {
    const db = store({ "dev-a": "old-secret" });
    let release: (() => void) | null = null;
    let gated = true;
    const { url, broker } = await start([], {
      lookupDevice: (id) => {
        const answer = db.lookupDevice(id); // read now: the answer from before the change
        if (!gated) return answer;
        gated = false;
        return new Promise((resolve) => (release = () => resolve(answer)));
      },
    });
    const stale = track(mqtt.connect(url, asDevice("dev-a", { password: "old-secret", reconnectPeriod: 0 })));
    const ended = closed(stale);
    await until(() => release !== null, 3000);

    db.hashes.set("dev-a", hashDeviceSecret("new-secret"));
    await broker.accounts.provision("dev-a", "new-secret");
    release!();
    await ended;
    // It did authenticate with the answer from before the change, and was ended on registering.
    expect(broker.metrics()).toMatchObject({ connects: 1, connectedClients: 0 });
    await expect(connect(url, asDevice("dev-a", { password: "old-secret" }))).rejects.toMatchObject({
      code: 4,
    });
  });
});
