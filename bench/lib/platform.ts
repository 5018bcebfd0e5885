// The platform and the stand-alone broker as child processes, exactly as an operator starts them
// (`dispatcher/main.ts`, `broker/main.ts`), on free ports with a SQLite file in a temp folder.
// Benchmarks talk to them only over MQTT, HTTP and Socket.IO.
//
// The demo city has 2,000 devices; benchmarks that need more add residents and devices to the
// seeded file, copying seeded rows column by column (PRAGMA table_info), so the copy follows
// schema changes without knowing them.
import type { ChildProcess } from "node:child_process";
import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { hashDeviceSecret } from "../../broker/device-secret.ts";
import { deviceIds } from "../../device-sim/fleet.ts";
import {
  freePort,
  serviceEnv,
  startBrokerProcess,
  startService,
  stopService as terminate,
} from "../../tests/helpers/service-process.ts";
import { untilDone } from "./cleanup.ts";
import type { Profiling } from "./config.ts";

export const SERVICE_USER = "dispatcher";
export const SERVICE_PASSWORD = "bench-service-password";
export const DEVICE_SECRET = "bench-device-secret";
export const STAFF_PASSWORD = "bench-staff-password";

export type { Profiling };

/** How long a benchmarked process may take to shut down cleanly before it is killed. */
const SHUTDOWN_GRACE_MS = 30_000;

/**
 * SIGTERM, then SIGKILL after the grace period: a benchmark must not hang on a process that is
 * slow to stop (the platform with thousands of open cases, say). Says so when it had to kill.
 */
export async function stopService(child: ChildProcess): Promise<void> {
  const timer = setTimeout(() => {
    console.error(`pid ${child.pid} did not stop within ${SHUTDOWN_GRACE_MS / 1000} s; killing it`);
    child.kill("SIGKILL");
  }, SHUTDOWN_GRACE_MS);
  try {
    await terminate(child);
  } finally {
    clearTimeout(timer);
  }
}

/** Starts (the first call) or stops and writes (the second) the profile of `pids`' measured phase. */
export function measuring(profiling: Profiling | undefined, pids: number[]): void {
  if (!profiling?.dir || !profiling.phase) return;
  for (const pid of pids) {
    try {
      process.kill(pid, "SIGUSR2");
    } catch {
      // gone already: nothing to profile
    }
  }
}

let cache: Promise<{ dir: string; base: string }> | null = null;
const templates = new Map<number, Promise<string>>();

/**
 * A seeded platform database with `devices` devices (BJ-00001 …), to be copied, never opened for
 * writing. The demo city is seeded once per process (by starting the platform on an empty file);
 * each count is a copy with devices added. The folder is removed when the process exits.
 */
export function preparedDatabase(devices: number): Promise<string> {
  let template = templates.get(devices);
  if (!template) {
    template = withDevices(devices);
    templates.set(devices, template);
  }
  return template;
}

async function withDevices(devices: number): Promise<string> {
  cache ??= seededCity();
  const { dir, base } = await cache;
  const file = join(dir, `devices-${devices}.db`);
  copyFileSync(base, file);
  const db = new Database(file);
  try {
    addDevices(db, devices);
    db.pragma("wal_checkpoint(TRUNCATE)");
  } finally {
    db.close();
  }
  return file;
}

async function seededCity(): Promise<{ dir: string; base: string }> {
  const dir = mkdtempSync(join(tmpdir(), "eldercare-bench-db-"));
  const remove = () => rmSync(dir, { recursive: true, force: true });
  process.once("exit", remove);
  untilDone(remove);
  const base = join(dir, "demo-city.db");
  const env = await serviceEnv(`file:${base}`, {
    DEMO_DEVICE_SECRET: DEVICE_SECRET,
    DEMO_PASSWORD: STAFF_PASSWORD,
  });
  await stopService(await startService(env));
  const db = new Database(base);
  db.pragma("wal_checkpoint(TRUNCATE)");
  db.close();
  return { dir, base };
}

function addDevices(db: Database.Database, wanted: number): void {
  const have = (db.prepare(`SELECT COUNT(*) AS n FROM "Device"`).get() as { n: number }).n;
  if (have >= wanted) return;
  const columns = (table: string) =>
    (db.prepare(`PRAGMA table_info("${table}")`).all() as { name: string }[]).map((c) => c.name);
  const residentCols = columns("Resident").filter((c) => c !== "id");
  const deviceCols = columns("Device");
  const residents = db.prepare(`SELECT * FROM "Resident" ORDER BY id`).all() as Record<string, unknown>[];
  const template = db.prepare(`SELECT * FROM "Device" LIMIT 1`).get() as Record<string, unknown>;
  const insertResident = db.prepare(
    `INSERT INTO "Resident" (${residentCols.map((c) => `"${c}"`).join(", ")})
     VALUES (${residentCols.map((c) => `@${c}`).join(", ")}) RETURNING id`,
  );
  const insertDevice = db.prepare(
    `INSERT INTO "Device" (${deviceCols.map((c) => `"${c}"`).join(", ")})
     VALUES (${deviceCols.map((c) => `@${c}`).join(", ")})`,
  );
  const secretHash = hashDeviceSecret(DEVICE_SECRET);
  const ids = deviceIds(wanted - have, have + 1);
  db.transaction(() => {
    ids.forEach((id, i) => {
      // A neighbour of a seeded resident, a few hundred metres away: the city gets denser.
      const model = residents[i % residents.length]!;
      const shift = ((i % 7) - 3) * 0.002;
      const resident = { ...model, lat: Number(model.lat) + shift, lng: Number(model.lng) - shift };
      const { id: residentId } = insertResident.get(resident) as { id: number };
      insertDevice.run({
        ...template,
        id,
        residentId,
        secretHash,
        online: 0,
        lastSeenAt: null,
        lastTestAt: null,
      });
    });
  })();
}

