// Background cost as open cases pile up: the platform idles with 0, 1,000 and 4,000 open emergency
// cases nobody can take (every responder off duty), and we measure what it spends doing nothing —
// CPU, write transactions (each one fsync of the WAL under synchronous=FULL) and bytes written.
// The 0-case run in the same invocation is the peer. Prints the figures and writes
// bench/results/background.json; asserts nothing.
// Run: npm run bench -- background   (BENCH_IDLE_SECONDS, BENCH_OPEN_CASES="0,1000,4000")
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import pino from "pino";
import { startApp } from "../dispatcher/app.ts";
import { loadConfig } from "../dispatcher/config.ts";

const IDLE_SECONDS = Number(process.env.BENCH_IDLE_SECONDS ?? 60);
const COUNTS = (process.env.BENCH_OPEN_CASES ?? "0,1000,4000").split(",").map(Number);
const RESIDENTS = Math.max(2000, ...COUNTS) + 500;

function writtenBytes(): number {
  const io = readFileSync("/proc/self/io", "utf8");
  return Number(/write_bytes: (\d+)/.exec(io)?.[1] ?? 0);
}

async function idle(openCases: number) {
  const dir = mkdtempSync(join(tmpdir(), "eldercare-idle-"));
  const config = loadConfig({
    PORT: "0",
    MQTT_PORT: "0",
    MQTT_WS_PORT: "0",
    HOST: "127.0.0.1",
    DATABASE_URL: `file:${join(dir, "idle.db")}`,
    LOG_LEVEL: "silent",
  });
  const app = await startApp({ config, logger: pino({ level: "silent" }), seed: { residents: RESIDENTS } });
  try {
    // Nobody can take a case: every one stays open and unassigned, the worst case for retries.
    await app.db.write((tx) => tx.run(`UPDATE "Responder" SET "onDuty" = 0`));
    await app.registry.load();
    const at = new Date().toISOString();
    for (let i = 1; i <= openCases; i++) {
      app.intake.push(
        `BJ-${String(i).padStart(5, "0")}`,
        JSON.stringify({ eventId: `idle-${i}`, type: "sos", at }),
      );
    }
    await app.intake.drain();
    const open = await app.db.get<{ n: number }>(
      `SELECT COUNT(*) AS n FROM "Case" WHERE status = 'new' AND "responderId" IS NULL`,
    );
    // Let the presses' own work finish before measuring the quiet.
    await new Promise((r) => setTimeout(r, 5_000));
    const cpu0 = process.cpuUsage();
    const commits0 = app.db.stats.commits;
    const flushes0 = app.db.stats.flushes;
    const bytes0 = writtenBytes();
    const t0 = performance.now();
    await new Promise((r) => setTimeout(r, IDLE_SECONDS * 1000));
    const seconds = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    return {
      "open unassigned": open?.n ?? 0,
      "idle CPU %": +((100 * (cpu.user + cpu.system)) / 1e6 / seconds).toFixed(2),
      "commits/s": +((app.db.stats.commits - commits0) / seconds).toFixed(3),
      "fsyncs/s": +((app.db.stats.flushes - flushes0) / seconds).toFixed(3),
      "KB written/s": +((writtenBytes() - bytes0) / 1024 / seconds).toFixed(1),
      seconds: +seconds.toFixed(1),
      "load avg (1 min)": +loadavg()[0]!.toFixed(2),
    };
  } finally {
    await app.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

const rows = [];
for (const n of COUNTS) rows.push(await idle(n));
console.table(rows);
const base = rows[0]!;
const worst = rows.at(-1)!;
const verdict = {
  "CPU difference, percentage points": +(worst["idle CPU %"] - base["idle CPU %"]).toFixed(2),
  "fsyncs/s difference": +(worst["fsyncs/s"] - base["fsyncs/s"]).toFixed(3),
  "fsyncs/s ratio": base["fsyncs/s"] > 0 ? +(worst["fsyncs/s"] / base["fsyncs/s"]).toFixed(3) : null,
};
console.log(`${worst["open unassigned"]} open cases vs ${base["open unassigned"]}:`, verdict);
const out = join(dirname(fileURLToPath(import.meta.url)), "results", "background.json");
mkdirSync(dirname(out), { recursive: true });
writeFileSync(
  out,
  JSON.stringify({ at: new Date().toISOString(), idleSeconds: IDLE_SECONDS, rows, verdict }, null, 2) + "\n",
);
console.log(`written to ${out}`);
