// Settings of a benchmark run: the one place the benchmarks read the environment. Every
// benchmark has full-size defaults (the issue's targets) and takes smaller counts from here.
import { resolve } from "node:path";
import { z } from "zod";

const count = z.coerce.number().int().positive();

const EnvSchema = z.object({
  /** Where results/<name>.json files go; default bench/results. */
  BENCH_RESULTS_DIR: z.string().min(1).optional(),
  /** Write a V8 CPU profile of every platform/broker process here (node --cpu-prof). */
  BENCH_PROFILE_DIR: z.string().min(1).optional(),
  /** connections: idle devices held by one broker process. */
  BENCH_CONNECTIONS: count.optional(),
  /** cluster-fleet: devices across the broker processes, and how many broker processes. */
  BENCH_CLUSTER_DEVICES: count.optional(),
  BENCH_CLUSTER_BROKERS: count.optional(),
  /** fan-in: devices publishing, seconds of full-speed publishing per peer, rounds of all peers. */
  BENCH_FANIN_DEVICES: count.optional(),
  BENCH_FANIN_SECONDS: count.optional(),
  BENCH_FANIN_ROUNDS: count.optional(),
  /** end-to-end: devices connected, presses per second, seconds of steady load, burst size. */
  BENCH_E2E_DEVICES: count.optional(),
  BENCH_E2E_RATE: count.optional(),
  BENCH_E2E_SECONDS: count.optional(),
  BENCH_E2E_BURST: count.optional(),
  /** ingest: presses per mode, and the window they are spread over. */
  BENCH_PRESSES: count.optional(),
  BENCH_WITHIN_MS: count.optional(),
  /** ingest: rounds of every configuration, and the databases compared (sqlite,postgres). */
  BENCH_ROUNDS: count.optional(),
  BENCH_DATABASES: z
    .string()
    .transform((s) => s.split(",").map((d) => d.trim()))
    .pipe(z.array(z.enum(["sqlite", "postgres"])).min(1))
    .optional(),
});

export type BenchEnv = z.infer<typeof EnvSchema>;

export function loadBenchEnv(env: Record<string, string | undefined> = process.env): BenchEnv {
  const picked = Object.fromEntries(
    Object.keys(EnvSchema.shape).map((k) => [k, env[k] === "" ? undefined : env[k]]),
  );
  const result = EnvSchema.safeParse(picked);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`Invalid benchmark settings:\n${lines.join("\n")}`);
  }
  return result.data;
}

export const REPO_ROOT = resolve(import.meta.dirname, "../..");

export interface Profiling {
  /** Write a CPU profile of each benchmarked process into this folder (see cpu-profiler.mjs). */
  dir?: string;
  /** Profile only the measured phase, which the benchmark marks with measuring(). */
  phase?: boolean;
}

/** What every benchmark takes besides its own counts. */
export interface RunOptions {
  /** Where results/<name>.json goes; default bench/results. */
  resultsDir?: string;
  /** Print nothing (smoke runs inside the test suite). */
  quiet?: boolean;
  profiling?: Profiling;
}

export function runOptions(env: BenchEnv): RunOptions {
  return {
    resultsDir: env.BENCH_RESULTS_DIR,
    profiling: env.BENCH_PROFILE_DIR ? { dir: env.BENCH_PROFILE_DIR } : undefined,
  };
}
export const DEFAULT_RESULTS_DIR = resolve(REPO_ROOT, "bench/results");
