// Two platform instances of one cluster as child processes, on a throwaway PostgreSQL database
// and a Redis (decision 0017): `a` starts first and leads, `b` follows.
import type { ChildProcess } from "node:child_process";
import { openDatabase } from "../../dispatcher/db/open.ts";
import { HealthSchema, type Health } from "../../protocol/index.ts";
import { seedDemoCity, type SeedOptions } from "../../prisma/seed.ts";
import { TEST_PASSWORD } from "./app.ts";
import type { PostgresCluster } from "./postgres.ts";
import type { RedisServer } from "./redis.ts";
import { serviceEnv, startService } from "./service-process.ts";

export const CLUSTER_DEVICE_SECRET = "cluster-secret";

export interface Instance {
  child: ChildProcess;
  env: Record<string, string>;
  httpUrl: string;
  mqttUrl: string;
}

export async function health(httpUrl: string): Promise<Health> {
  const res = await fetch(`${httpUrl}/healthz`);
  return HealthSchema.parse(await res.json());
}

/**
 * Seeds a city of `city`'s size first (the instances find it and seed nothing: the full demo
 * city costs tens of seconds of PostgreSQL round trips on a busy machine), then starts both.
 * `started` hears of each child at once, so a failing test can still kill it.
 */
export async function startTwoInstances(
  services: { pg: PostgresCluster; redis: RedisServer },
  city: Omit<SeedOptions, "password" | "deviceSecret">,
  env: Record<string, string>,
  started: (child: ChildProcess) => void,
): Promise<{ databaseUrl: string; a: Instance; b: Instance }> {
  const databaseUrl = await services.pg.createDatabase();
  const db = await openDatabase(databaseUrl);
  try {
    await seedDemoCity(db, { ...city, password: TEST_PASSWORD, deviceSecret: CLUSTER_DEVICE_SECRET });
  } finally {
    await db.close();
  }
  const start = async (name: string): Promise<Instance> => {
    const e = await serviceEnv(databaseUrl, {
      REDIS_URL: services.redis.url,
      DEMO_DEVICE_SECRET: CLUSTER_DEVICE_SECRET,
      DEMO_PASSWORD: TEST_PASSWORD,
      LEASE_CHECK_MS: "250",
      INSTANCE_ID: name,
      ...env,
    });
    const child = await startService(e);
    started(child);
    return {
      child,
      env: e,
      httpUrl: `http://127.0.0.1:${e.PORT}`,
      mqttUrl: `mqtt://127.0.0.1:${e.MQTT_PORT}`,
    };
  };
  const a = await start("a");
  const b = await start("b");
  return { databaseUrl, a, b };
}
