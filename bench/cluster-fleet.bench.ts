// More devices than one process may hold (open files: 20,000 here, so ≤ ~19,000 sockets), on one
// machine: the platform leading a cluster on PostgreSQL and Redis, K broker processes
// (`broker/main.ts` in the cluster, docs/scale-out.md) holding the fleet, the fleet in forked
// worker processes (each worker's devices on one broker, an equal share of workers per broker).
// Measured: the time for every device to connect, memory per connection (each broker's RSS, and
// Redis's, which holds the sessions), a reconnect storm — every connection cut at once, each device
// back on its own jittered backoff (device-sim/reconnect.ts) — and presses spread over the
// brokers, each acknowledged by the leader through Redis.
//
// Peer in the same run: the same cluster with ONE broker process holding one process's share
// (devices / K). The code, the machine and the per-process load are the same; what differs is
// only that K processes share the cores and the Redis, so the ratios say what spreading costs.
// (Mosquitto, the peer of `connections`, cannot hold 50,000 in one process here either.)
// Run: npm run bench -- cluster-fleet   (BENCH_CLUSTER_DEVICES=6000 BENCH_CLUSTER_BROKERS=3)
import pg from "pg";
import { deviceIds } from "../device-sim/fleet.ts";
import { openDatabase } from "../dispatcher/db/open.ts";
import { seedDemoCity } from "../prisma/seed.ts";
import { postgresBinDir, startPostgres, type PostgresCluster } from "../tests/helpers/postgres.ts";
import { redisAvailable } from "../tests/helpers/redis.ts";
import { startBrokerCluster } from "./lib/broker-cluster.ts";
import { inTempDir } from "./lib/cleanup.ts";
import { loadBenchEnv, runOptions, type RunOptions } from "./lib/config.ts";
import { ForkedFleet, type ConnectStormFigures } from "./lib/fleet.ts";
import { now, type PlannedPress } from "./lib/fleet-protocol.ts";
import { DEVICE_SECRET, STAFF_PASSWORD } from "./lib/platform.ts";
import { cpuSeconds, rssBytes } from "./lib/proc.ts";
import { BenchReport, type Row } from "./lib/report.ts";
import { distribution, ratio, round } from "./lib/stats.ts";
import { isMain } from "./lib/main.ts";

export interface ClusterFleetOptions extends RunOptions {
  devices: number;
  brokers: number;
  /** Handshakes each worker keeps in flight while the fleet first connects. */
  concurrency: number;
  /** Memory is read right after connecting and again this long after, with the fleet idle. */
  settleSeconds: number;
  /** Presses after the storm, spread evenly over the brokers and over `pressWithinMs`. */
  presses: number;
  pressWithinMs: number;
  /** Devices per fleet worker process (far below the open-file limit). */
  perWorker?: number;
}

export const FULL: ClusterFleetOptions = {
  devices: 50_000,
  brokers: 3,
  concurrency: 200,
  settleSeconds: 30,
  presses: 300,
  pressWithinMs: 10_000,
};

const MB = 2 ** 20;
const PEER_ONLY = "one broker process holding one process's share (so far)";
const STORM_TIMEOUT_MS = 600_000;
const ACK_TIMEOUT_MS = 60_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
const sample = (pids: number[], read: (pid: number) => number | null) => pids.map((p) => read(p) ?? 0);

interface SetupFigures extends Row, ConnectStormFigures {
  setup: string;
  brokers: number;
  devices: number;
  /** Devices that gave up connecting (not connected within 5 minutes of their first try). */
  gaveUp: number;
  presses: number;
  acked: number;
  lost: number;
  ackP50Ms: number | null;
  ackP99Ms: number | null;
  /** Each broker's settled RSS, MB, in order. */
  brokerRssMb: string;
  /** (settled − idle) of every broker / devices connected. */
  kbPerConnection: number;
  kbPerConnectionAfterConnect: number;
  /** Redis holds every session (subscription, will, queue): its growth per device. */
  redisKbPerDevice: number;
  leaderRssMb: number;
  /** CPU seconds during the connect and during the storm: the brokers together, the leader
   * (statuses and wills of every device), Redis, and the fleet workers (the simulated devices). */
  brokerCpuConnectS: number;
  brokerCpuStormS: number;
  leaderCpuConnectS: number;
  leaderCpuStormS: number;
  redisCpuConnectS: number;
  redisCpuStormS: number;
  fleetCpuConnectS: number;
}

