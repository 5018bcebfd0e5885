// The pure rule of coverage alerts: given a community's open alerts and the gaps its roster now
// leaves in the hours ahead, which alerts to raise, move or resolve. One alert per gap: a gap
// that overlaps an open alert is that alert's gap (shortened or lengthened by roster edits), so
// editing the roster never raises a second alert for the same stretch.
import type { Interval } from "./shifts.ts";

export interface OpenCoverageAlert {
  id: number;
  from: number;
  until: number;
}

export interface CoverageDecision {
  raise: Interval[];
  move: { id: number; from: number; until: number }[];
  resolve: { id: number; resolution: "filled" | "ended" }[];
}

const overlaps = (a: { from: number; until: number }, g: Interval) => g.start < a.until && a.from < g.end;

/**
 * `gaps`: the uncovered stretches from `now` on (as far ahead as the sweep looks); a gap is
 * raised once it starts within `aheadMs`. An open alert no gap overlaps any more was filled, or,
 * when its stretch is over, went by uncovered.
 */
export function decideCoverage(
  open: readonly OpenCoverageAlert[],
  gaps: readonly Interval[],
  now: number,
  aheadMs: number,
): CoverageDecision {
  const decision: CoverageDecision = { raise: [], move: [], resolve: [] };
  const claimed = new Set<Interval>();
  for (const a of open) {
    const mine = gaps.filter((g) => !claimed.has(g) && overlaps(a, g));
    if (mine.length === 0) {
      decision.resolve.push({ id: a.id, resolution: now >= a.until ? "ended" : "filled" });
      continue;
    }
    for (const g of mine) claimed.add(g);
    // A gap already under way keeps the time it began; one ahead follows the roster.
    const from = Math.min(...mine.map((g) => g.start)) <= now ? Math.min(a.from, now) : mine[0]!.start;
    const until = Math.max(...mine.map((g) => g.end));
    if (from !== a.from || until !== a.until) decision.move.push({ id: a.id, from, until });
  }
  for (const g of gaps) if (!claimed.has(g) && g.start <= now + aheadMs) decision.raise.push(g);
  return decision;
}
