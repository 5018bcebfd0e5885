// Summaries of measured samples: percentiles with the nearest-rank method, as device-sim uses.
import { median, percentile } from "../../device-sim/summary.ts";

export interface Distribution {
  count: number;
  p50: number | null;
  p95: number | null;
  p99: number | null;
  max: number | null;
  mean: number | null;
}

export function distribution(values: readonly number[]): Distribution {
  const sorted = [...values].sort((a, b) => a - b);
  const n = sorted.length;
  return {
    count: n,
    p50: round(median(sorted)),
    p95: round(percentile(sorted, 0.95)),
    p99: round(percentile(sorted, 0.99)),
    max: round(n === 0 ? null : sorted[n - 1]!),
    mean: round(n === 0 ? null : sorted.reduce((a, b) => a + b, 0) / n),
  };
}

/** The median of figures in any order, the missing ones left out; null when none is there. */
export function medianOf(values: readonly (number | null)[]): number | null {
  const present = values.filter((v): v is number => v !== null).sort((a, b) => a - b);
  return round(median(present));
}

/** `value` / `peer`, two decimals; null when either is missing or the peer is 0. */
export function ratio(value: number | null | undefined, peer: number | null | undefined): number | null {
  if (value == null || peer == null || peer === 0) return null;
  return Math.round((value / peer) * 100) / 100;
}

/** One decimal (figures in ms, s, KB); null stays null. */
export function round(n: number | null, digits = 1): number | null {
  if (n === null || !Number.isFinite(n)) return null;
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}
