// Press → ack latency and burst throughput of the whole alarm path (real broker, real MQTT
// clients, real SQLite file with synchronous=FULL), group commit vs. one transaction per event,
// measured in the same run. Prints figures; asserts nothing. Run: npx tsx bench/ingest.bench.ts
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pino from "pino";
import { startApp } from "../dispatcher/app.ts";
import { loadConfig } from "../dispatcher/config.ts";
import { DeviceFleet, deviceIds } from "../device-sim/fleet.ts";

const PRESSES = Number(process.env.BENCH_PRESSES ?? 2000);
const WITHIN_MS = Number(process.env.BENCH_WITHIN_MS ?? 2000);

async function run(label: string, ingest: { groupCommitMs?: number; maxBatch?: number }) {
  const dir = mkdtempSync(join(tmpdir(), "eldercare-bench-"));
  const config = loadConfig({
    PORT: "0",
    MQTT_PORT: "0",
    MQTT_WS_PORT: "0",
    HOST: "127.0.0.1",
    DATABASE_URL: `file:${join(dir, "bench.db")}`,
    LOG_LEVEL: "silent",
    DEMO_DEVICE_SECRET: "bench",
  });
  const app = await startApp({
    config,
    logger: pino({ level: "silent" }),
    ingest,
    seed: { residents: PRESSES },
  });
  // Nobody on duty: measure ingest, not matching.
  app.db.raw.prepare(`UPDATE "Responder" SET onDuty = 0`).run();
  for (const r of app.registry.snapshot()) app.registry.setDuty(r.id, false);
  const fleet = new DeviceFleet({
    brokerUrl: app.mqttUrl,
    deviceIds: deviceIds(PRESSES),
    secret: "bench",
    heartbeatSeconds: 0,
  });
  await fleet.connect();
  const t0 = performance.now();
  await fleet.burst(PRESSES, WITHIN_MS, "sos", { timeoutMs: 60_000 });
  const seconds = (performance.now() - t0) / 1000;
  const s = fleet.summary();
  const batches = app.ingest.stats.batches;
  await fleet.close();
  await app.stop();
  rmSync(dir, { recursive: true, force: true });
  return {
    label,
    presses: s.presses,
    acked: s.acked,
    lost: s.lost,
    medianMs: s.medianAckMs,
    p99Ms: s.p99AckMs,
    seconds: +seconds.toFixed(2),
    transactions: batches,
  };
}

const grouped = await run("group commit (≤4 ms)", { groupCommitMs: 4, maxBatch: 500 });
const single = await run("one transaction per event", { groupCommitMs: 0, maxBatch: 1 });
console.log(
  `\n${PRESSES} presses from ${PRESSES} devices within ${WITHIN_MS} ms, SQLite WAL synchronous=FULL\n`,
);
console.table([grouped, single]);
const ratio = (a: number | null, b: number | null) => (a && b ? (b / a).toFixed(2) : "n/a");
console.log(
  `p99 press→ack: per-event / grouped = ${ratio(grouped.p99Ms, single.p99Ms)}×; transactions: ${single.transactions} vs ${grouped.transactions}`,
);
