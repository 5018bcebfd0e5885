// Press → ack latency and burst throughput of the whole alarm path committing at once (the events
// that arrive while a commit runs share the next; the default) against waiting 4 ms for more before
// each commit, and PostgreSQL against SQLite, in the same run. The platform runs as its own process
// (real broker; a real SQLite file, its log flushed before each ack, or a throwaway PostgreSQL
// cluster of Debian's binaries with fsync on;
// demo city with matching and offers); real MQTT devices press from worker processes.
// Run: npm run bench -- ingest   (BENCH_PRESSES=2000 BENCH_WITHIN_MS=4000 BENCH_ROUNDS=1
//      BENCH_DATABASES=sqlite,postgres)
import { deviceIds } from "../device-sim/fleet.ts";
import {
  POSTGRES_MISSING,
  postgresBinDir,
  startPostgres,
  type PostgresCluster,
} from "../tests/helpers/postgres.ts";
import { inTempDir, untilDone } from "./lib/cleanup.ts";
import { loadBenchEnv, runOptions, type RunOptions } from "./lib/config.ts";
import { ForkedFleet } from "./lib/fleet.ts";
import { now } from "./lib/fleet-protocol.ts";
import { isMain } from "./lib/main.ts";
import { DEVICE_SECRET, preparedDatabase, startPlatform } from "./lib/platform.ts";
import { BenchReport, type Row } from "./lib/report.ts";
import { distribution, ratio, round } from "./lib/stats.ts";

export type IngestDatabase = "sqlite" | "postgres";

export interface IngestOptions extends RunOptions {
  presses: number;
  withinMs: number;
  /** Default SQLite only; PostgreSQL needs Debian's binaries and presses ≤ the demo city's 2,000 devices. */
  databases?: IngestDatabase[];
  /** Each configuration runs this many times, alternating, so a noisy neighbour hits all alike. */
  rounds?: number;
}

export const FULL: IngestOptions = {
  presses: 2000,
  withinMs: 4000,
  databases: ["sqlite", "postgres"],
  rounds: 1,
};

/** Devices of the demo city a PostgreSQL platform seeds for itself (BJ-00001 …). */
const DEMO_CITY_DEVICES = 2000;
const NAMES: Record<IngestDatabase, string> = { sqlite: "SQLite", postgres: "PostgreSQL" };
const MODES = [
  { mode: "4 ms window", groupCommitMs: 4 },
  { mode: "commit at once (default)", groupCommitMs: 0 },
] as const;

interface Figures extends Row {
  database: string;
  mode: string;
  presses: number;
  acked: number;
  lost: number;
  "p50 ms": number | null;
  "p99 ms": number | null;
  "max copies": number;
  "all acked s": number | null;
}

interface Where {
  dir: string;
  /** The seeded SQLite file each SQLite run copies. */
  sqliteTemplate: string;
  cluster: PostgresCluster | null;
}

async function measure(
  database: IngestDatabase,
  { mode, groupCommitMs }: (typeof MODES)[number],
  o: IngestOptions,
  where: Where,
  label: string,
): Promise<Figures> {
  const platform = await startPlatform({
    dir: where.dir,
    database: where.sqliteTemplate,
    // A new PostgreSQL database: the platform seeds the demo city into it as it starts.
    databaseUrl: database === "postgres" ? await where.cluster!.createDatabase() : undefined,
    label,
    env: { GROUP_COMMIT_MS: String(groupCommitMs) },
    profiling: o.profiling,
  });
  const fleet = ForkedFleet.start({ ids: deviceIds(o.presses) });
  try {
    await fleet.connect({
      brokerUrl: platform.mqttUrl,
      secret: DEVICE_SECRET,
      concurrency: 200,
    });
    const t0 = now() + 500;
    const plan = deviceIds(o.presses).map((deviceId, i) => ({
      deviceId,
      at: t0 + (i * o.withinMs) / o.presses,
    }));
    const outcomes = await fleet.press(plan, 60_000);
    const acked = outcomes.filter((r) => r.ackMs !== null);
    const latency = distribution(acked.map((r) => r.ackMs!));
    const last =
      acked.length === outcomes.length ? Math.max(...acked.map((r) => r.pressedAt + r.ackMs!)) : null;
    return {
      database: NAMES[database],
      mode,
      presses: outcomes.length,
      acked: acked.length,
      lost: outcomes.length - acked.length,
      "p50 ms": latency.p50,
      "p99 ms": latency.p99,
      "max copies": acked.reduce((m, r) => Math.max(m, r.attempts), 0),
      "all acked s": last === null ? null : round((last - t0) / 1000, 2),
    };
  } finally {
    await fleet.close();
    await platform.stop();
  }
}

