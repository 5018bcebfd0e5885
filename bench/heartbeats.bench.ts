// Heartbeat writes: the platform buffers statuses per device and writes them in one transaction
// per flush (dispatcher/ingest/device-status.ts); the peer writes one transaction per message.
// Same statement, same SQLite file (the platform's schema, WAL, synchronous=FULL as the platform
// opens it), each mode for the same time. Run: npm run bench -- heartbeats
import Database from "better-sqlite3";
import { copyFileSync } from "node:fs";
import { join } from "node:path";
import { deviceIds } from "../device-sim/fleet.ts";
import { inTempDir } from "./lib/cleanup.ts";
import { loadBenchEnv, runOptions, type RunOptions } from "./lib/config.ts";
import { isMain } from "./lib/main.ts";
import { preparedDatabase } from "./lib/platform.ts";
import { BenchReport, type Row } from "./lib/report.ts";
import { ratio } from "./lib/stats.ts";

export interface HeartbeatsOptions extends RunOptions {
  devices: number;
  /** Seconds each mode runs. */
  seconds: number;
  /** Messages collected before a batched flush (the platform flushes what a second brings). */
  batch: number;
}

export const FULL: HeartbeatsOptions = { devices: 2000, seconds: 3, batch: 1000 };

const UPDATE = `UPDATE "Device" SET online = 1, battery = COALESCE(?, battery), signal = COALESCE(?, signal),
  lastSeenAt = ? WHERE id = ?`;

function run(db: Database.Database, ids: string[], seconds: number, batch: number | null): Row {
  const update = db.prepare(UPDATE);
  const write = db.transaction((beats: [string, number][]) => {
    for (const [id, at] of beats) update.run(80, 60, at, id);
  });
  let messages = 0;
  let commits = 0;
  let rows = 0;
  const pending = new Map<string, number>();
  const flush = () => {
    write([...pending]);
    rows += pending.size;
    commits++;
    pending.clear();
  };
  const end = performance.now() + seconds * 1000;
  while (performance.now() < end) {
    const id = ids[messages % ids.length]!;
    messages++;
    pending.set(id, Date.now()); // a newer beat of the same device replaces the buffered one
    if (batch === null || messages % batch === 0) flush();
  }
  if (pending.size > 0) flush();
  return {
    mode: batch === null ? "one transaction per message" : `batched, one transaction per ${batch} messages`,
    messages,
    "msg/s": Math.round(messages / seconds),
    commits,
    "rows written": rows,
  };
}

export async function runHeartbeats(o: HeartbeatsOptions): Promise<BenchReport> {
  const report = new BenchReport(
    "heartbeats",
    {
      devices: o.devices,
      secondsPerMode: o.seconds,
      batch: o.batch,
      database: "the platform's schema; WAL, synchronous=FULL; devices beat in turn",
    },
    o,
  );
  return inTempDir("eldercare-bench-heartbeats-", async (dir) => {
    const file = join(dir, "heartbeats.db");
    copyFileSync(await preparedDatabase(o.devices), file);
    const db = new Database(file);
    try {
      db.pragma("journal_mode = WAL");
      db.pragma("synchronous = FULL");
      const ids = deviceIds(o.devices);
      const batched = run(db, ids, o.seconds, o.batch);
      const single = run(db, ids, o.seconds, null);
      report.table("heartbeat writes: batched vs one transaction per message", [batched, single]);
      report.ratio(
        "msg/s, batched / one per message",
        ratio(batched["msg/s"] as number, single["msg/s"] as number),
      );
    } finally {
      db.close();
    }
    report.write();
    return report;
  });
}

if (isMain(import.meta.url)) {
  const env = loadBenchEnv();
  await runHeartbeats({ ...FULL, ...runOptions(env) });
}
