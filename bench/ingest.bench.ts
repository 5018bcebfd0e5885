// Press → ack latency and burst throughput of the whole alarm path: the service runs as its own
// process (real broker, real SQLite file with synchronous=FULL) and a fleet of real MQTT clients
// presses from this process. Group commit is compared with one transaction per event, in the same
// run. Prints figures and writes them to bench/results/ingest.json; asserts nothing.
// Run: npx tsx bench/ingest.bench.ts   (BENCH_PRESSES, BENCH_WITHIN_MS, BENCH_ROUNDS)
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { DeviceFleet, deviceIds } from "../device-sim/fleet.ts";
import { serviceEnv, startService, stopService } from "../tests/helpers/service-process.ts";

const PRESSES = Number(process.env.BENCH_PRESSES ?? 2000);
const WITHIN_MS = Number(process.env.BENCH_WITHIN_MS ?? 4000);
/** Each configuration runs this many times, alternating, so a noisy neighbour hits both alike. */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 1);

async function run(label: string, groupCommitMs: number) {
  const dir = mkdtempSync(join(tmpdir(), "eldercare-bench-"));
  // The demo city as seeded: matching and offers run too, as they would in service.
  const env = await serviceEnv(`file:${join(dir, "bench.db")}`, {
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
for (let round = 0; round < ROUNDS; round++) {
  rows.push(await run("group commit (4 ms window)", 4));
  rows.push(await run("one commit per event", 0));
}
const middle = (values: (number | null)[]): number | null => {
  const s = values.filter((v): v is number => v !== null).sort((a, b) => a - b);
  return s.length === 0 ? null : s[Math.floor((s.length - 1) / 2)]!;
};
const summary = (label: string) => {
  const of = rows.filter((r) => r.label === label);
  return {
    label,
    rounds: of.length,
    lost: of.reduce((n, r) => n + r.lost, 0),
    "median ms": middle(of.map((r) => r["median ms"])),
    "p99 ms": middle(of.map((r) => r["p99 ms"])),
  };
};
const grouped = summary("group commit (4 ms window)");
const single = summary("one commit per event");
console.log(
  `\n${PRESSES} presses from ${PRESSES} devices spread over ${WITHIN_MS} ms; SQLite WAL, synchronous=FULL\n`,
);
console.table(rows);
if (ROUNDS > 1) console.table([grouped, single]);
const ratio = (a: number | null, b: number | null) => (a && b ? +(b / a).toFixed(2) : null);
const ratios = {
  median: ratio(grouped["median ms"], single["median ms"]),
  p99: ratio(grouped["p99 ms"], single["p99 ms"]),
};
console.log(
  `median press→ack, one-commit-per-event / group commit = ${ratios.median ?? "n/a"}×; p99 = ${ratios.p99 ?? "n/a"}×`,
);
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
      summary: [grouped, single],
      singleOverGroupCommit: ratios,
    },
    null,
    2,
  ) + "\n",
);
console.log(`written to ${out}`);