/** Presses from `count` devices, as many from each broker's share, spread over `withinMs`. */
function spreadPresses(byBroker: string[][], count: number, withinMs: number, t0: number): PlannedPress[] {
  const per = Math.ceil(count / byBroker.length);
  const picked = byBroker.flatMap((ids) => {
    const step = Math.max(1, Math.floor(ids.length / per));
    return ids.filter((_, i) => i % step === 0).slice(0, per);
  });
  const chosen = picked.slice(0, count);
  return chosen.map((deviceId, i) => ({ deviceId, at: t0 + (i * withinMs) / chosen.length }));
}

async function measure(
  progress: (line: string) => void,
  name: string,
  brokers: number,
  devices: number,
  o: ClusterFleetOptions,
  where: { dir: string; databaseUrl: string },
): Promise<SetupFigures> {
  const cluster = await startBrokerCluster({ ...where, brokers, label: name, profiling: o.profiling });
  const fleet = ForkedFleet.start({ ids: deviceIds(devices), groups: brokers, perWorker: o.perWorker });
  try {
    const pids = cluster.brokers.map((b) => b.pid);
    const urls = cluster.brokers.map((b) => b.url);
    await sleep(1000);
    const rssIdle = sample(pids, rssBytes);
    const redisIdle = rssBytes(cluster.redis.pid) ?? 0;
    const cpu = () => ({
      brokers: sum(sample(pids, cpuSeconds)),
      leader: cpuSeconds(cluster.leader.pid) ?? 0,
      redis: cpuSeconds(cluster.redis.pid) ?? 0,
      fleet: sum(sample(fleet.pids, cpuSeconds)),
    });
    const cpu0 = cpu();

    const t0 = now();
    const connected = await fleet.connect({
      brokerUrl: urls,
      secret: DEVICE_SECRET,
      concurrency: o.concurrency,
    });
    const connectSeconds = (Math.max(...connected.readyAt) - t0) / 1000;
    const n = connected.readyAt.length;
    progress(
      `${name}: ${connected.readyAt.length} of ${devices} devices connected in ${connectSeconds.toFixed(1)} s` +
        ` (${connected.failed} gave up)`,
    );
    const cpu1 = cpu();
    const rssConnected = sample(pids, rssBytes);
    await sleep(o.settleSeconds * 1000);
    const rssSettled = sample(pids, rssBytes);
    const redisSettled = rssBytes(cluster.redis.pid) ?? 0;
    const held = await fleet.online();

    const cut = now();
    await fleet.drop();
    const storm = await fleet.reconnect(STORM_TIMEOUT_MS, { now: false });
    const stormSeconds = (Math.max(...storm.readyAt) - cut) / 1000;
    progress(`${name}: back after the storm in ${stormSeconds.toFixed(1)} s (${storm.notReady} not back)`);
    const cpu2 = cpu();

    // Worker i is on broker i mod K (fleet.connect): gather each broker's devices.
    // Only devices that are up: one that gave up connecting is not there to press.
    const down = await fleet.offline();
    const byBroker = urls.map((_, b) =>
      fleet.shares
        .filter((_, w) => w % brokers === b)
        .flat()
        .filter((id) => !down.has(id)),
    );
    const plan = spreadPresses(byBroker, o.presses, o.pressWithinMs, now() + 200);
    const outcomes = await fleet.press(plan, ACK_TIMEOUT_MS);
    const acks = outcomes.flatMap((r) => (r.ackMs === null ? [] : [r.ackMs]));
    const latency = distribution(acks);
    const grown = sum(rssSettled) - sum(rssIdle);
    return {
      setup: name,
      brokers,
      devices,
      gaveUp: connected.failed,
      held,
      connectSeconds: round(connectSeconds, 2)!,
      connectsPerSecond: Math.round(n / connectSeconds),
      stormSeconds: round(stormSeconds, 2)!,
      stormNotBack: storm.notReady,
      stormAttemptsPerDevice: round(storm.attempts / n, 2)!,
      presses: plan.length,
      acked: acks.length,
      lost: plan.length - acks.length,
      ackP50Ms: latency.p50,
      ackP99Ms: latency.p99,
      brokerRssMb: rssSettled.map((b) => round(b / MB)).join(" / "),
      kbPerConnection: round(grown / 1024 / n, 2)!,
      kbPerConnectionAfterConnect: round((sum(rssConnected) - sum(rssIdle)) / 1024 / n, 2)!,
      redisKbPerDevice: round((redisSettled - redisIdle) / 1024 / n, 2)!,
      leaderRssMb: round((rssBytes(cluster.leader.pid) ?? 0) / MB)!,
      brokerCpuConnectS: round(cpu1.brokers - cpu0.brokers, 2)!,
      brokerCpuStormS: round(cpu2.brokers - cpu1.brokers, 2)!,
      leaderCpuConnectS: round(cpu1.leader - cpu0.leader, 2)!,
      leaderCpuStormS: round(cpu2.leader - cpu1.leader, 2)!,
      redisCpuConnectS: round(cpu1.redis - cpu0.redis, 2)!,
      redisCpuStormS: round(cpu2.redis - cpu1.redis, 2)!,
      fleetCpuConnectS: round(cpu1.fleet - cpu0.fleet, 2)!,
    };
  } finally {
    await fleet.close();
    await cluster.stop();
  }
}

