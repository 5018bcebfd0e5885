// Press → ack latency and burst throughput of the whole alarm path with group commit (events of a
// few milliseconds share one durable commit) against one commit per event, in the same run. The
// platform runs as its own process (real broker, real SQLite file with synchronous=FULL, demo
// city with matching and offers); real MQTT devices press from worker processes.
// Run: npm run bench -- ingest   (BENCH_PRESSES=2000 BENCH_WITHIN_MS=4000)
import { deviceIds } from "../device-sim/fleet.ts";
import { inTempDir } from "./lib/cleanup.ts";
import { loadBenchEnv, runOptions, type RunOptions } from "./lib/config.ts";
import { ForkedFleet } from "./lib/fleet.ts";
import { now } from "./lib/fleet-protocol.ts";
import { isMain } from "./lib/main.ts";
import { DEVICE_SECRET, preparedDatabase, startPlatform } from "./lib/platform.ts";
import { BenchReport, type Row } from "./lib/report.ts";
import { distribution, ratio, round } from "./lib/stats.ts";

export interface IngestOptions extends RunOptions {
  presses: number;
  withinMs: number;
}

export const FULL: IngestOptions = { presses: 2000, withinMs: 4000 };

interface Figures extends Row {
  mode: string;
  presses: number;
  acked: number;
  lost: number;
  "p50 ms": number | null;
  "p99 ms": number | null;
  "max copies": number;
  "all acked s": number | null;
}

async function measure(mode: string, groupCommitMs: number, o: IngestOptions, dir: string, database: string) {
  const platform = await startPlatform({
    dir,
    database,
    label: `ingest-${groupCommitMs}`,
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
      mode,
      presses: outcomes.length,
      acked: acked.length,
      lost: outcomes.length - acked.length,
      "p50 ms": latency.p50,
      "p99 ms": latency.p99,
      "max copies": acked.reduce((m, r) => Math.max(m, r.attempts), 0),
      "all acked s": last === null ? null : round((last - t0) / 1000, 2),
    } satisfies Figures;
  } finally {
    await fleet.close();
    await platform.stop();
  }
}

export async function runIngest(o: IngestOptions): Promise<BenchReport> {
  const report = new BenchReport(
    "ingest",
    {
      presses: o.presses,
      spreadOverMs: o.withinMs,
      devices: "one press per device",
      database: "SQLite WAL, synchronous=FULL, demo city (matching and offers run)",
    },
    o,
  );
  return inTempDir("eldercare-bench-ingest-", async (dir) => {
    const database = await preparedDatabase(o.presses);
    const grouped = await measure("group commit (4 ms window)", 4, o, dir, database);
    const single = await measure("one commit per event", 0, o, dir, database);
    report.table("ingest: group commit vs one commit per event", [grouped, single]);
    report.ratio(
      "p50 press→ack, one commit per event / group commit",
      ratio(single["p50 ms"], grouped["p50 ms"]),
    );
    report.ratio(
      "p99 press→ack, one commit per event / group commit",
      ratio(single["p99 ms"], grouped["p99 ms"]),
    );
    report.target("lost, both modes", grouped.lost + single.lost, "=", 0);
    report.write();
    return report;
  });
}

if (isMain(import.meta.url)) {
  const env = loadBenchEnv();
  await runIngest({
    presses: env.BENCH_PRESSES ?? FULL.presses,
    withinMs: env.BENCH_WITHIN_MS ?? FULL.withinMs,
    ...runOptions(env),
  });
}
