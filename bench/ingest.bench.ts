// Press → ack latency and burst throughput of the whole alarm path: the service runs as its own
// process (real broker, real SQLite file with synchronous=FULL, or a real PostgreSQL with fsync on)
// and a fleet of real MQTT clients presses from this process. Group commit is compared with one
// transaction per event, and PostgreSQL with SQLite, in the same run. Prints figures and writes
// them to bench/results/ingest.json; asserts nothing.
// Run: npx tsx bench/ingest.bench.ts   (BENCH_PRESSES, BENCH_WITHIN_MS, BENCH_ROUNDS,
//      BENCH_DATABASES=sqlite,postgres — PostgreSQL is a throwaway cluster of Debian's binaries)
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { DeviceFleet, deviceIds } from "../device-sim/fleet.ts";
import { POSTGRES_MISSING, postgresBinDir, startPostgres } from "../tests/helpers/postgres.ts";
import { serviceEnv, startService, stopService } from "../tests/helpers/service-process.ts";

const PRESSES = Number(process.env.BENCH_PRESSES ?? 2000);
const WITHIN_MS = Number(process.env.BENCH_WITHIN_MS ?? 4000);
/** Each configuration runs this many times, alternating, so a noisy neighbour hits both alike. */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 1);
const wanted = (process.env.BENCH_DATABASES ?? "sqlite,postgres").split(",");
if (wanted.includes("postgres") && postgresBinDir() === null)
  console.warn(`PostgreSQL left out: ${POSTGRES_MISSING}`);
const DATABASES = wanted.filter((d) => d === "sqlite" || (d === "postgres" && postgresBinDir() !== null));
// Durable like production (fsync on), as SQLite runs with synchronous=FULL.
const cluster = DATABASES.includes("postgres") ? await startPostgres({ durable: true }) : null;
const NAMES: Record<string, string> = { sqlite: "SQLite", postgres: "PostgreSQL" };

async function run(database: string, mode: string, groupCommitMs: number) {
  const label = `${NAMES[database]}, ${mode}`;
  const dir = mkdtempSync(join(tmpdir(), "eldercare-bench-"));
  const url =
    cluster && database === "postgres" ? await cluster.createDatabase() : `file:${join(dir, "bench.db")}`;
  // The demo city as seeded: matching and offers run too, as they would in service.
  const env = await serviceEnv(url, {
    DEMO_DEVICE_SECRET: "bench",
    GROUP_COMMIT_MS: String(groupCommitMs),
  });
  const service = await startService(env);
  const fleet = new DeviceFleet({
    brokerUrl: `mqtt://127.0.0.1:${env.MQTT_PORT}`,
    deviceIds: deviceIds(PRESSES),
    secret: "bench",
    heartbeatSeconds: 0,
  });
  await fleet.connect();
  const t0 = performance.now();
  await fleet.burst(PRESSES, WITHIN_MS, "sos", { timeoutMs: 60_000 });
  const seconds = (performance.now() - t0) / 1000;
  const s = fleet.summary();
  await fleet.close();
  await stopService(service);
  rmSync(dir, { recursive: true, force: true });
  return {
    label,
    database,
    mode,
    presses: s.presses,
    acked: s.acked,
    lost: s.lost,
    "median ms": s.medianAckMs === null ? null : +s.medianAckMs.toFixed(1),
    "p99 ms": s.p99AckMs === null ? null : +s.p99AckMs.toFixed(1),
    "max attempts": s.maxAttempts,
    seconds: +seconds.toFixed(2),
  };
}

type Row = Awaited<ReturnType<typeof run>>;
const rows: Row[] = [];
const GROUP = "group commit (4 ms window)";
const SINGLE = "one commit per event";
for (let round = 0; round < ROUNDS; round++) {
  for (const database of DATABASES) {
    rows.push(await run(database, GROUP, 4));
    rows.push(await run(database, SINGLE, 0));
  }
}
await cluster?.stop();
const middle = (values: (number | null)[]): number | null => {
  const s = values.filter((v): v is number => v !== null).sort((a, b) => a - b);
  return s.length === 0 ? null : s[Math.floor((s.length - 1) / 2)]!;
};
const summary = (database: string, mode: string) => {
  const of = rows.filter((r) => r.database === database && r.mode === mode);
  const label = `${NAMES[database]}, ${mode}`;
  return {
    label,
    rounds: of.length,
    lost: of.reduce((n, r) => n + r.lost, 0),
    "median ms": middle(of.map((r) => r["median ms"])),
    "p99 ms": middle(of.map((r) => r["p99 ms"])),
  };
};
const summaries = DATABASES.flatMap((d) => [summary(d, GROUP), summary(d, SINGLE)]);
console.log(
  `\n${PRESSES} presses from ${PRESSES} devices spread over ${WITHIN_MS} ms; SQLite WAL, synchronous=FULL; PostgreSQL fsync on\n`,
);
console.table(rows);
if (ROUNDS > 1) console.table(summaries);
const ratio = (a: number | null | undefined, b: number | null | undefined) =>
  a && b ? +(b / a).toFixed(2) : null;
const find = (database: string, mode: string) =>
  summaries.find((x) => x.label === `${NAMES[database]}, ${mode}`);
/** b / a for the median and p99 press→ack. */
const ratios = (a: ReturnType<typeof find>, b: ReturnType<typeof find>) => ({
  median: ratio(a?.["median ms"], b?.["median ms"]),
  p99: ratio(a?.["p99 ms"], b?.["p99 ms"]),
});
const singleOverGroupCommit = Object.fromEntries(
  DATABASES.map((d) => [d, ratios(find(d, GROUP), find(d, SINGLE))]),
);
const postgresOverSqlite = {
  [GROUP]: ratios(find("sqlite", GROUP), find("postgres", GROUP)),
  [SINGLE]: ratios(find("sqlite", SINGLE), find("postgres", SINGLE)),
};
for (const [d, r] of Object.entries(singleOverGroupCommit)) {
  console.log(
    `${NAMES[d]}: one-commit-per-event / group commit = ${r.median ?? "n/a"}× median, ${r.p99 ?? "n/a"}× p99`,
  );
}
for (const [mode, r] of Object.entries(postgresOverSqlite)) {
  console.log(`${mode}: PostgreSQL / SQLite = ${r.median ?? "n/a"}× median, ${r.p99 ?? "n/a"}× p99`);
}
const out = join(dirname(fileURLToPath(import.meta.url)), "results", "ingest.json");
mkdirSync(dirname(out), { recursive: true });
writeFileSync(
  out,
  JSON.stringify(
    {
      bench: "ingest",
      at: new Date().toISOString(),
      node: process.version,
      cpus: cpus().length,
      presses: PRESSES,
      withinMs: WITHIN_MS,
      rounds: ROUNDS,
      runs: rows,
      summary: summaries,
      singleOverGroupCommit,
      postgresOverSqlite,
    },
    null,
    2,
  ) + "\n",
);
console.log(`written to ${out}`);
