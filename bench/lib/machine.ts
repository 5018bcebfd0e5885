// The conditions a figure was measured under: the machine, the code, and how busy the machine
// was. The cores are shared, so every results file records the load before and after.
import { execFileSync } from "node:child_process";
import { cpus, freemem, loadavg, totalmem } from "node:os";
import { REPO_ROOT } from "./config.ts";

export interface Machine {
  cpus: number;
  cpuModel: string;
  memoryMb: number;
  freeMemoryMb: number;
  node: string;
  platform: string;
}

export interface Commit {
  commit: string | null;
  /** Uncommitted changes in the working tree when the benchmark ran. */
  dirty: boolean;
}

export function machine(): Machine {
  const list = cpus();
  return {
    cpus: list.length,
    cpuModel: list[0]?.model.trim() ?? "unknown",
    memoryMb: Math.round(totalmem() / 2 ** 20),
    freeMemoryMb: Math.round(freemem() / 2 ** 20),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
  };
}

export function gitCommit(): Commit {
  const git = (...args: string[]) =>
    execFileSync("git", args, { cwd: REPO_ROOT, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
  try {
    return { commit: git("rev-parse", "HEAD").trim(), dirty: git("status", "--porcelain").trim() !== "" };
  } catch {
    return { commit: null, dirty: false };
  }
}

/** 1, 5 and 15 minute load averages, two decimals. */
export function loadAverage(): [number, number, number] {
  const [a = 0, b = 0, c = 0] = loadavg();
  return [round2(a), round2(b), round2(c)];
}

const round2 = (n: number) => Math.round(n * 100) / 100;
