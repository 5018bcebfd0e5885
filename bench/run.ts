// `npm run bench` runs every benchmark, each in its own process; `npm run bench -- fan-in` (or
// several names) runs those whose file name contains a name. Benchmarks print tables with the peer
// measured in the same run and write bench/results/<name>.json; at the end a summary lists the
// targets each one checked. They are not tests: a missed target does not fail the run, a crash does.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { DEFAULT_RESULTS_DIR, loadBenchEnv } from "./lib/config.ts";
import type { BenchResult } from "./lib/report.ts";

const here = dirname(fileURLToPath(import.meta.url));
/** Cheap and in-process first, so a quick look needs no patience; the heavy ones last. */
const ORDER = [
  "matching",
  "heartbeats",
  "ingest",
  "fan-in",
  "connections",
  "cluster-fleet",
  "end-to-end",
  "console-map",
];
const names = process.argv.slice(2);
const rank = (f: string) => {
  const i = ORDER.findIndex((n) => f.startsWith(`${n}.`));
  return i === -1 ? ORDER.length : i;
};
const files = readdirSync(here)
  .filter((f) => f.endsWith(".bench.ts") && (names.length === 0 || names.some((n) => f.includes(n))))
  .sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
if (files.length === 0) {
  console.error(`no benchmark matches ${names.join(", ")}`);
  process.exit(2);
}

// An interrupted run stops the benchmark under way, which stops what it started (lib/cleanup.ts).
let current: ChildProcess | null = null;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (!current) process.exit(130);
    current.kill(signal);
    current.once("exit", () => process.exit(130));
  });
}

const started = performance.now();
const failed: string[] = [];
const ran: { file: string; seconds: number }[] = [];
for (const f of files) {
  console.log(`\n=== ${f} ===`);
  const t0 = performance.now();
  const child = spawn(process.execPath, ["--import", "tsx", join(here, f)], { stdio: "inherit" });
  current = child;
  const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
  current = null;
  ran.push({ file: f, seconds: Math.round((performance.now() - t0) / 1000) });
  if (code !== 0) failed.push(f);
}

const resultsDir = loadBenchEnv().BENCH_RESULTS_DIR ?? DEFAULT_RESULTS_DIR;
console.log(`\n=== summary (${Math.round((performance.now() - started) / 1000)} s) ===`);
for (const { file, seconds } of ran) {
  const json = join(resultsDir, file.replace(/\.bench\.ts$/, ".json"));
  // Not every benchmark writes a full report (background writes its own figures).
  const result = existsSync(json) ? (JSON.parse(readFileSync(json, "utf8")) as Partial<BenchResult>) : null;
  const status = failed.includes(file) ? "FAILED" : `${seconds} s`;
  console.log(
    `${file}: ${status}${result?.load ? `, load ${result.load.before[0]} → ${result.load.after?.[0]}` : ""}`,
  );
  for (const t of result?.targets ?? []) {
    console.log(`  ${t.met ? "met    " : "NOT met"}  ${t.name} ${t.op} ${t.limit}: ${t.value ?? "n/a"}`);
  }
}
process.exit(failed.length > 0 ? 1 : 0);
