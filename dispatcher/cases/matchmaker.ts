// Collects the cases that need a responder and matches them together on the next turn of the
// event loop: a burst of emergencies is assigned as a batch (minimum total priority-weighted ETA,
// Hungarian algorithm) instead of greedy first-come nearest. The planning itself is pure.
import {
  ResponderIndex,
  assignBatch,
  rankCandidates,
  type CaseNeed,
  type MatchingOptions,
  type RankedCandidate,
  type ResponderState,
} from "../matching/index.ts";
import type { CandidateOffer, Command, Policy } from "./state.ts";

/** Case id → responders not to offer again (they declined or let an offer expire). */
export type MatchRequests = ReadonlyMap<number, readonly number[]>;

export class Matchmaker {
  private queue = new Map<number, readonly number[]>();
  private scheduled: NodeJS.Immediate | null = null;
  private stopped = false;

  /** `run` matches the collected requests (one transaction) and carries out the answers. */
  constructor(private readonly run: (requests: MatchRequests) => Promise<void>) {}

  request(caseId: number, exclude: readonly number[]): void {
    if (this.stopped) return;
    this.queue.set(caseId, exclude);
    this.scheduled ??= setImmediate(() => this.flush());
  }

  stop(): void {
    this.stopped = true;
    if (this.scheduled) clearImmediate(this.scheduled);
  }

  private flush(): void {
    this.scheduled = null;
    const requests = this.queue;
    this.queue = new Map();
    if (requests.size > 0) void this.run(requests);
  }
}

/** For each waiting case, whom to offer it to (or nobody). Pure. */
export function planOffers(
  needs: readonly CaseNeed[],
  responders: readonly ResponderState[],
  now: number,
  policy: Pick<Policy, "parallelOffers">,
  options: MatchingOptions,
): { caseId: number; command: Command }[] {
  const index = new ResponderIndex(responders);
  const used = new Set<number>();
  const primary = new Map<number, number>();

  const emergencies = needs.filter((n) => n.kind === "emergency");
  if (emergencies.length > 1) {
    for (const a of assignBatch(emergencies, index, now, options).assignments) {
      primary.set(a.caseId, a.responderId);
      used.add(a.responderId);
    }
  }
  // Most urgent first, so parallel offers of an urgent case are not taken by a lesser one.
  const ordered = [...needs].sort((a, b) => a.priority - b.priority || a.caseId - b.caseId);
  return ordered.map((need) => {
    const ranked = rankCandidates(need, index, now, options);
    const k = need.kind === "emergency" ? policy.parallelOffers : 1;
    const primaryId = primary.get(need.caseId);
    // The batch may pick someone beyond this case's first radius step; then free them for others.
    if (primaryId !== undefined && !ranked.some((c) => c.responderId === primaryId)) used.delete(primaryId);
    const chosen = pick(ranked, k, primaryId, used);
    for (const c of chosen) used.add(c.responderId);
    const command: Command =
      chosen.length > 0 ? { type: "offer", candidates: chosen.map(toOffer) } : { type: "no_candidate" };
    return { caseId: need.caseId, command };
  });
}

function pick(
  ranked: RankedCandidate[],
  k: number,
  primaryId: number | undefined,
  used: Set<number>,
): RankedCandidate[] {
  const chosen: RankedCandidate[] = [];
  const first = primaryId === undefined ? undefined : ranked.find((c) => c.responderId === primaryId);
  if (first) chosen.push(first);
  for (const c of ranked) {
    if (chosen.length >= k) break;
    if (c === first || used.has(c.responderId)) continue;
    chosen.push(c);
  }
  return chosen;
}

function toOffer(c: RankedCandidate): CandidateOffer {
  return {
    responderId: c.responderId,
    etaSeconds: c.etaSeconds,
    distanceMeters: Math.round(c.distanceMeters),
  };
}
