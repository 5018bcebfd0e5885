// The alarm path under city load: 10,000 devices connected, 100 presses/s for 60 s, each from a
// different resident (each opens a case), then a burst of 1,000 presses within a second.
// Press → ack at the device; press → `case:created` at a console logged in as `dispatcher`.
// Peers in the same run: the platform (its own process, embedded broker, SQLite with
// synchronous=FULL, the demo city's responders on duty) and the floor — a minimal acker (a bare
// MQTT client acking every press, no database) behind the same broker code run alone.
// Prints the figures, writes bench/results/alarm-path.json; asserts nothing.
// Run: npm run bench -- alarm-path   (BENCH_DEVICES, BENCH_RATE, BENCH_SECONDS, BENCH_BURST)
import { spawn, type ChildProcess } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { io } from "socket.io-client";
import { openDatabase } from "../dispatcher/db/open.ts";
import { DeviceFleet, deviceIds } from "../device-sim/fleet.ts";
import type { PressResult, SimDevice } from "../device-sim/device.ts";
import { seedDemoCity } from "../prisma/seed.ts";
import type { CaseSummary, LoginResponse } from "../protocol/index.ts";
import { freePort, serviceEnv, startService, stopService } from "../tests/helpers/service-process.ts";

const DEVICES = Number(process.env.BENCH_DEVICES ?? 10_000);
const RATE = Number(process.env.BENCH_RATE ?? 100);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 60);
const BURST = Number(process.env.BENCH_BURST ?? 1000);
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const SECRET = "bench";
const PASSWORD = "bench-password";
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const quantile = (xs: number[], q: number): number | null => {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  return +s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)]!.toFixed(1);
};

/** CPU seconds a process has used (user + system), from /proc. */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

function waitFor(child: ChildProcess, text: string): Promise<void> {
  return new Promise((ok, fail) => {
    let out = "";
    const timer = setTimeout(() => fail(new Error(`no "${text}":\n${out}`)), 60_000);
    const on = (d: Buffer) => {
      out += d.toString();
      if (out.includes(text)) {
        clearTimeout(timer);
        ok();
      }
    };
    child.stdout?.on("data", on);
    child.stderr?.on("data", on);
  });
}

function tsx(script: string, env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, ["--import", "tsx", script], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
}

interface Target {
  mqttUrl: string;
  httpUrl: string | null;
  pids: number[];
  stop(): Promise<void>;
}

async function platform(db: string): Promise<Target> {
  const env = await serviceEnv(`file:${db}`, {
    DEMO_DEVICE_SECRET: SECRET,
    DEMO_PASSWORD: PASSWORD,
    LOG_LEVEL: "warn",
  });
  const child = await startService(env);
  // A platform that dies mid-run is a finding, not a benchmark figure: say so, with its last words.
  let tail = "";
  let stopping = false;
  const keep = (d: Buffer) => void (tail = (tail + d.toString()).slice(-4000));
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  child.once("exit", (code, signal) => {
    if (!stopping) console.error(`platform exited mid-run (code ${code}, signal ${signal}):\n${tail}`);
  });
  return {
    mqttUrl: `mqtt://127.0.0.1:${env.MQTT_PORT}`,
    httpUrl: `http://127.0.0.1:${env.PORT}`,
    pids: [child.pid!],
    stop: () => {
      stopping = true;
      return stopService(child);
    },
  };
}

async function acker(db: string): Promise<Target> {
  const port = await freePort();
  const user = { BROKER_SERVICE_USER: "acker", BROKER_SERVICE_PASSWORD: "acker-password" };
  const broker = tsx("broker/main.ts", {
    ...user,
    MQTT_PORT: String(port),
    MQTT_WS_PORT: String(await freePort()),
    HOST: "127.0.0.1",
    DATABASE_URL: `file:${db}`,
    LOG_LEVEL: "info",
  });
  await waitFor(broker, "mqtt broker listening");
  const mqttUrl = `mqtt://127.0.0.1:${port}`;
  const client = tsx("bench/peers/minimal-acker.ts", {
    MQTT_URL: mqttUrl,
    MQTT_USER: user.BROKER_SERVICE_USER,
    MQTT_PASSWORD: user.BROKER_SERVICE_PASSWORD,
  });
  await waitFor(client, "acker ready");
  return {
    mqttUrl,
    httpUrl: null,
    pids: [broker.pid!, client.pid!],
    stop: async () => {
      await stopService(client);
      await stopService(broker);
    },
  };
}

/** Presses `count` devices from `from`, spread over `withinMs`; resolves with each press's result or null. */
async function presses(
  devices: SimDevice[],
  from: number,
  count: number,
  withinMs: number,
  timeoutMs: number,
) {
  const started = Date.now();
  const out: Promise<PressResult | null>[] = [];
  for (let i = 0; i < count; i++) {
    const wait = started + (i * withinMs) / count - Date.now();
    if (wait >= 1) await sleep(wait);
    const press = devices[from + i]!.press("sos");
    out.push(Promise.race([press.catch(() => null), sleep(withinMs + timeoutMs).then(() => null)]));
  }
  return { started, results: await Promise.all(out) };
}

