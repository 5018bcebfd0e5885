// One cluster as an operator runs it on one machine to hold more devices than one process may
// open files (docs/scale-out.md, "Broker processes"): the platform (`npm start`) on PostgreSQL with
// REDIS_URL — it leads and runs the dispatcher — and K broker processes (`broker/main.ts` with the
// same DATABASE_URL and REDIS_URL) holding the devices. Every part is a child process on free
// ports; its own Redis, so sessions of one set-up never reach the next.
import { HealthSchema } from "../../protocol/index.ts";
import { startRedis, type RedisServer } from "../../tests/helpers/redis.ts";
import { untilDone } from "./cleanup.ts";
import type { Profiling } from "./config.ts";
import {
  startPlatform,
  startStandaloneBroker,
  type RunningBroker,
  type RunningPlatform,
} from "./platform.ts";
import { until } from "./proc.ts";

export interface RunningBrokerCluster {
  leader: RunningPlatform;
  brokers: RunningBroker[];
  redis: RedisServer;
  stop(): Promise<void>;
}

export async function startBrokerCluster(o: {
  dir: string;
  databaseUrl: string;
  brokers: number;
  label: string;
  profiling?: Profiling;
}): Promise<RunningBrokerCluster> {
  const redis = await startRedis();
  const stopRedis = untilDone(() => redis.stop());
  const started: { stop(): Promise<void> }[] = [];
  const stop = async () => {
    for (const s of started.reverse()) await s.stop();
    await redis.stop();
    stopRedis();
  };
  try {
    const leader = await startPlatform({
      dir: o.dir,
      databaseUrl: o.databaseUrl,
      label: `${o.label}-leader`,
      env: { REDIS_URL: redis.url, INSTANCE_ID: `${o.label}-leader` },
      profiling: o.profiling,
    });
    started.push(leader);
    // Presses are acknowledged only once the leader holds the lease and its MQTT session is up.
    await until(
      async () => {
        const health = HealthSchema.parse(await (await fetch(`${leader.httpUrl}/healthz`)).json());
        return health.role === "leader" && health.mqtt === "connected";
      },
      60_000,
      "the platform to lead with its MQTT session up",
      200,
    );
    const brokers: RunningBroker[] = [];
    for (let i = 0; i < o.brokers; i++) {
      const broker = await startStandaloneBroker({
        databaseUrl: o.databaseUrl,
        redisUrl: redis.url,
        label: `${o.label}-broker-${i + 1}`,
        profiling: o.profiling,
      });
      started.push(broker);
      brokers.push(broker);
    }
    return { leader, brokers, redis, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
