// Steps that several phases of a case share. They change the draft in place and return or push effects.
import {
  AUTO_ESCALATION_REASONS,
  isWaitingStatus,
  type AutoEscalationReason,
  type CaseEventType,
  type EscalationReason,
  type WithdrawalReason,
} from "../../../protocol/index.ts";
import type { Actor, CaseState, Effect, OfferState } from "../state.ts";
import { excludedResponders, nextLook, offerSlots, pending } from "./offer-clock.ts";
import type { Turn } from "./turn.ts";

export { pending } from "./offer-clock.ts";

/** A CaseEvent row; only the protocol's event types compile, so the timeline and KPIs know every one. */
export function event(
  type: CaseEventType,
  actor: Actor,
  note: string | null,
  data: Record<string, unknown> | null,
): Effect {
  return { kind: "event", type, actor, note, data };
}

/** Closes every pending offer (or those `which` picks); returns whose they were. */
export function withdrawPending(
  s: CaseState,
  now: number,
  which: (o: OfferState) => boolean = () => true,
): number[] {
  const ids: number[] = [];
  for (const o of pending(s).filter(which)) {
    o.status = "withdrawn";
    o.respondedAt = now;
    ids.push(o.responderId);
  }
  return ids;
}

/** Tells the phones of `responderIds` that their offer is gone; nothing when there is nobody to tell. */
export function offersClosed(responderIds: number[], reason: WithdrawalReason): Effect[] {
  return responderIds.length > 0 ? [{ kind: "offers_closed", responderIds, reason }] : [];
}

/**
 * After an offer changed in a case still waiting (made, declined, expired, withdrawn): with nobody
 * left to answer it is `new` again; matching is asked for whatever the round still wants
 * (`ask`: only when something new could be offered, so a quiet tick stays quiet); and the next
 * time to look is set.
 */
export function keepSearching(s: CaseState, t: Turn, ask: boolean): void {
  if (!isWaitingStatus(s.status)) return;
  if (pending(s).length === 0) s.status = "new";
  if (ask && offerSlots(s, t.now, t.policy) > 0) {
    t.effects.push({ kind: "find_candidates", exclude: excludedResponders(s, t.now, t.policy) });
  }
  rearm(s, t);
}

/** Keeps `offerDeadline` at the next time the engine must look at the offers. */
export function rearm(s: CaseState, t: Turn): void {
  s.offerDeadline = nextLook(s, t.now, t.policy);
}

/** The case needs nobody new (resolved or cancelled): open offers are withdrawn, no deadline is left. */
export function stopSearching(
  s: CaseState,
  t: Turn,
  reason: Extract<WithdrawalReason, "cancelled" | "resolved">,
): void {
  t.effects.push(...offersClosed(withdrawPending(s, t.now), reason));
  s.offerDeadline = null;
  s.escalationDeadline = null;
}

/** `responderId` has the case (by accepting or by staff assignment); the offer and escalation clocks stop. */
export function handOver(
  s: CaseState,
  responderId: number,
  etaSeconds: number,
  now: number,
  by: "accept" | "staff",
): Effect[] {
  s.status = "accepted";
  s.responderId = responderId;
  s.assignedByStaff = by === "staff";
  s.etaSeconds = etaSeconds;
  s.acceptedAt = now;
  s.offerDeadline = null;
  s.escalationDeadline = null;
  return [
    { kind: "ack_device", status: "assigned", etaSeconds, responderId },
    { kind: "responder_assigned", responderId },
  ];
}

const isAutoReason = (reason: EscalationReason): reason is AutoEscalationReason =>
  (AUTO_ESCALATION_REASONS as readonly string[]).includes(reason);

/**
 * Raises the flag; staff escalations record their target, the engine its own reason. Only the
 * engine's escalations alert staff: a person who escalated by hand already knows.
 */
export function escalate(
  s: CaseState,
  t: Turn,
  reason: EscalationReason,
  actor: Actor,
  note: string | null,
): void {
  s.escalated = true;
  s.escalationReason = reason;
  t.effects.push(event("escalated", actor, note, { reason }));
  if (isAutoReason(reason)) t.effects.push({ kind: "alert_staff", alert: reason, message: note ?? reason });
}