export interface RunningPlatform {
  pid: number;
  httpUrl: string;
  /** Where devices connect: the embedded broker, or the external one. */
  mqttUrl: string;
  stop(): Promise<void>;
  /** The last few thousand characters it printed (after stop: its last words). */
  output: () => string;
}

/**
 * The whole platform (`npm start`) on a fresh copy of `database`, or on `databaseUrl` as it is (a
 * PostgreSQL database, say). With `brokerUrl` it uses that broker (BROKER_URL) instead of its
 * embedded one.
 */
export async function startPlatform(o: {
  dir: string;
  database?: string;
  databaseUrl?: string;
  label: string;
  brokerUrl?: string;
  env?: Record<string, string>;
  profiling?: Profiling;
}): Promise<RunningPlatform> {
  let url = o.databaseUrl;
  if (url === undefined) {
    if (o.database === undefined) throw new Error("startPlatform needs a database or a databaseUrl");
    const file = join(o.dir, `${o.label}.db`);
    copyFileSync(o.database, file);
    url = `file:${file}`;
  }
  const env = await serviceEnv(url, {
    BROKER_SERVICE_USER: SERVICE_USER,
    BROKER_SERVICE_PASSWORD: SERVICE_PASSWORD,
    DEMO_DEVICE_SECRET: DEVICE_SECRET,
    DEMO_PASSWORD: STAFF_PASSWORD,
    ...(o.brokerUrl ? { BROKER_URL: o.brokerUrl } : {}),
    ...profileEnv(o.profiling, o.label),
    ...o.env,
  });
  const child = await startService(env);
  const { stop, output } = stoppable(child, `${o.label}: platform`);
  return {
    pid: child.pid!,
    httpUrl: `http://127.0.0.1:${env.PORT}`,
    mqttUrl: o.brokerUrl ?? `mqtt://127.0.0.1:${env.MQTT_PORT}`,
    stop,
    output,
  };
}

/**
 * Stops `child` with the run (cleanup.ts) or when the returned function is called. A process that
 * dies mid-run is a finding, not a figure: it is reported, with its last words.
 */
export function stoppable(
  child: ChildProcess,
  name: string,
): { stop: () => Promise<void>; output: () => string } {
  const done = untilDone(() => stopService(child));
  let tail = "";
  let stopping = false;
  const keep = (d: Buffer) => void (tail = (tail + d.toString()).slice(-4000));
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  child.once("exit", (code, signal) => {
    if (!stopping) console.error(`${name} exited mid-run (code ${code}, signal ${signal}):\n${tail}`);
  });
  return {
    stop: async () => {
      stopping = true;
      await stopService(child);
      done();
    },
    output: () => tail,
  };
}

export interface RunningBroker {
  pid: number;
  url: string;
  stop(): Promise<void>;
}

/**
 * The embedded broker's code alone (`broker/main.ts`), reading devices from the SQLite file
 * `database` or from `databaseUrl`; with `redisUrl`, one node of that cluster's broker.
 */
export async function startStandaloneBroker(o: {
  database?: string;
  databaseUrl?: string;
  redisUrl?: string;
  label: string;
  profiling?: Profiling;
}): Promise<RunningBroker> {
  const databaseUrl = o.databaseUrl ?? (o.database === undefined ? undefined : `file:${o.database}`);
  if (databaseUrl === undefined) throw new Error("a broker needs a database or a databaseUrl");
  const port = await freePort();
  const child = await startBrokerProcess({
    HOST: "127.0.0.1",
    MQTT_PORT: String(port),
    MQTT_WS_PORT: "off",
    DATABASE_URL: databaseUrl,
    BROKER_SERVICE_USER: SERVICE_USER,
    BROKER_SERVICE_PASSWORD: SERVICE_PASSWORD,
    LOG_LEVEL: "info",
    ...(o.redisUrl ? { REDIS_URL: o.redisUrl } : {}),
    ...profileEnv(o.profiling, o.label),
  });
  return {
    pid: child.pid!,
    url: `mqtt://127.0.0.1:${port}`,
    stop: stoppable(child, `${o.label}: broker`).stop,
  };
}

/** The `statuses` count in the last JSON line of a process's `output` whose msg is `msg`. */
export function loggedCount(output: string, msg: string): number | null {
  for (const line of output.split("\n").reverse()) {
    if (!line.includes(`"${msg}"`)) continue;
    const statuses = (JSON.parse(line) as { statuses?: unknown }).statuses;
    return typeof statuses === "number" ? statuses : null;
  }
  return null;
}

const PROFILER = new URL("./cpu-profiler.mjs", import.meta.url).pathname;

export function profileEnv(profiling: Profiling | undefined, label: string): Record<string, string> {
  if (!profiling?.dir) return {};
  const name = label.replace(/[^a-z0-9-]+/gi, "-");
  return {
    NODE_OPTIONS: `--import=${PROFILER}`,
    ELDERCARE_CPU_PROFILE: join(profiling.dir, `${name}.cpuprofile`),
    ...(profiling.phase ? { ELDERCARE_CPU_PROFILE_ON_SIGNAL: "1" } : {}),
  };
}
