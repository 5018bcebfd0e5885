// The whole platform as a separate OS process (`dispatcher/main.ts`), for crash tests and
// benchmarks where the clients must not share the service's event loop.
import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { resolve } from "node:path";

const ROOT = resolve(import.meta.dirname, "../..");

// Ports handed out below the kernel's ephemeral range (32768–60999 on Linux): a port taken with
// listen(0) and closed again comes from that range, where the next outgoing connection of any
// process on the machine (a device, a database client) may take it before the service listens —
// seen as EADDRINUSE at start when hundreds of clients connect. Below it, only a listener can.
const PORT_RANGE = { from: 20_000, to: 32_767 };
const handedOut = new Set<number>();

async function canListen(port: number): Promise<boolean> {
  const s = createServer();
  const ok = await new Promise<boolean>((r) => {
    s.once("error", () => r(false));
    s.listen(port, "127.0.0.1", () => r(true));
  });
  if (ok) await new Promise<void>((r) => s.close(() => r()));
  return ok;
}

/** A port no one listens on now, chosen at random below the ephemeral range. */
export async function freePort(): Promise<number> {
  for (let tries = 0; tries < 200; tries++) {
    const port = PORT_RANGE.from + Math.floor(Math.random() * (PORT_RANGE.to - PORT_RANGE.from + 1));
    if (handedOut.has(port) || !(await canListen(port))) continue;
    handedOut.add(port);
    return port;
  }
  throw new Error("no free port below the ephemeral range");
}

/** Fixed free ports, so a restarted service comes back where its clients expect it. */
export async function serviceEnv(
  databaseUrl: string,
  extra: Record<string, string> = {},
): Promise<Record<string, string>> {
  return {
    PORT: String(await freePort()),
    MQTT_PORT: String(await freePort()),
    MQTT_WS_PORT: String(await freePort()),
    HOST: "127.0.0.1",
    DATABASE_URL: databaseUrl,
    LOG_LEVEL: "warn",
    ...extra,
  };
}

/** Starts `dispatcher/main.ts` and resolves once it prints that it is running. */
export function startService(env: Record<string, string>): Promise<ChildProcess> {
  // Generous: seeding the demo city on a busy machine (or over PostgreSQL round trips) takes a while.
  return startScript("dispatcher/main.ts", env, "is running", 120_000);
}

/**
 * Starts `broker/main.ts` — a broker process without a dispatcher, one node of the cluster's
 * broker when REDIS_URL is set (docs/scale-out.md) — and resolves once it listens. It says so at
 * level info, which is its default.
 */
export function startBrokerProcess(env: Record<string, string>): Promise<ChildProcess> {
  return startScript("broker/main.ts", env, "mqtt broker listening", 60_000);
}

/** Starts `script` (with `args`) under tsx and resolves once it prints `marker`; killed if it
 * has not within `timeoutMs`. */
export function startScript(
  script: string,
  env: Record<string, string>,
  marker: string,
  timeoutMs: number,
  args: string[] = [],
): Promise<ChildProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", script, ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  return new Promise((resolvePromise, reject) => {
    let out = "";
    let started = false;
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`${script} did not start:\n${out}`));
    }, timeoutMs);
    // Stays attached after the start, so the child's output keeps draining and never blocks it.
    const onData = (d: Buffer) => {
      if (started) return;
      out = (out + d.toString()).slice(-16_000);
      if (out.includes(marker)) {
        started = true;
        clearTimeout(timer);
        child.off("exit", onExit);
        resolvePromise(child);
      }
    };
    const onExit = (code: number | null) => {
      clearTimeout(timer);
      reject(new Error(`${script} exited with ${code}:\n${out}`));
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.once("exit", onExit);
  });
}

export function stopService(child: ChildProcess, signal: NodeJS.Signals = "SIGTERM"): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((r) => {
    child.once("exit", () => r());
    child.kill(signal);
  });
}