/** A database with the demo city grown to `devices` residents, each with one device (BJ-00001 …),
 * to be copied per set-up (CREATE DATABASE … TEMPLATE) and never used itself. */
async function seededTemplate(cluster: PostgresCluster, devices: number): Promise<string> {
  const name = "fleet_template";
  const db = await openDatabase(await cluster.createDatabase(name));
  try {
    await seedDemoCity(db, { password: STAFF_PASSWORD, deviceSecret: DEVICE_SECRET, residents: devices });
  } finally {
    await db.close();
  }
  return name;
}

async function copyOf(cluster: PostgresCluster, template: string, name: string): Promise<string> {
  const admin = new pg.Client({ connectionString: cluster.url() });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}" TEMPLATE "${template}" STRATEGY FILE_COPY`);
  } finally {
    await admin.end();
  }
  return cluster.url(name);
}

export async function runClusterFleet(o: ClusterFleetOptions): Promise<BenchReport> {
  if (postgresBinDir() === null || !redisAvailable())
    throw new Error("cluster-fleet needs Debian's postgresql and redis-server (apt-get install them)");
  const share = Math.ceil(o.devices / o.brokers);
  const report = new BenchReport(
    "cluster-fleet",
    {
      devices: o.devices,
      brokers: o.brokers,
      peer: `one broker process of the same cluster holding one process's share (${share} devices)`,
      initialConnectConcurrencyPerWorker: o.concurrency,
      storm:
        "every connection cut without DISCONNECT at once; each device back on its own jittered backoff " +
        "(first wait 1–2 s, doubling up to 30–60 s; a broker busy with handshakes answers 'server unavailable')",
      settleSeconds: o.settleSeconds,
      presses: `${o.presses} after the storm, as many on each broker, within ${o.pressWithinMs} ms`,
      memory:
        "RSS of the broker processes: (after − before) / devices, right after connecting and after " +
        "settleSeconds idle; Redis's growth / devices on its own",
      processes:
        "PostgreSQL, Redis, the platform (leader, no devices), the broker processes, the fleet workers: all on this machine",
    },
    o,
  );
  // The full run takes many minutes: say where it is.
  const progress = (line: string) => {
    if (!o.quiet) console.log(`  ${new Date().toISOString().slice(11, 19)} ${line}`);
  };
  return inTempDir("eldercare-bench-cluster-fleet-", async (dir) => {
    const cluster = await startPostgres({ durable: true });
    try {
      const template = await seededTemplate(cluster, o.devices);
      const one = await measure(progress, "one broker process", 1, share, o, {
        dir,
        databaseUrl: await copyOf(cluster, template, "fleet_one"),
      });
      // Written now too, so a failure in the larger set-up keeps the peer's figures.
      report.table(PEER_ONLY, [one]);
      report.write();
      const all = await measure(progress, `${o.brokers} broker processes`, o.brokers, o.devices, o, {
        dir,
        databaseUrl: await copyOf(cluster, template, "fleet_all"),
      });
      delete report.result.tables[PEER_ONLY];
      report.table("devices across broker processes, and one process's share on one", [one, all]);
      report.ratio(
        `connect time, ${o.brokers} processes (all) / one (its share)`,
        ratio(all.connectSeconds, one.connectSeconds),
      );
      report.ratio(`storm time, ${o.brokers} processes / one`, ratio(all.stormSeconds, one.stormSeconds));
      report.ratio(
        `memory per connection, ${o.brokers} processes / one`,
        ratio(all.kbPerConnection, one.kbPerConnection),
      );
      report.target(`all ${o.devices} devices held`, all.held, "=", o.devices);
      report.target("all back after the storm (not back)", all.stormNotBack, "=", 0);
      report.noneLost([one, all]);
      report.target("all connect, seconds", all.connectSeconds, "<", 120);
      report.target("reconnect storm, seconds", all.stormSeconds, "<", 120);
      report.target("KB per idle connection (settled), broker processes", all.kbPerConnection, "<=", 20);
      report.write();
      return report;
    } finally {
      await cluster.stop();
    }
  });
}

if (isMain(import.meta.url)) {
  const env = loadBenchEnv();
  await runClusterFleet({
    ...FULL,
    devices: env.BENCH_CLUSTER_DEVICES ?? FULL.devices,
    brokers: env.BENCH_CLUSTER_BROKERS ?? FULL.brokers,
    ...runOptions(env),
  });
}
