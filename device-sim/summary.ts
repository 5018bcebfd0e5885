// Press statistics of a fleet run: pure functions over PressResult lists.
import type { PressResult } from "./device.ts";

export interface FleetSummary {
  /** Acked plus still unacked presses. */
  presses: number;
  acked: number;
  /** Presses without an ack (yet). */
  lost: number;
  /** Median press → ack latency (mean of the two middle values for an even count). */
  medianAckMs: number | null;
  /** 99th percentile press → ack latency, nearest-rank method. */
  p99AckMs: number | null;
  /** Most copies any acked press needed (0 when nothing was acked). */
  maxAttempts: number;
}

/** Nearest-rank percentile (0 < q <= 1) of an ascending list; null when empty. */
export function percentile(sorted: readonly number[], q: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(q * sorted.length)));
  return sorted[rank - 1] ?? null;
}

export function median(sorted: readonly number[]): number | null {
  const n = sorted.length;
  if (n === 0) return null;
  const hi = sorted[Math.floor(n / 2)]!;
  return n % 2 === 1 ? hi : (sorted[n / 2 - 1]! + hi) / 2;
}

export function summarize(
  results: readonly Pick<PressResult, "latencyMs" | "attempts">[],
  pendingCount: number,
): FleetSummary {
  const latencies = results.map((r) => r.latencyMs).sort((a, b) => a - b);
  return {
    presses: results.length + pendingCount,
    acked: results.length,
    lost: pendingCount,
    medianAckMs: median(latencies),
    p99AckMs: percentile(latencies, 0.99),
    maxAttempts: results.reduce((max, r) => Math.max(max, r.attempts), 0),
  };
}
