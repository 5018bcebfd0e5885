// Ranking of responders for one case: fastest first, with the resident's paired volunteer and
// the community's own caregivers given a bounded head start.
import { findCandidates } from "./candidates.ts";
import type { ResponderSource } from "./responder-index.ts";
import {
  DEFAULT_MATCHING_OPTIONS,
  type CaseNeed,
  type MatchingOptions,
  type RankedCandidate,
} from "./types.ts";

/**
 * Candidates for `need`, best first, at most `options.maxCandidates`.
 *
 * Filter: on duty, not busy, location fresher than `staleLocationMs`, not excluded, fits the
 * case (see FIT_RULES). Radius: the first step of `radiusStepsMeters` that yields anyone.
 * Order: by ETA, then
 * - the paired volunteer (结对) leads if its ETA ≤ best ETA + `pairedPreferenceSeconds`;
 * - a caregiver of the case's community goes ahead of anyone at most
 *   `communityPreferenceSeconds` faster;
 * - remaining ties by ETA, then responder id, so the same input always gives the same list.
 */
export function rankCandidates(
  need: CaseNeed,
  source: ResponderSource,
  now: number,
  options: MatchingOptions = DEFAULT_MATCHING_OPTIONS,
): RankedCandidate[] {
  const found = findCandidates(need, source, now, options);
  const allowance = options.answerAllowanceSeconds[need.kind];
  return orderByPreference(found, options, (c) => allowance[c.role] ?? 0).slice(
    0,
    Math.max(0, options.maxCandidates),
  );
}

/**
 * Sets each candidate's score (ETA minus preference credit) and sorts by it.
 *
 * The paired volunteer inside its window gets the paired credit plus the community credit, so no
 * community caregiver can out-credit it: its score ≤ best ETA − community credit ≤ anyone
 * else's score. On equal scores the larger credit goes first, which makes both windows inclusive.
 */
export function orderByPreference(
  candidates: readonly RankedCandidate[],
  options: Pick<MatchingOptions, "pairedPreferenceSeconds" | "communityPreferenceSeconds">,
  allowance: (c: RankedCandidate) => number = () => 0,
): RankedCandidate[] {
  const bestEta = candidates.reduce((best, c) => Math.min(best, c.etaSeconds), Infinity);
  const scored = candidates.map((c) => {
    const credit = preferenceCredit(c, bestEta, options) - allowance(c);
    return { candidate: { ...c, score: c.etaSeconds - credit }, credit };
  });
  scored.sort(
    (a, b) =>
      a.candidate.score - b.candidate.score ||
      b.credit - a.credit ||
      a.candidate.etaSeconds - b.candidate.etaSeconds ||
      a.candidate.responderId - b.candidate.responderId,
  );
  return scored.map((s) => s.candidate);
}

function preferenceCredit(
  c: RankedCandidate,
  bestEta: number,
  options: Pick<MatchingOptions, "pairedPreferenceSeconds" | "communityPreferenceSeconds">,
): number {
  if (c.paired && c.etaSeconds <= bestEta + options.pairedPreferenceSeconds) {
    return options.pairedPreferenceSeconds + options.communityPreferenceSeconds;
  }
  return c.sameCommunity && c.role === "caregiver" ? options.communityPreferenceSeconds : 0;
}
