// Steps that several phases of a case share. They change the draft in place and return or push effects.
import {
  AUTO_ESCALATION_REASONS,
  type AutoEscalationReason,
  type CaseEventType,
  type EscalationReason,
  type WithdrawalReason,
} from "../../../protocol/index.ts";
import type { Actor, CaseState, Effect, OfferState } from "../state.ts";
import type { Turn } from "./turn.ts";

/** A CaseEvent row; only the protocol's event types compile, so the timeline and KPIs know every one. */
export function event(
  type: CaseEventType,
  actor: Actor,
  note: string | null,
  data: Record<string, unknown> | null,
): Effect {
  return { kind: "event", type, actor, note, data };
}

export function pending(s: CaseState): OfferState[] {
  return s.offers.filter((o) => o.status === "pending");
}

/** When the engine must look at the pending offers again: the earliest of their deadlines. */
export function earliestPendingDeadline(s: CaseState): number {
  return Math.min(...pending(s).map((o) => o.deadline));
}

/** Everyone who was asked and answered or ran out of time: matching must not ask them again. */
export function triedResponders(s: CaseState): number[] {
  return [...new Set(s.offers.filter((o) => o.status !== "pending").map((o) => o.responderId))];
}

/** Closes every pending offer; returns whose they were. */
export function withdrawPending(s: CaseState, now: number): number[] {
  const ids: number[] = [];
  for (const o of pending(s)) {
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

/** Nobody is left to answer: back to `new`, and matching looks for someone not tried yet. */
export function searchAgain(s: CaseState, t: Turn): void {
  s.status = "new";
  s.offerDeadline = null;
  t.effects.push({ kind: "find_candidates", exclude: triedResponders(s) });
}

/** The case needs nobody new (resolved or cancelled): open offers are withdrawn, no deadline is left. */
export function stopSearching(s: CaseState, t: Turn): void {
  t.effects.push(...offersClosed(withdrawPending(s, t.now), "cancelled"));
  s.offerDeadline = null;
  s.escalationDeadline = null;
}

/** `responderId` has the case (by accepting or by staff assignment); the offer and escalation clocks stop. */
export function handOver(s: CaseState, responderId: number, etaSeconds: number, now: number): Effect[] {
  s.status = "accepted";
  s.responderId = responderId;
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
