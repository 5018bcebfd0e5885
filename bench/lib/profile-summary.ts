// Where a V8 CPU profile (BENCH_PROFILE_DIR, or node --cpu-prof) spends its time: self time by
// package and by function, as shares of the samples. Used for the bottlenecks in
// docs/performance.md. Run: npx tsx bench/lib/profile-summary.ts <file.cpuprofile> [top=15]
import { readFileSync } from "node:fs";
import { isMain } from "./main.ts";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
}

export interface Share {
  name: string;
  percent: number;
}

export interface ProfileSummary {
  samples: number;
  byPackage: Share[];
  byFunction: Share[];
}

/** `node_modules/<pkg>` (scoped too), `node:` internals, the program, GC and idle by name. */
function packageOf(url: string, fn: string): string {
  if (url === "") return fn === "" ? "(native)" : `(${fn.replace(/^\(|\)$/g, "")})`;
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (m) return m[1]!;
  if (url.startsWith("node:")) return "node internals";
  return "this repository";
}

function top(counts: Map<string, number>, total: number, n: number): Share[] {
  return [...counts]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([name, c]) => ({ name, percent: Math.round((c / total) * 1000) / 10 }));
}

export function summarizeProfile(profile: CpuProfile, n = 15): ProfileSummary {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const packages = new Map<string, number>();
  const functions = new Map<string, number>();
  for (const id of profile.samples) {
    const frame = byId.get(id)?.callFrame;
    if (!frame) continue;
    const pkg = packageOf(frame.url, frame.functionName);
    const where = frame.url.replace(/^.*node_modules\//, "").replace(/^file:\/\/.*?\/(?=[^/]+\/[^/]+$)/, "");
    const fn = `${frame.functionName || "(anonymous)"} ${where}:${frame.lineNumber + 1}`;
    packages.set(pkg, (packages.get(pkg) ?? 0) + 1);
    functions.set(fn, (functions.get(fn) ?? 0) + 1);
  }
  const total = profile.samples.length || 1;
  return {
    samples: profile.samples.length,
    byPackage: top(packages, total, n),
    byFunction: top(functions, total, n),
  };
}

if (isMain(import.meta.url)) {
  const [file, count] = process.argv.slice(2);
  if (!file) {
    console.error("usage: npx tsx bench/lib/profile-summary.ts <file.cpuprofile> [top]");
    process.exit(2);
  }
  const summary = summarizeProfile(JSON.parse(readFileSync(file, "utf8")) as CpuProfile, Number(count ?? 15));
  console.log(`${file}: ${summary.samples} samples`);
  console.table(summary.byPackage);
  console.table(summary.byFunction);
}
