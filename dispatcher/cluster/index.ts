// Cluster mode (REDIS_URL set; docs/scale-out.md, decision 0017): what one instance needs to be
// part of a cluster — Redis for Socket.IO and the broker nodes, the leader lease and its write
// fence, and the forwarding of API requests from a follower to the leader. The composition root
// (app.ts) decides what runs only while leading.
import { hostname } from "node:os";
import { createAdapter } from "@socket.io/redis-adapter";
import type { Redis } from "ioredis";
import type { Logger } from "pino";
import type { ServerOptions } from "socket.io";
import { redisBrokerCluster, redisConnection, type BrokerCluster } from "../../broker/cluster.ts";
import { redactUrl } from "../../protocol/process.ts";
import type { Clock } from "../clock.ts";
import type { SqlDatabase } from "../db/sql.ts";
import { fenceWrites } from "./fence.ts";
import { forwardToLeader } from "./forward.ts";
import { Lease, type LeaseHandlers } from "./lease.ts";
import { findLeader } from "./repository.ts";

export { LeaseLostError } from "./fence.ts";

export interface ClusterOptions {
  redisUrl: string;
  databaseUrl: string;
  instance?: string | undefined;
  leaseCheckMs: number;
  clock: Clock;
  logger: Logger;
  /** Told when Redis goes away and comes back (the platform's `redis_unavailable` problem). */
  onRedis(up: boolean): void;
}

/** How long a follower trusts the leader's address it read before reading it again. */
const LEADER_URL_TTL_MS = 1000;
const REDIS_CONNECT_TIMEOUT_MS = 10_000;

export class Cluster {
  readonly instance: string;
  private readonly pub: Redis;
  private readonly sub: Redis;
  private lease: Lease | null = null;
  private leader: { url: string | null; at: number } | null = null;

  private constructor(private readonly o: ClusterOptions) {
    this.instance = o.instance ?? `${hostname()}-${process.pid}`;
    this.pub = redisConnection(o.redisUrl, `sockets-pub-${this.instance}`);
    this.sub = redisConnection(o.redisUrl, `sockets-sub-${this.instance}`);
    this.pub.on("ready", () => o.onRedis(true));
    this.pub.on("close", () => o.onRedis(false));
    // ioredis reconnects by itself; each failed attempt is an error event we only log.
    this.pub.on("error", (err) => o.logger.warn({ err: err.message }, "redis connection error"));
    this.sub.on("error", () => undefined);
  }

  /** Connects to Redis first, so a wrong REDIS_URL fails the start with a clear message. */
  static async connect(o: ClusterOptions): Promise<Cluster> {
    const c = new Cluster(o);
    const timeout = new Promise<never>((_, reject) =>
      setTimeout(
        () => reject(new Error(`cannot reach Redis at ${redactUrl(o.redisUrl)}`)),
        REDIS_CONNECT_TIMEOUT_MS,
      ).unref(),
    );
    try {
      await Promise.race([Promise.all([c.pub.ping(), c.sub.ping()]), timeout]);
    } catch (err) {
      c.pub.disconnect();
      c.sub.disconnect();
      throw err;
    }
    return c;
  }

  redisUp(): boolean {
    return this.pub.status === "ready";
  }

  socketAdapter(): NonNullable<ServerOptions["adapter"]> {
    return createAdapter(this.pub, this.sub) as NonNullable<ServerOptions["adapter"]>;
  }

  /** The embedded broker's node of the cluster's one MQTT broker. */
  brokerNode(): BrokerCluster {
    return redisBrokerCluster(this.o.redisUrl);
  }

  leading(): boolean {
    return this.lease?.epoch() != null;
  }

  /** The database as the leader writes to it: fenced by the lease's epoch (fence.ts). */
  fence(db: SqlDatabase): SqlDatabase {
    return fenceWrites(db, {
      epoch: () => this.lease?.epoch() ?? null,
      fenced: (reason) => this.lease?.fenced(reason),
    });
  }

  /** Express middleware: while following, /api goes to the leader. */
  forwarder(db: SqlDatabase) {
    return forwardToLeader(
      {
        leading: () => this.leading(),
        leaderUrl: async () => {
          const now = this.o.clock.now();
          if (this.leader && now - this.leader.at < LEADER_URL_TTL_MS) return this.leader.url;
          const row = await findLeader(db);
          this.leader = { url: row?.httpUrl ?? null, at: now };
          return this.leader.url;
        },
        forget: () => (this.leader = null),
      },
      this.o.logger,
    );
  }

  /** Starts competing for the lease; resolves after the first attempt (and the start of leading, if won). */
  async compete(db: SqlDatabase, httpUrl: string, handlers: LeaseHandlers): Promise<void> {
    this.lease = new Lease({
      databaseUrl: this.o.databaseUrl,
      db,
      instance: this.instance,
      httpUrl,
      checkMs: this.o.leaseCheckMs,
      clock: this.o.clock,
      logger: this.o.logger.child({ component: "lease" }),
    });
    await this.lease.start(handlers);
  }

  /** Gives the lease up (a follower takes over on its next check), then leaves Redis. */
  async stop(): Promise<void> {
    await this.lease?.stop();
  }

  async closeRedis(): Promise<void> {
    await Promise.all([this.pub.quit().catch(() => undefined), this.sub.quit().catch(() => undefined)]);
  }
}
