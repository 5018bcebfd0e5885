// The Last Wills of a broker cluster's clients, in Redis hashes: one per broker node (client id →
// will) and one saying which node holds each client's will. aedes-persistence-redis keeps every
// will in one list that each CONNECT searches twice and each disconnect once from end to end
// (LREM), so a handshake cost more with every device connected — with 50,000 devices most of
// Redis's work in a reconnect storm — and its sweep for a dead node's wills reads only the first
// 10,000. Here each of those is one lookup, a sweep reads only dead nodes' hashes, and a device
// that reconnects on another node takes its will along: the dead node's sweep no longer announces
// it offline while it is online elsewhere.
import type { Redis } from "ioredis";

/** A will as aedes hands it over (the CONNECT's will, plus the ids aedes adds). */
export interface WillPacket {
  topic: string;
  payload: Buffer;
  qos: 0 | 1 | 2;
  retain: boolean;
  clientId?: string;
  brokerId?: string;
  [field: string]: unknown;
}

/** The four persistence calls aedes makes for wills (promise forms, as aedes 1.x calls them). */
export interface WillStore {
  putWill(client: { id: string }, packet: WillPacket): Promise<void>;
  getWill(client: { id: string }): Promise<WillPacket | null>;
  delWill(client: { id: string; brokerId?: string }): Promise<WillPacket | null>;
  /** Wills held by nodes that are not in `alive` (node id → last heartbeat). */
  streamWill(alive?: Record<string, number>): AsyncIterable<WillPacket>;
}

const PREFIX = "eldercare:mqtt:wills:";
const OWNER = "eldercare:mqtt:will-owner";
const SCAN_COUNT = 500;

const encode = (p: WillPacket) => JSON.stringify({ ...p, payload: Buffer.from(p.payload).toString("base64") });
const decode = (s: string): WillPacket => {
  const p = JSON.parse(s) as Record<string, unknown> & { payload: string };
  return { ...p, payload: Buffer.from(p.payload, "base64") } as WillPacket;
};

/** `nodeId()` is this broker node's id (aedes' `broker.id`), asked when a will is stored. */
export function redisWillStore(redis: Redis, nodeId: () => string): WillStore {
  /** Removes `clientId`'s will from `node` (whoever is named owner), returning it. */
  async function take(node: string, clientId: string): Promise<WillPacket | null> {
    const [[, stored], , [, owner]] = (await redis
      .multi()
      .hget(PREFIX + node, clientId)
      .hdel(PREFIX + node, clientId)
      .hget(OWNER, clientId)
      .exec())! as [[unknown, string | null], unknown, [unknown, string | null]];
    if (owner === node) await redis.hdel(OWNER, clientId);
    return stored === null ? null : decode(stored);
  }

  return {
    async putWill(client, packet) {
      const node = nodeId();
      const before = await redis.hget(OWNER, client.id);
      const tx = redis.multi();
      if (before !== null && before !== node) tx.hdel(PREFIX + before, client.id);
      await tx
        .hset(PREFIX + node, client.id, encode({ ...packet, clientId: client.id, brokerId: node }))
        .hset(OWNER, client.id, node)
        .exec();
    },

    async getWill(client) {
      const stored = await redis.hget(PREFIX + nodeId(), client.id);
      return stored === null ? null : decode(stored);
    },

    async delWill(client) {
      // aedes names the node when a session ends, not when a CONNECT clears an earlier will.
      const node = client.brokerId ?? (await redis.hget(OWNER, client.id));
      return node === null ? null : take(node, client.id);
    },

    async *streamWill(alive = {}) {
      let cursor = "0";
      do {
        const [next, keys] = await redis.scan(cursor, "MATCH", `${PREFIX}*`, "COUNT", SCAN_COUNT);
        cursor = next;
        for (const key of keys) {
          if (alive[key.slice(PREFIX.length)] !== undefined) continue;
          let at = "0";
          do {
            const [after, flat] = await redis.hscan(key, at, "COUNT", SCAN_COUNT);
            at = after;
            for (let i = 1; i < flat.length; i += 2) yield decode(flat[i]!);
          } while (at !== "0");
        }
      } while (cursor !== "0");
    },
  };
}
