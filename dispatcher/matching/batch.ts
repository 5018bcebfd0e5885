// Assigning several open cases at once. Greedy "each case takes its nearest free responder" can
// strand a later case far from help; the Hungarian algorithm minimises the total
// priority-weighted ETA over all cases together.
import munkres from "munkres";
import type { Priority } from "../../protocol/index.ts";
import { candidatesWithin, widestEta, widestRadius } from "./candidates.ts";
import type { ResponderSource } from "./responder-index.ts";
import { DEFAULT_MATCHING_OPTIONS, type CaseNeed, type MatchingOptions } from "./types.ts";

/** Seconds of an urgent case count more: priority 1 (most urgent) weighs 4, priority 4 weighs 1. */
export const PRIORITY_WEIGHTS: Readonly<Record<Priority, number>> = { 1: 4, 2: 3, 3: 2, 4: 1 };

export interface BatchAssignment {
  caseId: number;
  responderId: number;
  etaSeconds: number;
}

export interface BatchResult {
  /** In the order of the input cases. */
  assignments: BatchAssignment[];
  /** Case ids nobody could be assigned to, in input order. */
  unassigned: number[];
  /** Σ priority weight × ETA over the assignments. */
  totalWeightedEta: number;
}

/** For each case: responderId → ETA of every responder allowed to take it. */
type FeasiblePairs = Map<number, number>[];

/**
 * Every eligible responder within the widest search step is a candidate for a case. The steps
 * keep single offers local; here ETA is already in the cost, so far pairs lose on their own.
 * Preferences (paired volunteer, own community) are not applied: the goal is minimum total time.
 */
function feasiblePairs(
  needs: readonly CaseNeed[],
  source: ResponderSource,
  now: number,
  options: MatchingOptions,
): FeasiblePairs {
  const radius = widestRadius(options);
  const maxEta = widestEta(options);
  return needs.map((need) => {
    const etas = new Map<number, number>();
    for (const c of candidatesWithin(need, source, now, radius, options))
      if (c.etaSeconds <= maxEta) etas.set(c.responderId, c.etaSeconds);
    return etas;
  });
}

function summarize(needs: readonly CaseNeed[], chosen: (BatchAssignment | null)[]): BatchResult {
  const assignments: BatchAssignment[] = [];
  const unassigned: number[] = [];
  let totalWeightedEta = 0;
  needs.forEach((need, i) => {
    const a = chosen[i];
    if (!a) {
      unassigned.push(need.caseId);
      return;
    }
    assignments.push(a);
    totalWeightedEta += PRIORITY_WEIGHTS[need.priority] * a.etaSeconds;
  });
  return { assignments, unassigned, totalWeightedEta };
}

/**
 * Optimal assignment: minimum Σ weight × ETA, each responder to at most one case.
 *
 * Rows are cases, columns the responders feasible for at least one case (sorted by id, for
 * determinism). munkres solves rectangular matrices directly, so when responders outnumber cases
 * no padding is needed. When cases outnumber responders the matrix is padded with "nobody"
 * columns. A case that lands on a "nobody" column or an impossible pair costs UNASSIGNED × weight,
 * where UNASSIGNED exceeds any sum of real costs: the solver first serves as much priority weight
 * as possible (the least urgent cases are the ones left waiting), then minimises weighted ETA.
 */
export function assignBatch(
  needs: readonly CaseNeed[],
  source: ResponderSource,
  now: number,
  options: MatchingOptions = DEFAULT_MATCHING_OPTIONS,
): BatchResult {
  const pairs = feasiblePairs(needs, source, now, options);
  const responderIds = [...new Set(pairs.flatMap((p) => [...p.keys()]))].sort((a, b) => a - b);
  if (needs.length === 0 || responderIds.length === 0)
    return summarize(
      needs,
      needs.map(() => null),
    );

  const weights = needs.map((n) => PRIORITY_WEIGHTS[n.priority]);
  let unassignedCost = 1;
  pairs.forEach((etas, i) => {
    let worst = 0;
    for (const eta of etas.values()) worst = Math.max(worst, eta);
    unassignedCost += weights[i]! * worst;
  });

  const columns = Math.max(responderIds.length, needs.length);
  const costs = needs.map((_, i) => {
    const row = new Array<number>(columns);
    const w = weights[i]!;
    for (let j = 0; j < columns; j++) {
      const responderId = responderIds[j];
      const eta = responderId === undefined ? undefined : pairs[i]!.get(responderId);
      row[j] = eta === undefined ? unassignedCost * w : w * eta;
    }
    return row;
  });

  const chosen: (BatchAssignment | null)[] = needs.map(() => null);
  for (const [row, col] of munkres(costs)) {
    const responderId = responderIds[col];
    const eta = responderId === undefined ? undefined : pairs[row]!.get(responderId);
    if (responderId !== undefined && eta !== undefined) {
      chosen[row] = { caseId: needs[row]!.caseId, responderId, etaSeconds: eta };
    }
  }
  return summarize(needs, chosen);
}

/**
 * First come, first served: each case in input order takes the free responder with the lowest
 * ETA (ties by id), from the same candidate pairs as assignBatch. Kept as the baseline the batch
 * is measured against.
 */
export function assignGreedy(
  needs: readonly CaseNeed[],
  source: ResponderSource,
  now: number,
  options: MatchingOptions = DEFAULT_MATCHING_OPTIONS,
): BatchResult {
  const pairs = feasiblePairs(needs, source, now, options);
  const taken = new Set<number>();
  const chosen = needs.map((need, i): BatchAssignment | null => {
    let best: BatchAssignment | null = null;
    for (const [responderId, eta] of pairs[i]!) {
      if (taken.has(responderId)) continue;
      if (!best || eta < best.etaSeconds || (eta === best.etaSeconds && responderId < best.responderId)) {
        best = { caseId: need.caseId, responderId, etaSeconds: eta };
      }
    }
    if (best) taken.add(best.responderId);
    return best;
  });
  return summarize(needs, chosen);
}
