// The case engine: (case, command, now) → (case, effects). Pure: no IO, no clock reads.
//   new → offered → accepted → en_route → on_scene → resolved → closed,  plus cancelled,
//   and an `escalated` flag raised when nobody accepts in time or staff escalate.
import {
  isActiveStatus,
  type CaseKind,
  type CaseType,
  type Priority,
  type ServiceKind,
} from "../../protocol/index.ts";
import {
  SYSTEM,
  type Actor,
  type CaseState,
  type Command,
  type Effect,
  type OfferState,
  type Policy,
  type Transition,
} from "./state.ts";

export interface NewCase {
  id: number;
  type: CaseType;
  service: ServiceKind | null;
  residentId: number;
  communityId: number;
  deviceId: string | null;
  openingEventId: string | null;
  actor: Actor;
}

export function kindOf(type: CaseType): CaseKind {
  if (type === "sos" || type === "fall") return "emergency";
  if (type === "service_request") return "service";
  return "technical";
}

/** A fall is the most urgent (the resident may be unable to get up); a second press raises any case. */
export function initialPriority(type: CaseType): Priority {
  switch (type) {
    case "fall":
      return 1;
    case "sos":
      return 2;
    case "service_request":
      return 3;
    default:
      return 4;
  }
}

export function createCase(
  input: NewCase,
  now: number,
  policy: Policy,
): { state: CaseState; effects: Effect[] } {
  const kind = kindOf(input.type);
  const dispatchable = kind !== "technical";
  const state: CaseState = {
    id: input.id,
    type: input.type,
    kind,
    priority: initialPriority(input.type),
    status: "new",
    escalated: false,
    escalationReason: null,
    service: input.service,
    residentId: input.residentId,
    deviceId: input.deviceId,
    openingEventId: input.openingEventId,
    communityId: input.communityId,
    responderId: null,
    etaSeconds: null,
    pressCount: 1,
    offerRound: 0,
    createdAt: now,
    updatedAt: now,
    acceptedAt: null,
    arrivedAt: null,
    resolvedAt: null,
    closedAt: null,
    cancelledAt: null,
    offerDeadline: null,
    escalationDeadline: dispatchable
      ? now + (kind === "service" ? policy.serviceEscalationMs : policy.escalationMs)
      : null,
    staffAckAt: null,
    resolutionNote: null,
    offers: [],
  };
  const effects: Effect[] = [
    event("created", input.actor, null, { type: input.type, service: input.service }),
  ];
  if (dispatchable) effects.push({ kind: "find_candidates", exclude: [] });
  return { state, effects };
}

export function isActive(state: CaseState): boolean {
  return isActiveStatus(state.status);
}