async function run(setup: "platform" | "minimal acker (floor)", db: string) {
  const target = setup === "platform" ? await platform(db) : await acker(db);
  const fleet = new DeviceFleet({
    brokerUrl: target.mqttUrl,
    deviceIds: deviceIds(DEVICES),
    secret: SECRET,
    heartbeatSeconds: 0,
    connectConcurrency: 50,
    // The machine is shared: a handshake may wait long for a CPU, which is not what we measure.
    connectTimeoutMs: 300_000,
  });
  const seenAt = new Map<string, number>();
  let consoleSocket: ReturnType<typeof io> | null = null;
  try {
    console.error(`${setup}: connecting ${DEVICES} devices`);
    await fleet.connect().catch((err: Error) => console.error(err.message));
    const online = fleet.devices.filter((d) => d.connected);
    console.error(`${setup}: ${online.length} connected, pressing`);
    if (target.httpUrl) {
      const res = await fetch(`${target.httpUrl}/api/auth/login`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ username: "dispatcher", password: PASSWORD }),
      });
      const { token } = (await res.json()) as LoginResponse;
      consoleSocket = io(target.httpUrl, { auth: { token }, transports: ["websocket"], reconnection: false });
      await new Promise<void>((ok) => consoleSocket!.once("connect", () => ok()));
      consoleSocket.on("case:created", (c: CaseSummary) => {
        if (c.deviceId && !seenAt.has(c.deviceId)) seenAt.set(c.deviceId, Date.now());
      });
    }
    const cpu0 = target.pids.map(cpuSeconds);
    const steady = await presses(online, 0, RATE * SECONDS, SECONDS * 1000, 30_000);
    const burst = await presses(online, RATE * SECONDS, BURST, 1000, 30_000);
    const cpu = target.pids.reduce((sum, pid, i) => sum + cpuSeconds(pid) - cpu0[i]!, 0);
    const phase = (p: Awaited<ReturnType<typeof presses>>, from: number) => {
      const acked = p.results.filter((r): r is PressResult => r !== null);
      const toConsole = p.results.flatMap((r, i) => {
        const id = online[from + i]!.deviceId;
        const seen = seenAt.get(id);
        return r && seen !== undefined ? [seen - r.sentAt] : [];
      });
      return { acked, toConsole };
    };
    const s = phase(steady, 0);
    const b = phase(burst, RATE * SECONDS);
    return {
      setup,
      connected: online.length,
      presses: steady.results.length,
      lost: steady.results.length - s.acked.length,
      "ack p50 ms": quantile(
        s.acked.map((r) => r.latencyMs),
        0.5,
      ),
      "ack p99 ms": quantile(
        s.acked.map((r) => r.latencyMs),
        0.99,
      ),
      "console p50 ms": quantile(s.toConsole, 0.5),
      "console p99 ms": quantile(s.toConsole, 0.99),
      "burst lost": burst.results.length - b.acked.length,
      "burst all acked s": b.acked.length
        ? +((Math.max(...b.acked.map((r) => r.ackedAt)) - burst.started) / 1000).toFixed(2)
        : null,
      "burst ack p99 ms": quantile(
        b.acked.map((r) => r.latencyMs),
        0.99,
      ),
      "burst max copies": b.acked.reduce((m, r) => Math.max(m, r.attempts), 0),
      "cpu s": +cpu.toFixed(1),
      "load avg (1 min)": +loadavg()[0]!.toFixed(2),
    };
  } finally {
    consoleSocket?.close();
    await fleet.close({ force: true });
    await target.stop();
  }
}

const dir = mkdtempSync(join(tmpdir(), "eldercare-alarm-path-"));
try {
  const seeded = join(dir, "seeded.db");
  const db = await openDatabase(`file:${seeded}`);
  await seedDemoCity(db, { residents: DEVICES, password: PASSWORD, deviceSecret: SECRET });
  await db.close();
  const rows = [];
  rows.push(await run("minimal acker (floor)", seeded));
  const copy = join(dir, "platform.db");
  copyFileSync(seeded, copy);
  rows.push(await run("platform", copy));
  console.table(rows);
  const out = join(ROOT, "bench", "results", "alarm-path.json");
  mkdirSync(dirname(out), { recursive: true });
  const o = { devices: DEVICES, rate: RATE, seconds: SECONDS, burst: BURST };
  writeFileSync(out, JSON.stringify({ at: new Date().toISOString(), ...o, rows }, null, 2) + "\n");
  console.log(`written to ${out}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
