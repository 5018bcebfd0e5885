// `npm run cluster`: a local cluster for trying cluster mode (docs/scale-out.md) — PostgreSQL and
// Redis from the machine's Debian packages, each started in a temp folder on a free port (no
// system service is touched), and two platform instances sharing them. The first seeds the demo
// city and leads; the second follows. CLUSTER_BROKERS=N adds N broker processes (broker/main.ts,
// no dispatcher) to the same broker cluster, for more devices than one process can hold. Ctrl-C
// stops everything and removes the temp folders. CLUSTER_BASE_PORT=N puts instance a on N
// (HTTP), N+1 (MQTT), N+2 (MQTT over WebSocket), instance b on N+3…N+5 and broker process i
// (from 1) on N+4+2i (MQTT) and N+5+2i (WebSocket); by default all are free ports.
import { randomBytes } from "node:crypto";
import type { ChildProcess } from "node:child_process";
import { z } from "zod";
import { loadSettings } from "../protocol/process.ts";
import { DEMO_LOGINS } from "../prisma/seed.ts";
import { startPostgres } from "../tests/helpers/postgres.ts";
import { startRedis } from "../tests/helpers/redis.ts";
import { freePort, startBrokerProcess, startService, stopService } from "../tests/helpers/service-process.ts";

// A bad value stops the script naming the variable, as the platform's own settings do.
const settings = loadSettings(
  z.object({
    DEMO_PASSWORD: z.string().min(4).default("demo1234"),
    CLUSTER_BASE_PORT: z.coerce.number().int().min(1).max(65000).optional(),
    CLUSTER_BROKERS: z.coerce.number().int().min(0).max(16).default(0),
    LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("warn"),
  }),
  process.env,
  { title: "Invalid cluster settings" },
);
const PASSWORD = settings.DEMO_PASSWORD;
const base = settings.CLUSTER_BASE_PORT ?? null;
const port = async (offset: number) => String(base === null ? await freePort() : base + offset);

console.log("Starting PostgreSQL and Redis in temp folders…");
const [pg, redis] = await Promise.all([startPostgres({ durable: true }), startRedis()]);
const databaseUrl = await pg.createDatabase("eldercare");
const children: ChildProcess[] = [];

async function instance(name: string, offset: number) {
  const env = {
    PORT: await port(offset),
    MQTT_PORT: await port(offset + 1),
    MQTT_WS_PORT: await port(offset + 2),
    HOST: "127.0.0.1",
    DATABASE_URL: databaseUrl,
    REDIS_URL: redis.url,
    INSTANCE_ID: name,
    // Followers forward API calls to the leader from 127.0.0.1: trust that hop's X-Forwarded-For.
    TRUST_PROXY: "loopback",
    DEMO_PASSWORD: PASSWORD,
    LOG_LEVEL: settings.LOG_LEVEL,
  };
  console.log(`Starting instance ${name}…`);
  adopt(name, await startService(env));
  return env;
}

/** A broker process of the same broker cluster: devices only, authenticated from the database. */
async function brokerProcess(index: number) {
  const name = `broker-${index}`;
  const env = {
    MQTT_PORT: await port(4 + 2 * index),
    MQTT_WS_PORT: await port(5 + 2 * index),
    HOST: "127.0.0.1",
    DATABASE_URL: databaseUrl,
    REDIS_URL: redis.url,
    // Nobody logs in as the service user here: the dispatcher's session is on the leader's node.
    BROKER_SERVICE_PASSWORD: randomBytes(18).toString("base64url"),
    // At least info: that is where it says it listens (and it says little else there).
    LOG_LEVEL: ["debug", "trace"].includes(settings.LOG_LEVEL) ? settings.LOG_LEVEL : "info",
  };
  console.log(`Starting broker process ${index}…`);
  adopt(name, await startBrokerProcess(env));
  return env;
}

function adopt(name: string, child: ChildProcess): void {
  children.push(child);
  child.stdout?.on("data", (d: Buffer) => process.stdout.write(prefix(name, d)));
  child.stderr?.on("data", (d: Buffer) => process.stderr.write(prefix(name, d)));
  child.once("exit", (code, signal) => console.log(`${name} exited (${signal ?? code})`));
}

function prefix(name: string, d: Buffer): string {
  return d
    .toString()
    .split("\n")
    .map((l) => (l ? `[${name}] ${l}` : l))
    .join("\n");
}

let stopping = false;
async function stopAll(code: number) {
  if (stopping) return;
  stopping = true;
  console.log("\nStopping the instances, Redis and PostgreSQL…");
  await Promise.all(children.map((c) => stopService(c)));
  await Promise.all([redis.stop(), pg.stop()]);
  process.exit(code);
}
process.on("SIGINT", () => void stopAll(0));
process.on("SIGTERM", () => void stopAll(0));

try {
  const a = await instance("a", 0);
  const b = await instance("b", 3);
  const brokers = [];
  for (let i = 1; i <= settings.CLUSTER_BROKERS; i++) brokers.push(await brokerProcess(i));
  console.log(
    [
      "",
      `  居家养老"110" cluster is running: two instances, one PostgreSQL, one Redis`,
      `  Instance a (leader):   console http://127.0.0.1:${a.PORT}/   MQTT mqtt://127.0.0.1:${a.MQTT_PORT}`,
      `  Instance b (follower): console http://127.0.0.1:${b.PORT}/   MQTT mqtt://127.0.0.1:${b.MQTT_PORT}`,
      ...brokers.map(
        (p, i) =>
          `  Broker process ${i + 1}:     MQTT mqtt://127.0.0.1:${p.MQTT_PORT}   (devices only, same broker cluster)`,
      ),
      `  Health:     http://127.0.0.1:${a.PORT}/healthz   http://127.0.0.1:${b.PORT}/healthz`,
      `  PostgreSQL: ${databaseUrl}`,
      `  Redis:      ${redis.url}`,
      "",
      `  Demo logins (password "${PASSWORD}", on either console):`,
      ...DEMO_LOGINS.map((l) => `    ${l.username.padEnd(14)} ${l.note}`),
      `  Devices BJ-00001 … BJ-02000 (secret "demo") may connect to any MQTT port:`,
      `    npm run sim -- --broker mqtt://127.0.0.1:${b.MQTT_PORT}`,
      `  Try a failover: kill -9 the leader (pid ${children[0]?.pid}); b leads within seconds.`,
      "  Ctrl-C stops everything.",
      "",
    ].join("\n"),
  );
} catch (err) {
  console.error(`Failed to start the cluster: ${(err as Error).message}`);
  await stopAll(1);
}
