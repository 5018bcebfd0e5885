// The package ships no types; this is the part the broker uses.
declare module "aedes-persistence-redis" {
  import type { Redis } from "ioredis";
  interface Options {
    /** An ioredis connection of our own (the package otherwise opens one from ioredis options). */
    conn?: Redis;
    /** Offline messages handed to a client at CONNECT; default 1000. */
    maxSessionDelivery?: number;
  }
  interface RedisPersistence {
    destroy(cb?: () => void): Promise<void> | undefined;
  }
  function aedesPersistenceRedis(opts?: Options): RedisPersistence;
  export default aedesPersistenceRedis;
}