export function apply(state: CaseState, command: Command, now: number, policy: Policy): Transition {
  const s: CaseState = { ...state, offers: state.offers.map((o) => ({ ...o })), updatedAt: now };
  const effects: Effect[] = [];
  const fail = (
    code: "illegal_transition" | "offer_closed" | "not_assigned",
    message: string,
  ): Transition => ({
    ok: false,
    code,
    message,
  });
  const done = (): Transition => ({ ok: true, state: s, effects });

  switch (command.type) {
    case "press": {
      if (!isActive(s))
        return fail("illegal_transition", `case ${s.id} is ${s.status}; a press opens a new case`);
      s.pressCount += 1;
      s.priority = Math.max(1, s.priority - 1) as Priority;
      s.staffAckAt = null; // ring again on the console
      effects.push(
        event("press_joined", command.actor, null, {
          eventType: command.eventType,
          pressCount: s.pressCount,
        }),
      );
      return done();
    }

    case "offer": {
      if (s.status !== "new" && s.status !== "offered")
        return fail("illegal_transition", `cannot offer a ${s.status} case`);
      const taken = new Set(s.offers.filter((o) => o.status === "pending").map((o) => o.responderId));
      const fresh = command.candidates.filter((c) => !taken.has(c.responderId));
      if (fresh.length === 0) return fail("illegal_transition", "no new candidates to offer");
      const deadline = now + policy.offerTimeoutMs;
      for (const c of fresh) {
        s.offers.push({
          id: null,
          responderId: c.responderId,
          status: "pending",
          etaSeconds: c.etaSeconds,
          distanceMeters: c.distanceMeters,
          createdAt: now,
          deadline,
          respondedAt: null,
        });
      }
      s.status = "offered";
      s.offerRound += 1;
      // The earliest pending offer decides when the engine must look again.
      s.offerDeadline = Math.min(...pending(s).map((o) => o.deadline));
      effects.push(
        event("offered", SYSTEM, null, {
          responderIds: fresh.map((c) => c.responderId),
          deadline,
          round: s.offerRound,
        }),
        { kind: "offers_made", responderIds: fresh.map((c) => c.responderId) },
      );
      return done();
    }

    case "no_candidate": {
      if (s.status !== "new" && s.status !== "offered")
        return fail("illegal_transition", `case is ${s.status}`);
      if (pending(s).length > 0) return done(); // still waiting on someone
      s.status = "new";
      s.offerDeadline = now + policy.retryMs;
      // Logged once; later retries stay quiet so a long wait does not flood the timeline.
      if (!s.escalated) {
        effects.push(event("no_candidate", SYSTEM, null, null));
        escalate(s, effects, "no_candidate", SYSTEM, "no responder available in range");
      }
      return done();
    }

    case "tick": {
      if (!isActive(s)) {
        s.offerDeadline = null;
        s.escalationDeadline = null;
        return done();
      }
      const expired = pending(s).filter((o) => o.deadline <= now);
      for (const o of expired) {
        o.status = "expired";
        o.respondedAt = now;
      }
      if (expired.length > 0) {
        effects.push(
          event("offer_expired", SYSTEM, null, { responderIds: expired.map((o) => o.responderId) }),
          {
            kind: "offers_closed",
            responderIds: expired.map((o) => o.responderId),
            reason: "expired",
          },
        );
      }
      const waiting = s.status === "new" || s.status === "offered";
      if (waiting && s.escalationDeadline !== null && s.escalationDeadline <= now && !s.escalated) {
        escalate(s, effects, "no_accept", SYSTEM, "nobody accepted before the escalation deadline");
      }
      if (waiting) s.escalationDeadline = s.escalated ? null : s.escalationDeadline;
      const stillPending = pending(s);
      if (
        waiting &&
        stillPending.length === 0 &&
        (expired.length > 0 || (s.offerDeadline ?? Infinity) <= now)
      ) {
        s.status = "new";
        s.offerDeadline = null;
        effects.push({ kind: "find_candidates", exclude: triedResponders(s) });
      } else if (stillPending.length > 0) {
        s.offerDeadline = Math.min(...stillPending.map((o) => o.deadline));
      }
      return done();
    }

    case "accept": {
      const offer = pending(s).find((o) => o.responderId === command.responderId);
      if (!offer || offer.deadline <= now || (s.status !== "offered" && s.status !== "new")) {
        return fail("offer_closed", "this offer is no longer open (taken, expired or withdrawn)");
      }
      offer.status = "accepted";
      offer.respondedAt = now;
      const others = withdrawPending(s, now);
      s.status = "accepted";
      s.responderId = command.responderId;
      s.etaSeconds = offer.etaSeconds;
      s.acceptedAt = now;
      s.offerDeadline = null;
      s.escalationDeadline = null;
      effects.push(
        event("accepted", command.actor, null, { etaSeconds: offer.etaSeconds }),
        {
          kind: "ack_device",
          status: "assigned",
          etaSeconds: offer.etaSeconds,
          responderId: command.responderId,
        },
        { kind: "responder_assigned", responderId: command.responderId },
      );
      if (others.length > 0) effects.push({ kind: "offers_closed", responderIds: others, reason: "taken" });
      return done();
    }

    case "decline": {
      const offer = pending(s).find((o) => o.responderId === command.responderId);
      if (!offer || offer.deadline <= now) return fail("offer_closed", "this offer is no longer open");
      offer.status = "declined";
      offer.respondedAt = now;
      effects.push(event("declined", command.actor, null, null), {
        kind: "offers_closed",
        responderIds: [command.responderId],
        reason: "cancelled",
      });
      if (pending(s).length === 0) {
        s.status = "new";
        s.offerDeadline = null;
        effects.push({ kind: "find_candidates", exclude: triedResponders(s) });
      } else {
        s.offerDeadline = Math.min(...pending(s).map((o) => o.deadline));
      }
      return done();
    }

    case "en_route": {
      if (s.status !== "accepted") return fail("illegal_transition", `cannot set off from ${s.status}`);
      if (s.responderId !== command.responderId)
        return fail("not_assigned", "you are not assigned to this case");
      s.status = "en_route";
      effects.push(event("en_route", command.actor, null, null));
      return done();
    }

    case "arrive": {
      if (s.status !== "accepted" && s.status !== "en_route")
        return fail("illegal_transition", `cannot arrive from ${s.status}`);
      if (s.responderId !== command.responderId)
        return fail("not_assigned", "you are not assigned to this case");
      s.status = "on_scene";
      s.arrivedAt = now;
      effects.push(event("arrived", command.actor, null, null), { kind: "ack_device", status: "arrived" });
      return done();
    }

    case "resolve": {
      if (!isActive(s)) return fail("illegal_transition", `cannot resolve a ${s.status} case`);
      if (command.responderId !== null && s.responderId !== command.responderId) {
        return fail("not_assigned", "you are not assigned to this case");
      }
      const withdrawn = withdrawPending(s, now);
      if (withdrawn.length > 0)
        effects.push({ kind: "offers_closed", responderIds: withdrawn, reason: "cancelled" });
      s.status = "resolved";
      s.resolvedAt = now;
      s.resolutionNote = command.note;
      s.offerDeadline = null;
      s.escalationDeadline = null;
      effects.push(event("resolved", command.actor, command.note, null), {
        kind: "service_log",
        responderId: s.responderId,
        content: command.note,
      });
      if (s.responderId !== null) effects.push({ kind: "responder_released", responderId: s.responderId });
      return done();
    }

    case "cancel": {
      if (!isActive(s)) return fail("illegal_transition", `cannot cancel a ${s.status} case`);
      if (command.actor.type === "device" && s.status !== "new" && s.status !== "offered") {
        return fail("illegal_transition", "help is already on the way; the case stays open");
      }
      const withdrawn = withdrawPending(s, now);
      if (withdrawn.length > 0)
        effects.push({ kind: "offers_closed", responderIds: withdrawn, reason: "cancelled" });
      if (s.responderId !== null) effects.push({ kind: "responder_released", responderId: s.responderId });
      s.status = "cancelled";
      s.cancelledAt = now;
      s.offerDeadline = null;
      s.escalationDeadline = null;
      // Still verified by a call (回访) before it is closed.
      effects.push(event("cancelled", command.actor, command.reason, null), {
        kind: "ack_device",
        status: "cancelled",
      });
      return done();
    }

    case "assign": {
      if (!isActive(s) || s.status === "on_scene")
        return fail("illegal_transition", `cannot assign a ${s.status} case`);
      const previous = s.responderId;
      if (previous === command.candidate.responderId)
        return fail("illegal_transition", "already assigned to this responder");
      // The previous assignment ends; an open offer to the chosen responder becomes the assignment.
      for (const o of s.offers) if (o.status === "accepted") o.status = "withdrawn";
      const own = pending(s).find((o) => o.responderId === command.candidate.responderId);
      if (own) {
        own.status = "accepted";
        own.respondedAt = now;
        own.etaSeconds = command.candidate.etaSeconds;
      }
      const withdrawn = withdrawPending(s, now);
      if (withdrawn.length > 0)
        effects.push({ kind: "offers_closed", responderIds: withdrawn, reason: "reassigned" });
      if (!own) {
        s.offers.push({
          id: null,
          responderId: command.candidate.responderId,
          status: "accepted",
          etaSeconds: command.candidate.etaSeconds,
          distanceMeters: command.candidate.distanceMeters,
          createdAt: now,
          deadline: now,
          respondedAt: now,
        });
      }
      s.status = "accepted";
      s.responderId = command.candidate.responderId;
      s.etaSeconds = command.candidate.etaSeconds;
      s.acceptedAt = now;
      s.offerDeadline = null;
      s.escalationDeadline = null;
      effects.push(
        event(previous === null ? "assigned" : "reassigned", command.actor, null, {
          responderId: command.candidate.responderId,
          previousResponderId: previous,
        }),
        {
          kind: "ack_device",
          status: "assigned",
          etaSeconds: command.candidate.etaSeconds,
          responderId: s.responderId,
        },
        { kind: "responder_assigned", responderId: command.candidate.responderId },
      );
      if (previous !== null) effects.push({ kind: "responder_released", responderId: previous });
      return done();
    }

    case "escalate": {
      if (s.status === "closed") return fail("illegal_transition", "case is closed");
      escalate(s, effects, command.target, command.actor, command.note);
      return done();
    }

    case "note": {
      if (s.status === "closed") return fail("illegal_transition", "case is closed");
      effects.push(event("note", command.actor, command.text, null));
      return done();
    }

    case "staff_ack": {
      if (s.status === "closed") return fail("illegal_transition", "case is closed");
      if (s.staffAckAt !== null) return done();
      s.staffAckAt = now;
      effects.push(event("staff_acknowledged", command.actor, null, null));
      return done();
    }

    case "follow_up": {
      if (s.status !== "resolved" && s.status !== "cancelled") {
        return fail(
          "illegal_transition",
          `follow-up comes after the case is resolved or cancelled (it is ${s.status})`,
        );
      }
      effects.push(event("follow_up", command.actor, command.note, { outcome: command.outcome }), {
        kind: "follow_up",
        outcome: command.outcome,
        note: command.note,
        actor: command.actor,
      });
      if (command.close) {
        s.status = "closed";
        s.closedAt = now;
        effects.push(event("closed", command.actor, null, null), { kind: "ack_device", status: "closed" });
      }
      return done();
    }
  }
}

function event(
  type: string,
  actor: Actor,
  note: string | null,
  data: Record<string, unknown> | null,
): Effect {
  return { kind: "event", type, actor, note, data };
}

function pending(s: CaseState): OfferState[] {
  return s.offers.filter((o) => o.status === "pending");
}

function triedResponders(s: CaseState): number[] {
  return [...new Set(s.offers.filter((o) => o.status !== "pending").map((o) => o.responderId))];
}

function withdrawPending(s: CaseState, now: number): number[] {
  const ids: number[] = [];
  for (const o of pending(s)) {
    o.status = "withdrawn";
    o.respondedAt = now;
    ids.push(o.responderId);
  }
  return ids;
}

function escalate(s: CaseState, effects: Effect[], reason: string, actor: Actor, note: string | null): void {
  s.escalated = true;
  s.escalationReason = reason;
  effects.push(event("escalated", actor, note, { reason }), {
    kind: "alert_staff",
    alert: reason === "no_candidate" ? "no_candidate" : "escalated",
    message: note ?? reason,
  });
}
