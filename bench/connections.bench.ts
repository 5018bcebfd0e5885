// How many idle devices one broker process holds, what each connection costs in memory, how long
// the whole fleet takes to connect, and how long a full reconnect storm takes (every connection
// cut at once, every device back at once): the embedded broker (inside `npm start`) against
// Mosquitto holding the same fleet for the same platform, in the same run. Devices are real MQTT
// clients spread over worker processes. Run: npm run bench -- connections  (BENCH_CONNECTIONS=19000)
import { deviceIds } from "../device-sim/fleet.ts";
import { inTempDir } from "./lib/cleanup.ts";
import { loadBenchEnv, runOptions, type RunOptions } from "./lib/config.ts";
import { ForkedFleet, type ConnectStormFigures } from "./lib/fleet.ts";
import { DEVICE_SECRET, preparedDatabase } from "./lib/platform.ts";
import { startPeer, type PeerKind } from "./lib/peers.ts";
import { cpuSeconds, rssBytes } from "./lib/proc.ts";
import { BenchReport, type Row } from "./lib/report.ts";
import { ratio, round } from "./lib/stats.ts";
import { isMain } from "./lib/main.ts";

export interface ConnectionsOptions extends RunOptions {
  devices: number;
  /** Handshakes each worker keeps in flight while the fleet first connects. */
  concurrency: number;
  /** Memory is read right after connecting and again this long after, with the fleet idle:
   * V8 gives back the garbage of the connect phase only after a while of low activity. */
  settleSeconds: number;
}

export const FULL: Omit<ConnectionsOptions, "devices"> & { devices: number } = {
  devices: 19_000,
  concurrency: 200,
  settleSeconds: 30,
};

interface PeerFigures extends ConnectStormFigures {
  peer: PeerKind;
  devices: number;
  rssIdleMb: number;
  rssConnectedMb: number;
  rssSettledMb: number;
  kbPerConnectionAfterConnect: number;
  kbPerConnection: number;
  brokerCpuConnectS: number;
  brokerCpuStormS: number;
}

const MB = 2 ** 20;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function measure(
  kind: PeerKind,
  o: ConnectionsOptions,
  dir: string,
  database: string,
): Promise<PeerFigures> {
  const peer = await startPeer(kind, {
    dir,
    database,
    devices: o.devices,
    label: "connections",
    profiling: o.profiling,
  });
  const fleet = ForkedFleet.start({ ids: deviceIds(o.devices) });
  try {
    await sleep(1000);
    const rssIdle = rssBytes(peer.brokerPid) ?? 0;
    const cpu0 = cpuSeconds(peer.brokerPid) ?? 0;
    const t0 = performance.timeOrigin + performance.now();
    const connected = await fleet.connect({
      brokerUrl: peer.mqttUrl,
      secret: DEVICE_SECRET,
      concurrency: o.concurrency,
    });
    const connectSeconds = (Math.max(...connected.readyAt) - t0) / 1000;
    const cpu1 = cpuSeconds(peer.brokerPid) ?? 0;
    const rssConnected = rssBytes(peer.brokerPid) ?? 0;
    // Mosquitto's RSS does not move with its connections (see docs/performance.md), so only the
    // embedded broker is given time to settle.
    if (kind === "embedded") await sleep(o.settleSeconds * 1000);
    const rssSettled = rssBytes(peer.brokerPid) ?? 0;
    const held = await fleet.online();

    const cut = performance.timeOrigin + performance.now();
    await fleet.drop();
    const storm = await fleet.reconnect(300_000);
    const stormSeconds = (Math.max(...storm.readyAt) - cut) / 1000;
    const cpu2 = cpuSeconds(peer.brokerPid) ?? 0;
    return {
      peer: kind,
      devices: o.devices,
      held,
      connectSeconds: round(connectSeconds, 2)!,
      connectsPerSecond: Math.round(o.devices / connectSeconds),
      stormSeconds: round(stormSeconds, 2)!,
      stormNotBack: storm.notReady,
      stormAttemptsPerDevice: round(storm.attempts / o.devices, 2)!,
      rssIdleMb: round(rssIdle / MB)!,
      rssConnectedMb: round(rssConnected / MB)!,
      rssSettledMb: round(rssSettled / MB)!,
      kbPerConnectionAfterConnect: round((rssConnected - rssIdle) / 1024 / o.devices, 2)!,
      kbPerConnection: round((rssSettled - rssIdle) / 1024 / o.devices, 2)!,
      brokerCpuConnectS: round(cpu1 - cpu0, 2)!,
      brokerCpuStormS: round(cpu2 - cpu1, 2)!,
    };
  } finally {
    await fleet.close();
    await peer.stop();
  }
}

export async function runConnections(o: ConnectionsOptions): Promise<BenchReport> {
  const report = new BenchReport(
    "connections",
    {
      devices: o.devices,
      initialConnectConcurrencyPerWorker: o.concurrency,
      storm: "every connection cut without DISCONNECT at once, then every device reconnects at once",
      settleSeconds: o.settleSeconds,
      memory:
        "RSS of the process holding the connections (platform, or mosquitto): (after − before) / devices, " +
        "right after connecting and, for the embedded broker, after settleSeconds idle",
    },
    o,
  );
  return inTempDir("eldercare-bench-connections-", async (dir) => {
    const database = await preparedDatabase(o.devices);
    const embedded = await measure("embedded", o, dir, database);
    const mosquitto = await measure("mosquitto", o, dir, database);
    report.table("connections: embedded broker vs Mosquitto, same fleet, same run", [
      embedded as unknown as Row,
      mosquitto as unknown as Row,
    ]);
    report.ratio(
      "connect time embedded / mosquitto",
      ratio(embedded.connectSeconds, mosquitto.connectSeconds),
    );
    report.ratio("storm time embedded / mosquitto", ratio(embedded.stormSeconds, mosquitto.stormSeconds));
    report.ratio(
      "memory per connection embedded / mosquitto",
      ratio(embedded.kbPerConnection, mosquitto.kbPerConnection),
    );
    report.target(`embedded holds all ${o.devices} devices`, embedded.held, "=", o.devices);
    report.target("embedded: all connect, seconds", embedded.connectSeconds, "<", 60);
    report.target("embedded: reconnect storm, seconds", embedded.stormSeconds, "<", 60);
    report.target("embedded: KB per idle connection (settled)", embedded.kbPerConnection, "<=", 20);
    report.write();
    return report;
  });
}

if (isMain(import.meta.url)) {
  const env = loadBenchEnv();
  await runConnections({
    ...FULL,
    devices: env.BENCH_CONNECTIONS ?? FULL.devices,
    ...runOptions(env),
  });
}
