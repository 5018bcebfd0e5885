// When the offer round of a case wants more offers, and when the engine must look at it again.
// Pure; the engine's handlers keep `offerDeadline` up to date with `nextLook`, and matching asks
// `offerSlots` how many responders a case wants now (docs/decisions/0008).
import {
  isAssignedStatus,
  isAwaitingArrivalStatus,
  isDispatchable,
  isWaitingStatus,
} from "../../../protocol/index.ts";
import type { CaseState, OfferState, Policy } from "../state.ts";

export function pending(s: CaseState): OfferState[] {
  return s.offers.filter((o) => o.status === "pending");
}

/** How many offers should be pending now: phased alerting for emergencies, one at a time otherwise. */
export function offerTarget(s: CaseState, now: number, policy: Policy): number {
  if (s.kind !== "emergency") return 1;
  if (policy.staggerMs <= 0) return policy.parallelOffers;
  const phases = 1 + Math.floor(Math.max(0, now - s.createdAt) / policy.staggerMs);
  return Math.min(policy.parallelOffers, phases);
}

/** How many more responders the case wants offered now (once somebody has it: one relief at most). */
export function offerSlots(s: CaseState, now: number, policy: Policy): number {
  if (reliefBelow(s, now, policy) !== null) return 1;
  if (!isWaitingStatus(s.status) || !isDispatchable(s.kind)) return 0;
  const open = pending(s).length;
  if (!policy.replaceAtOnce && open > 0) return 0;
  return Math.max(0, offerTarget(s, now, policy) - open);
}

/**
 * Who matching must not ask for this case now: whoever declined it, whoever is asked already,
 * and whoever let an offer run out less than `reofferAfterMs` ago (for good, when that is null).
 */
export function excludedResponders(s: CaseState, now: number, policy: Policy): number[] {
  const out = new Set<number>();
  for (const o of s.offers) {
    if (o.status === "declined" || o.status === "pending") out.add(o.responderId);
    else if (o.status === "expired") {
      const since = o.respondedAt ?? o.deadline;
      if (policy.reofferAfterMs === null || now < since + policy.reofferAfterMs) out.add(o.responderId);
    }
  }
  // A responder asked again after the cool-down has a pending offer; one who declined stays out.
  return [...out];
}

/**
 * Seconds to the door the assigned responder still needs, by the ETA they accepted with, or null
 * when nobody is on the way.
 */
export function remainingEtaSeconds(s: CaseState, now: number): number | null {
  if (!isAwaitingArrivalStatus(s.status) || isWaitingStatus(s.status)) return null;
  const mine = s.offers.findLast((o) => o.status === "accepted" && o.responderId === s.responderId);
  if (!mine) return null;
  return Math.max(0, mine.etaSeconds - (now - (mine.respondedAt ?? now)) / 1000);
}

/**
 * An emergency with help on the way that is still far wants one relief offer: to a responder whose
 * ETA is below the returned seconds (`relieveGainSeconds` sooner than the one on the way). Null
 * when it wants none: not an emergency, at the door, within the grace window, an offer already
 * open, or the responder was assigned by staff (who may know why; they reassign by hand).
 */
export function reliefBelow(s: CaseState, now: number, policy: Policy): number | null {
  if (policy.relieveGainSeconds === null || s.kind !== "emergency" || s.assignedByStaff) return null;
  if (pending(s).length > 0) return null;
  // After the grace window (and never in the accept's own instant), so relief offers are told apart
  // from those the window kept open by their time.
  const grace = graceEnd(s, policy);
  if (s.acceptedAt === null || now <= s.acceptedAt || (grace !== null && now < grace)) return null;
  const remaining = remainingEtaSeconds(s, now);
  if (remaining === null || remaining <= policy.relieveGainSeconds) return null;
  return Math.floor(remaining - policy.relieveGainSeconds);
}

/** A relief offer: made after the first accept (grace-window offers were made before it). */
export function isRelief(s: CaseState, o: OfferState): boolean {
  return s.acceptedAt !== null && o.createdAt > s.acceptedAt;
}

/** The end of the grace window in which a better-placed responder may still take the case over. */
export function graceEnd(s: CaseState, policy: Policy): number | null {
  return isAssignedStatus(s.status) && s.acceptedAt !== null && policy.graceMs > 0
    ? s.acceptedAt + policy.graceMs
    : null;
}

/**
 * The next time the engine must look at the case's offers: an offer's deadline, the next phase of
 * alerting, or the end of the grace window. Null when only a change outside (a responder freed,
 * on duty, nearer) or staff can move the round on.
 */
export function nextLook(s: CaseState, now: number, policy: Policy): number | null {
  const open = pending(s);
  if (open.length === 0) return null;
  const times = open.map((o) => o.deadline);
  const grace = graceEnd(s, policy);
  if (grace !== null && open.some((o) => !isRelief(s, o))) times.push(grace);
  if (
    isWaitingStatus(s.status) &&
    s.kind === "emergency" &&
    policy.staggerMs > 0 &&
    offerTarget(s, now, policy) < policy.parallelOffers
  ) {
    const phase = Math.floor(Math.max(0, now - s.createdAt) / policy.staggerMs) + 1;
    times.push(s.createdAt + phase * policy.staggerMs);
  }
  return Math.min(...times);
}
