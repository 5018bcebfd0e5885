// Device accounts across the nodes of one broker cluster (docs/scale-out.md): the platform changes
// a device on its own node, the device may be connected to another (a follower's or a broker
// process). Two real aedes nodes joined through a real Redis, real mqtt.js clients; the credential
// store is an in-memory map of hashed secrets both nodes read, as both read the Device table.
import type { MqttClient } from "mqtt";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { redisBrokerCluster } from "../../broker/cluster.ts";
import { hashDeviceSecret } from "../../broker/device-secret.ts";
import { asDevice, testBrokers } from "../helpers/broker.ts";
import { until } from "../helpers/wait.ts";
import { redisAvailable, startRedis, type RedisServer } from "../helpers/redis.ts";

const { start, connect, cleanup } = testBrokers();
afterEach(cleanup);

const closed = (client: MqttClient) => new Promise<void>((resolve) => client.once("close", () => resolve()));

describe.skipIf(!redisAvailable())("device accounts across broker nodes", () => {
  let redis: RedisServer;
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(() => redis?.stop());

  /** Two nodes of one cluster reading the same devices; `lookups` counts the other node's reads. */
  async function twoNodes(secrets: Record<string, string>) {
    const hashes = new Map(Object.entries(secrets).map(([id, s]) => [id, hashDeviceSecret(s)]));
    let lookups = 0;
    const node = (count: boolean) =>
      start([], {
        lookupDevice: (id: string) => {
          if (count) lookups++;
          const secretHash = hashes.get(id);
          return Promise.resolve(secretHash ? { secretHash } : null);
        },
        cluster: redisBrokerCluster(redis.url),
      });
    return { hashes, platform: await node(false), other: await node(true), lookups: () => lookups };
  }

  it("a new secret set on one node ends the session on another; there only the new secret opens one", async () => {
    const { hashes, platform, other } = await twoNodes({ "dev-a": "old-secret", "dev-b": "b-secret" });
    const device = await connect(other.url, asDevice("dev-a", { password: "old-secret" }));
    const bystander = await connect(other.url, asDevice("dev-b", { password: "b-secret" }));

    const ended = closed(device);
    hashes.set("dev-a", hashDeviceSecret("new-secret"));
    await platform.broker.accounts.provision("dev-a", "new-secret");
    await ended;
    await expect(connect(other.url, asDevice("dev-a", { password: "old-secret" }))).rejects.toMatchObject({
      code: 4,
    });
    expect((await connect(other.url, asDevice("dev-a", { password: "new-secret" }))).connected).toBe(true);
    expect(bystander.connected).toBe(true);
  });

  it("provisioning the secret a device already has keeps its session on the other node", async () => {
    const { platform, other, lookups } = await twoNodes({ "dev-a": "same-secret" });
    const device = await connect(other.url, asDevice("dev-a", { password: "same-secret" }));
    expect(lookups()).toBe(1);
    let ended = false;
    device.once("close", () => (ended = true));
    await platform.broker.accounts.provision("dev-a", "same-secret");
    // The other node heard it when it reads the device again; a round trip after that would
    // meet a session it had ended.
    await until(() => lookups() === 2);
    await device.publishAsync("eldercare/v1/devices/dev-a/status", '{"state":"online"}', { qos: 1 });
    expect(ended).toBe(false);
    expect(device.connected).toBe(true);
  });

  it("a device retired on one node is cut off on another and cannot come back there", async () => {
    const { hashes, platform, other } = await twoNodes({ "dev-a": "s-1" });
    const device = await connect(other.url, asDevice("dev-a", { password: "s-1" }));

    const ended = closed(device);
    hashes.delete("dev-a");
    await platform.broker.accounts.revoke("dev-a");
    await ended;
    await expect(connect(other.url, asDevice("dev-a", { password: "s-1" }))).rejects.toMatchObject({
      code: 4,
    });
  });
});
