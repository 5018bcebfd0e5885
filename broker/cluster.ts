// One MQTT broker made of several aedes nodes (cluster mode, docs/scale-out.md): every node
// routes messages through Redis (mqemitter-redis) and keeps sessions — subscriptions, retained
// messages, QoS 1 messages queued for offline clients — in Redis (aedes-persistence-redis). So a
// device connected to any node hears the acks the leader publishes on its own node, and a device
// that moves to another node after a failure finds its session there. Last Wills are kept by
// cluster-wills.ts instead of the persistence's own list.
import persistenceRedis from "aedes-persistence-redis";
import { Redis } from "ioredis";
import mqemitterRedis from "mqemitter-redis";
import { redisWillStore } from "./cluster-wills.ts";

export interface BrokerCluster {
  /** aedes's `mq` option. */
  mq: ReturnType<typeof mqemitterRedis>;
  /** aedes's `persistence` option. */
  persistence: ReturnType<typeof persistenceRedis>;
  /** After aedes closed (which closes `mq`): closes the persistence's connection. */
  close(): Promise<void>;
}

/** Redis connections that never give up: a node keeps retrying while Redis is away. */
export function redisConnection(url: string, name: string): Redis {
  return new Redis(url, {
    connectionName: name,
    // Commands wait for the connection to come back rather than failing after 20 retries.
    maxRetriesPerRequest: null,
    retryStrategy: (times) => Math.min(times * 200, 2000),
  });
}

export function redisBrokerCluster(url: string): BrokerCluster {
  // mqemitter-redis opens (and closes) its own publish and subscribe connections.
  const mq = mqemitterRedis({ connectionString: url });
  const conn = redisConnection(url, "mqtt-sessions");
  const persistence = persistenceRedis({ conn });
  // aedes hands the persistence to the broker, which sets `broker` on it before any client comes.
  const nodeId = () => (persistence as unknown as { broker: { id: string } }).broker.id;
  Object.assign(persistence, redisWillStore(conn, nodeId));
  return {
    mq,
    persistence,
    close: async () => {
      await persistence.destroy();
    },
  };
}
