// The matching step, pure: the cases that want responders now, the responders as they are, the
// time and the options in; what to tell the case engine out. The same function runs live (the
// cases feature's runner, inside the transaction of the step that asked) and in the policy
// simulator (bench/policy), so what the simulator measures is what runs (decision 0008).
import { assignBatch } from "./batch.ts";
import { rankCandidates } from "./rank.ts";
import type { ResponderSource } from "./responder-index.ts";
import type { CaseNeed, MatchingOptions, RankedCandidate, ResponderState } from "./types.ts";

export interface MatchNeed extends CaseNeed {
  /** How many more responders the case wants asked now (the engine's phased alerting decides). */
  slots: number;
  /** Offers still open: with none and nobody found, the answer is `no_candidate`. */
  pendingCount: number;
  /** Older cases first among equals. */
  createdAt: number;
}

/** An offer as the engine takes it: the ETA it will show, and why this responder. */
export interface MatchOffer {
  responderId: number;
  etaSeconds: number;
  distanceMeters: number;
  why: {
    transport: RankedCandidate["transport"];
    paired: boolean;
    sameCommunity: boolean;
    preemptedCaseId?: number;
  };
}

export type MatchCommand =
  | { caseId: number; command: { type: "offer"; candidates: MatchOffer[] } }
  | { caseId: number; command: { type: "no_candidate" } }
  | { caseId: number; command: { type: "withdraw"; responderId: number; reason: "preempted" } };

/**
 * For each need with free slots, most urgent first: its best candidates by score (ETA less the
 * pairing and community credit). A responder holding an offer for a less urgent case may be taken
 * (that offer is withdrawn first). Emergencies looking for their first responder in the same step
 * are assigned together — minimum priority-weighted ETA — before anyone else picks.
 * `taken`: responders already given an offer in this transaction (it is added to).
 */
export function match(
  needs: readonly MatchNeed[],
  source: ResponderSource,
  now: number,
  options: MatchingOptions,
  taken: Set<number> = new Set(),
): MatchCommand[] {
  const free = excluding(source, taken);
  // Cases nobody has go before those with help on the way, then by urgency and age.
  const wanting = needs
    .filter((n) => n.slots > 0)
    .sort(
      (a, b) =>
        Number(relief(a)) - Number(relief(b)) ||
        a.priority - b.priority ||
        a.createdAt - b.createdAt ||
        a.caseId - b.caseId,
    );
  const primary = new Map<number, number>();
  const first = wanting.filter((n) => n.kind === "emergency" && n.pendingCount === 0 && !relief(n));
  if (options.batch && first.length > 1) {
    for (const a of assignBatch(first, free, now, options).assignments) primary.set(a.caseId, a.responderId);
  }
  const out: MatchCommand[] = [];
  for (const need of wanting) {
    const ranked = rankCandidates(need, free, now, options);
    const chosen = pick(ranked, need.slots, primary.get(need.caseId), taken);
    if (chosen.length === 0) {
      if (need.pendingCount === 0 && !relief(need))
        out.push({ caseId: need.caseId, command: { type: "no_candidate" } });
      continue;
    }
    for (const c of chosen) {
      taken.add(c.responderId);
      if (c.preempts !== null) {
        out.push({
          caseId: c.preempts,
          command: { type: "withdraw", responderId: c.responderId, reason: "preempted" },
        });
      }
    }
    out.push({ caseId: need.caseId, command: { type: "offer", candidates: chosen.map(toOffer) } });
  }
  return out;
}

const relief = (n: MatchNeed) => n.etaBelowSeconds !== undefined;

/** The batch's choice leads when it is among this case's candidates; the best others fill the slots. */
function pick(ranked: RankedCandidate[], k: number, primaryId: number | undefined, taken: Set<number>) {
  const chosen: RankedCandidate[] = [];
  const lead = primaryId === undefined ? undefined : ranked.find((c) => c.responderId === primaryId);
  if (lead && !taken.has(lead.responderId)) chosen.push(lead);
  for (const c of ranked) {
    if (chosen.length >= k) break;
    if (c !== lead && !taken.has(c.responderId)) chosen.push(c);
  }
  return chosen;
}

function toOffer(c: RankedCandidate): MatchOffer {
  return {
    responderId: c.responderId,
    etaSeconds: c.etaSeconds,
    distanceMeters: Math.round(c.distanceMeters),
    why: {
      transport: c.transport,
      paired: c.paired,
      sameCommunity: c.sameCommunity,
      ...(c.preempts !== null ? { preemptedCaseId: c.preempts } : {}),
    },
  };
}

/** The same responders without those already given something in this step. */
function excluding(source: ResponderSource, taken: ReadonlySet<number>): ResponderSource {
  return {
    get: (id) => source.get(id),
    nearby: (lng, lat, radius, filter, max) =>
      source.nearby(lng, lat, radius, (r: ResponderState) => !taken.has(r.id) && (!filter || filter(r)), max),
  };
}
