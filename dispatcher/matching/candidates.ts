// Who can be offered a case at all, and at what distance and ETA.
import { haversineMeters } from "../../protocol/geo.ts";
import { etaSeconds } from "./eta.ts";
import { hasLocation, type NearbyResponder, type ResponderSource } from "./responder-index.ts";
import { fitsCase } from "./skills.ts";
import type { CaseNeed, MatchingOptions, RankedCandidate, ResponderState } from "./types.ts";

/** On duty, reachable, free, recently located, not already tried for this case, and fit for it. */
export function isEligible(
  need: CaseNeed,
  responder: ResponderState,
  now: number,
  options: Pick<MatchingOptions, "staleLocationMs">,
): boolean {
  return (
    responder.onDuty &&
    responder.reachable !== false &&
    !responder.busy &&
    hasLocation(responder) &&
    responder.locationAt !== null &&
    now - responder.locationAt <= options.staleLocationMs &&
    !need.excludeResponderIds.includes(responder.id) &&
    fitsCase(need, responder)
  );
}

/** Candidate with score = ETA; preferences are applied later by ranking. */
function toCandidate(need: CaseNeed, found: NearbyResponder, options: MatchingOptions): RankedCandidate {
  const { responder, distanceMeters } = found;
  const eta = etaSeconds(distanceMeters, responder.transport, options);
  return {
    responderId: responder.id,
    name: responder.name,
    role: responder.role,
    transport: responder.transport,
    distanceMeters: Math.round(distanceMeters),
    etaSeconds: eta,
    paired: need.pairedVolunteerId === responder.id,
    sameCommunity: responder.communityId === need.communityId,
    score: eta,
  };
}

export function widestRadius(options: Pick<MatchingOptions, "radiusStepsMeters">): number {
  return options.radiusStepsMeters.reduce((a, b) => Math.max(a, b), 0);
}

/** All eligible responders within `radiusMeters`, unsorted by preference (nearest first). */
export function candidatesWithin(
  need: CaseNeed,
  source: ResponderSource,
  now: number,
  radiusMeters: number,
  options: MatchingOptions,
): RankedCandidate[] {
  return source
    .nearby(need.lng, need.lat, radiusMeters, (r) => isEligible(need, r, now, options))
    .map((found) => toCandidate(need, found, options));
}

/**
 * Eligible responders from the first radius step that yields anyone. The paired volunteer is
 * added from beyond that step (up to the widest one) when its ETA would still earn it the lead:
 * a paired volunteer on an e-bike 2 km away can beat a walker 1 km away.
 */
export function findCandidates(
  need: CaseNeed,
  source: ResponderSource,
  now: number,
  options: MatchingOptions,
): RankedCandidate[] {
  for (const radius of options.radiusStepsMeters) {
    const found = candidatesWithin(need, source, now, radius, options);
    if (found.length === 0) continue;
    const paired = pairedFromFurther(need, source, now, found, options);
    return paired ? [...found, paired] : found;
  }
  return [];
}

function pairedFromFurther(
  need: CaseNeed,
  source: ResponderSource,
  now: number,
  found: readonly RankedCandidate[],
  options: MatchingOptions,
): RankedCandidate | null {
  if (need.pairedVolunteerId === null || found.some((c) => c.paired)) return null;
  const responder = source.get(need.pairedVolunteerId);
  if (!responder || !hasLocation(responder) || !isEligible(need, responder, now, options)) return null;
  const distanceMeters = haversineMeters(need.lat, need.lng, responder.lat, responder.lng);
  if (distanceMeters > widestRadius(options)) return null;
  const candidate = toCandidate(need, { responder, distanceMeters }, options);
  const bestEta = found.reduce((best, c) => Math.min(best, c.etaSeconds), Infinity);
  return candidate.etaSeconds <= bestEta + options.pairedPreferenceSeconds ? candidate : null;
}
