// Who can be offered a case at all, and at what distance and ETA.
import { haversineMeters } from "../../protocol/geo.ts";
import { etaSeconds } from "./eta.ts";
import { hasLocation, type NearbyResponder, type ResponderSource } from "./responder-index.ts";
import { fitsCase } from "./skills.ts";
import type { CaseNeed, MatchingOptions, RankedCandidate, ResponderState } from "./types.ts";

/** Busy only with an offer for a less urgent case, which a more urgent one may take (decision 0008). */
export function mayPreempt(
  need: Pick<CaseNeed, "caseId" | "priority">,
  responder: ResponderState,
  options: Pick<MatchingOptions, "preempt">,
): boolean {
  const held = responder.holding;
  return options.preempt && !!held && held.caseId !== need.caseId && held.priority > need.priority;
}

/** Busy only with this very case's open offer, and the need asks to list such responders. */
function holdsOfferHere(need: CaseNeed, responder: ResponderState): boolean {
  return need.includeOfferedHere === true && responder.holding?.caseId === need.caseId;
}

/** An offer would reach the phone, or the need asks to list those it would not reach too. */
function reachableFor(need: CaseNeed, responder: ResponderState): boolean {
  return responder.reachable !== false || need.includeUnreachable === true;
}

/**
 * On duty, reachable, free (or preemptable), recently located, not excluded for this case, and fit
 * for it.
 */
export function isEligible(
  need: CaseNeed,
  responder: ResponderState,
  now: number,
  options: Pick<MatchingOptions, "staleLocationMs" | "preempt">,
): boolean {
  return (
    responder.onDuty &&
    reachableFor(need, responder) &&
    (!responder.busy || holdsOfferHere(need, responder) || mayPreempt(need, responder, options)) &&
    hasLocation(responder) &&
    responder.locationAt !== null &&
    now - responder.locationAt <= options.staleLocationMs &&
    !need.excludeResponderIds.includes(responder.id) &&
    fitsCase(need, responder)
  );
}

/** Soon enough for the need: anyone for a case nobody has, clearly sooner than the one on the way otherwise. */
export function soonEnough(need: Pick<CaseNeed, "etaBelowSeconds">, etaSeconds: number): boolean {
  return need.etaBelowSeconds === undefined || etaSeconds < need.etaBelowSeconds;
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
    preempts:
      responder.busy && responder.holding && responder.holding.caseId !== need.caseId
        ? responder.holding.caseId
        : null,
    score: eta,
  };
}

/** The search radius of each step: a band's is how far the fastest mode gets within it. */
export function stepRadii(
  options: Pick<MatchingOptions, "steps" | "maxRangeMeters" | "detourFactor" | "speedsMps">,
): { radius: number; maxEta: number }[] {
  const { steps, maxRangeMeters } = options;
  if (steps.by === "distance") {
    return steps.radiiMeters.map((r) => ({ radius: Math.min(r, maxRangeMeters), maxEta: Infinity }));
  }
  const fastest = Math.max(...Object.values(options.speedsMps));
  return steps.bandsSeconds.map((band) => ({
    radius: Math.min(maxRangeMeters, (band * fastest) / options.detourFactor),
    maxEta: band,
  }));
}

export function widestRadius(options: Parameters<typeof stepRadii>[0]): number {
  return stepRadii(options).reduce((a, s) => Math.max(a, s.radius), 0);
}

/** The ETA beyond which nobody is a candidate (the last band), Infinity for distance steps. */
export function widestEta(options: Parameters<typeof stepRadii>[0]): number {
  return stepRadii(options).reduce((a, s) => Math.max(a, s.maxEta), 0);
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
    .map((found) => toCandidate(need, found, options))
    .filter((c) => soonEnough(need, c.etaSeconds));
}

/**
 * Eligible responders of the first step (ETA band, or radius) that yields anyone. The paired
 * volunteer is added from beyond that step (up to the widest one) when its ETA would still earn it
 * the lead: a paired volunteer on an e-bike 2 km away can beat a walker 1 km away.
 */
export function findCandidates(
  need: CaseNeed,
  source: ResponderSource,
  now: number,
  options: MatchingOptions,
): RankedCandidate[] {
  for (const { radius, maxEta } of stepRadii(options)) {
    const found = candidatesWithin(need, source, now, radius, options).filter((c) => c.etaSeconds <= maxEta);
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
  if (candidate.etaSeconds > widestEta(options) || !soonEnough(need, candidate.etaSeconds)) return null;
  const bestEta = found.reduce((best, c) => Math.min(best, c.etaSeconds), Infinity);
  return candidate.etaSeconds <= bestEta + options.pairedPreferenceSeconds ? candidate : null;
}