/** The middle value of the rounds (lower middle for an even count). */
function middle(values: (number | null)[]): number | null {
  const s = values.filter((v): v is number => v !== null).sort((a, b) => a - b);
  return s.length === 0 ? null : s[Math.floor((s.length - 1) / 2)]!;
}

export async function runIngest(o: IngestOptions): Promise<BenchReport> {
  const rounds = o.rounds ?? 1;
  const databases = (o.databases ?? ["sqlite"]).filter((d) => d !== "postgres" || postgresBinDir() !== null);
  const report = new BenchReport(
    "ingest",
    {
      presses: o.presses,
      spreadOverMs: o.withinMs,
      rounds,
      devices: "one press per device",
      database:
        "demo city (matching and offers run); SQLite WAL, synchronous=FULL; PostgreSQL fsync on, same machine",
    },
    o,
  );
  if (o.databases?.includes("postgres") && !databases.includes("postgres"))
    report.note(`PostgreSQL left out: ${POSTGRES_MISSING}`);
  if (databases.includes("postgres") && o.presses > DEMO_CITY_DEVICES)
    throw new RangeError(`PostgreSQL runs use the demo city's ${DEMO_CITY_DEVICES} devices: presses ≤ that`);

  return inTempDir("eldercare-bench-ingest-", async (dir) => {
    const sqliteTemplate = await preparedDatabase(o.presses);
    // Durable like production (fsync on), as SQLite runs with synchronous=FULL.
    const cluster = databases.includes("postgres") ? await startPostgres({ durable: true }) : null;
    const clusterDone = cluster ? untilDone(() => cluster.stop()) : () => {};
    const runs: Figures[] = [];
    try {
      for (let r = 0; r < rounds; r++)
        for (const database of databases)
          for (const m of MODES)
            runs.push(
              await measure(
                database,
                m,
                o,
                { dir, sqliteTemplate, cluster },
                `ingest-${database}-${m.groupCommitMs}-${r}`,
              ),
            );
    } finally {
      await cluster?.stop();
      clusterDone();
    }
    report.table("ingest: committing at once vs a 4 ms window", runs);

    const summary = (database: IngestDatabase, mode: string) => {
      const of = runs.filter((x) => x.database === NAMES[database] && x.mode === mode);
      return {
        database: NAMES[database],
        mode,
        rounds: of.length,
        lost: of.reduce((n, x) => n + x.lost, 0),
        "p50 ms": middle(of.map((x) => x["p50 ms"])),
        "p99 ms": middle(of.map((x) => x["p99 ms"])),
      };
    };
    const summaries = databases.flatMap((d) => MODES.map((m) => summary(d, m.mode)));
    if (rounds > 1) report.table("ingest: middle of the rounds", summaries);
    const [windowed, atOnce] = MODES.map((m) => m.mode) as [string, string];
    for (const d of databases) {
      const w = summary(d, windowed);
      const a = summary(d, atOnce);
      report.ratio(`${NAMES[d]}: p50 press→ack, at once / 4 ms window`, ratio(a["p50 ms"], w["p50 ms"]));
      report.ratio(`${NAMES[d]}: p99 press→ack, at once / 4 ms window`, ratio(a["p99 ms"], w["p99 ms"]));
    }
    if (databases.length === 2) {
      for (const m of MODES) {
        const lite = summary("sqlite", m.mode);
        const pg = summary("postgres", m.mode);
        report.ratio(`${m.mode}: p50 press→ack, PostgreSQL / SQLite`, ratio(pg["p50 ms"], lite["p50 ms"]));
        report.ratio(`${m.mode}: p99 press→ack, PostgreSQL / SQLite`, ratio(pg["p99 ms"], lite["p99 ms"]));
      }
    }
    report.noneLost(runs);
    report.write();
    return report;
  });
}

if (isMain(import.meta.url)) {
  const env = loadBenchEnv();
  await runIngest({
    presses: env.BENCH_PRESSES ?? FULL.presses,
    withinMs: env.BENCH_WITHIN_MS ?? FULL.withinMs,
    rounds: env.BENCH_ROUNDS ?? FULL.rounds,
    databases: env.BENCH_DATABASES ?? FULL.databases,
    ...runOptions(env),
  });
}
