// Debian's Mosquitto for tests and benchmarks, started in a temp folder on a free port with the
// dynamic-security plugin (never the system service). Accounts come from a seed written before
// start (broker/mosquitto/dynsec-file.ts); later changes go through broker/mosquitto/accounts.ts.
import { spawn, type ChildProcess } from "node:child_process";
import { copyFileSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir, userInfo } from "node:os";
import { connect } from "node:net";
import { join } from "node:path";
import { writeDynsecConfig, type DynsecSeed } from "../../broker/mosquitto/dynsec-file.ts";
import { freePort } from "./service-process.ts";

const MOSQUITTO = "/usr/sbin/mosquitto";

/** Where Debian (any architecture) installs the plugin. */
export function dynsecPlugin(): string | null {
  for (const dir of ["/usr/lib", ...readdirSync("/usr/lib").map((d) => join("/usr/lib", d))]) {
    const file = join(dir, "mosquitto_dynamic_security.so");
    if (existsSync(file)) return file;
  }
  return null;
}

/** Why Mosquitto cannot run here, or null when it can. */
export function mosquittoMissing(): string | null {
  if (!existsSync(MOSQUITTO)) return `${MOSQUITTO} not found (apt-get install mosquitto)`;
  if (!dynsecPlugin()) return "mosquitto_dynamic_security.so not found";
  return null;
}

export interface MosquittoOptions {
  /** The accounts to start with, or a dynamic-security file written elsewhere (copied). */
  seed: DynsecSeed | { copyOf: string };
  /** Extra mosquitto.conf lines. */
  conf?: string[];
}

export interface RunningMosquitto {
  url: string;
  port: number;
  pid: number;
  dir: string;
  stop(): Promise<void>;
}

/**
 * The settings the platform needs from any Mosquitto it uses as BROKER_URL (see
 * docs/operator-guide.md): the dispatcher is one subscriber receiving every device's traffic,
 * so its queue must not drop QoS 1 messages while it is busy or restarting (the default keeps
 * 1,000), and a larger in-flight window keeps its link busy. Without TCP_NODELAY, Nagle's
 * algorithm holds a small packet (a press, an ack) back until the previous one is acknowledged:
 * tens of milliseconds on the alarm path.
 */
export const PLATFORM_CONF = [
  "set_tcp_nodelay true",
  "max_queued_messages 1000000",
  "max_inflight_messages 1000",
  "max_packet_size 65536",
];

export async function startMosquitto(opts: MosquittoOptions): Promise<RunningMosquitto> {
  const missing = mosquittoMissing();
  if (missing) throw new Error(missing);
  const dir = mkdtempSync(join(tmpdir(), "eldercare-mosquitto-"));
  const port = await freePort();
  const dynsec = join(dir, "dynamic-security.json");
  if ("copyOf" in opts.seed) copyFileSync(opts.seed.copyOf, dynsec);
  else writeDynsecConfig(dynsec, opts.seed);
  const conf = join(dir, "mosquitto.conf");
  writeFileSync(
    conf,
    [
      // Started as root, Mosquitto would switch to the "mosquitto" user, who cannot read the
      // temp folder; as anyone else this line changes nothing.
      `user ${userInfo().username}`,
      `listener ${port} 127.0.0.1`,
      "allow_anonymous false",
      `plugin ${dynsecPlugin()}`,
      `plugin_opt_config_file ${dynsec}`,
      "persistence false",
      "log_dest stderr",
      "log_type error",
      "log_type warning",
      "log_type notice",
      ...PLATFORM_CONF,
      ...(opts.conf ?? []),
      "",
    ].join("\n"),
  );
  const child = spawn(MOSQUITTO, ["-c", conf], { cwd: dir, stdio: ["ignore", "ignore", "pipe"] });
  await ready(child, port);
  return {
    url: `mqtt://127.0.0.1:${port}`,
    port,
    pid: child.pid!,
    dir,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise<void>((r) => child.once("exit", () => r()));
        child.kill("SIGTERM");
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Resolves once Mosquitto accepts TCP connections; rejects with its log if it exits first. */
function ready(child: ChildProcess, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let log = "";
    let settled = false;
    const deadline = Date.now() + 15_000;
    child.stderr!.on("data", (d: Buffer) => void (log = (log + d.toString()).slice(-4000)));
    const onExit = (code: number | null) => finish(new Error(`mosquitto exited with ${code}:\n${log}`));
    child.once("exit", onExit);
    const finish = (err?: Error) => {
      if (settled) return;
      settled = true;
      child.off("exit", onExit);
      if (!err) return resolve();
      child.kill("SIGKILL");
      reject(err);
    };
    const probe = () => {
      if (settled) return;
      const socket = connect(port, "127.0.0.1");
      socket.once("connect", () => {
        socket.destroy();
        finish();
      });
      socket.once("error", () => {
        socket.destroy();
        if (Date.now() > deadline) finish(new Error(`mosquitto did not listen on ${port}:\n${log}`));
        else setTimeout(probe, 20);
      });
    };
    probe();
  });
}
