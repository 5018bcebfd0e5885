// Press → ack latency and burst throughput of the whole alarm path: the service runs as its own
// process (real broker, real SQLite file with synchronous=FULL) and a fleet of real MQTT clients
// presses from this process. Group commit is compared with one transaction per event, in the same
// run. Prints figures; asserts nothing. Run: npx tsx bench/ingest.bench.ts
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DeviceFleet, deviceIds } from "../device-sim/fleet.ts";
import { serviceEnv, startService, stopService } from "../tests/helpers/service-process.ts";

const PRESSES = Number(process.env.BENCH_PRESSES ?? 2000);
const WITHIN_MS = Number(process.env.BENCH_WITHIN_MS ?? 4000);

async function run(label: string, groupCommitMs: number) {
  const dir = mkdtempSync(join(tmpdir(), "eldercare-bench-"));
  // The demo city as seeded: matching and offers run too, as they would in service.
  const env = await serviceEnv(join(dir, "bench.db"), {
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

const grouped = await run("group commit (4 ms window)", 4);
const single = await run("one commit per event", 0);
console.log(
  `\n${PRESSES} presses from ${PRESSES} devices spread over ${WITHIN_MS} ms; SQLite WAL, synchronous=FULL\n`,
);
console.table([grouped, single]);
const ratio = (a: number | null, b: number | null) => (a && b ? (b / a).toFixed(2) : "n/a");
console.log(
  `median press→ack, one-commit-per-event / group commit = ${ratio(grouped["median ms"], single["median ms"])}×; ` +
    `p99 = ${ratio(grouped["p99 ms"], single["p99 ms"])}×`,
);
