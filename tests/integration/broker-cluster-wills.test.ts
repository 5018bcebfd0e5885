// Last Wills in a broker cluster (broker/cluster-wills.ts), on a real Redis: a device's will set at
// CONNECT on one node is heard on another when the device drops, and is gone after a clean
// DISCONNECT; the store keeps one will per device, follows a device that moved to another node,
// and hands a dead node's wills — all of them, past the old 10,000 — to the sweep, and no others.
import { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { redisBrokerCluster } from "../../broker/cluster.ts";
import { redisWillStore, type WillPacket, type WillStore } from "../../broker/cluster-wills.ts";
import { topics } from "../../protocol/index.ts";
import { asDevice, SERVICE, testBrokers } from "../helpers/broker.ts";
import { redisAvailable, startRedis, type RedisServer } from "../helpers/redis.ts";
import { until } from "../helpers/wait.ts";

const { start, connect, cleanup } = testBrokers();
afterEach(cleanup);

const OFFLINE = JSON.stringify({ state: "offline" });
const willOf = (id: string) => ({
  topic: topics.status(id),
  payload: Buffer.from(OFFLINE),
  qos: 1 as const,
  retain: false,
});

describe.skipIf(!redisAvailable())("Last Wills across broker nodes", () => {
  let redis: RedisServer;
  let db: Redis;
  beforeAll(async () => {
    redis = await startRedis();
    db = new Redis(redis.url);
  });
  afterAll(async () => {
    db?.disconnect();
    await redis?.stop();
  });
  afterEach(() => db.flushall());

  const willKeys = () => db.keys("eldercare:mqtt:wills:*");
  const storedWills = async () => {
    let n = 0;
    for (const key of await willKeys()) n += await db.hlen(key);
    return n;
  };

  it("a device's will is published to a subscriber on another node when it drops, and is then gone", async () => {
    const node = () => start(["dev-a", "dev-b"], { cluster: redisBrokerCluster(redis.url) });
    const a = await node();
    const b = await node();
    const platform = await connect(a.url, SERVICE);
    await platform.subscribeAsync(topics.allStatus, { qos: 1 });
    const heard: string[] = [];
    platform.on("message", (topic) => heard.push(topic));

    const dropping = await connect(b.url, asDevice("dev-a", { will: willOf("dev-a") }));
    const leaving = await connect(b.url, asDevice("dev-b", { will: willOf("dev-b") }));
    await until(async () => (await storedWills()) === 2);
    dropping.stream.destroy(); // no DISCONNECT: the will goes out
    await leaving.endAsync(); // a clean DISCONNECT: no will, and it is deleted
    await until(() => heard.length === 1);
    expect(heard).toEqual([topics.status("dev-a")]);
    await until(async () => (await storedWills()) === 0);
  });

  describe("the store", () => {
    let node = "node-1";
    let store: WillStore;
    beforeAll(() => {
      store = redisWillStore(db, () => node);
    });
    const will = (id: string): WillPacket => ({ ...willOf(id), clientId: id });
    const all = async (alive: Record<string, number>) => {
      const out: WillPacket[] = [];
      for await (const w of store.streamWill(alive)) out.push(w);
      return out;
    };

    it("keeps one will per device, and moves it with a device that reconnects on another node", async () => {
      node = "node-1";
      await store.putWill({ id: "dev-a" }, will("dev-a"));
      await store.putWill({ id: "dev-a" }, will("dev-a")); // a second CONNECT on the same node
      expect(await storedWills()).toBe(1);
      const got = await store.getWill({ id: "dev-a" });
      expect(got).toMatchObject({ topic: topics.status("dev-a"), qos: 1, retain: false, brokerId: "node-1" });
      expect(got!.payload.toString()).toBe(OFFLINE);

      // node-1 died; the device comes back on node-2. A CONNECT clears the earlier will without
      // saying where it was (aedes passes the client only), then stores the new one.
      node = "node-2";
      expect(await store.delWill({ id: "dev-a" })).toMatchObject({ brokerId: "node-1" });
      await store.putWill({ id: "dev-a" }, will("dev-a"));
      // node-1's sweep (run by a live node) finds nothing to announce for it.
      expect(await all({ "node-2": Date.now() })).toEqual([]);
      expect((await all({})).map((w) => w.brokerId)).toEqual(["node-2"]);

      // Even without the clearing delete, a put on another node takes the will over.
      node = "node-3";
      await store.putWill({ id: "dev-a" }, will("dev-a"));
      expect((await all({})).map((w) => w.brokerId)).toEqual(["node-3"]);
      // The end of a session names its node; another node's will is left alone.
      expect(await store.delWill({ id: "dev-a", brokerId: "node-2" })).toBeNull();
      expect(await store.delWill({ id: "dev-a", brokerId: "node-3" })).toMatchObject({ clientId: "dev-a" });
      expect(await storedWills()).toBe(0);
      expect(await db.hlen("eldercare:mqtt:will-owner")).toBe(0);
    });

    it("hands a dead node's wills to the sweep, every one of 12,000, and none of a live node's", async () => {
      const ids = Array.from({ length: 12_000 }, (_, i) => `dev-${i}`);
      node = "dead";
      await Promise.all(ids.map((id) => store.putWill({ id }, will(id))));
      node = "alive";
      await Promise.all(["x-1", "x-2"].map((id) => store.putWill({ id }, will(id))));
      const swept = await all({ alive: Date.now() });
      expect(swept).toHaveLength(12_000);
      expect(new Set(swept.map((w) => w.clientId))).toEqual(new Set(ids));
      expect(swept.every((w) => w.brokerId === "dead")).toBe(true);
    });
  });
});
