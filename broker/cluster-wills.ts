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

const encode = (p: WillPacket) =>
  JSON.stringify({ ...p, payload: Buffer.from(p.payload).toString("base64") });
const decode = (s: string): WillPacket => {
  const p = JSON.parse(s) as Record<string, unknown> & { payload: string };
  return { ...p, payload: Buffer.from(p.payload, "base64") } as WillPacket;
};

// One round trip each (a CONNECT clears the earlier will and stores the new one: two in all).
// KEYS[1] = the owner hash; ARGV[1] = client id, ARGV[2] = node id, ARGV[3] = the hashes' prefix.
/** Stores ARGV[4] as the client's will on ARGV[2], dropping one another node held. */
const PUT = `
local before = redis.call('HGET', KEYS[1], ARGV[1])
if before and before ~= ARGV[2] then redis.call('HDEL', ARGV[3] .. before, ARGV[1]) end
redis.call('HSET', ARGV[3] .. ARGV[2], ARGV[1], ARGV[4])
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])`;
/** Removes and returns the client's will on ARGV[2] ('' = wherever it is). */
const TAKE = `
local owner = redis.call('HGET', KEYS[1], ARGV[1])
local node = ARGV[2]
if node == '' then node = owner end
if not node then return false end
local will = redis.call('HGET', ARGV[3] .. node, ARGV[1])
redis.call('HDEL', ARGV[3] .. node, ARGV[1])
if owner == node then redis.call('HDEL', KEYS[1], ARGV[1]) end
return will`;

/** `nodeId()` is this broker node's id (aedes' `broker.id`), asked when a will is stored. */
export function redisWillStore(redis: Redis, nodeId: () => string): WillStore {
  const take = async (node: string, clientId: string) => {
    const stored = (await redis.eval(TAKE, 1, OWNER, clientId, node, PREFIX)) as string | null;
    return stored === null ? null : decode(stored);
  };

  return {
    async putWill(client, packet) {
      const node = nodeId();
      const will = encode({ ...packet, clientId: client.id, brokerId: node });
      await redis.eval(PUT, 1, OWNER, client.id, node, PREFIX, will);
    },

    async getWill(client) {
      const stored = await redis.hget(PREFIX + nodeId(), client.id);
      return stored === null ? null : decode(stored);
    },

    // aedes names the node when a session ends, not when a CONNECT clears an earlier will.
    delWill: (client) => take(client.brokerId ?? "", client.id),

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
