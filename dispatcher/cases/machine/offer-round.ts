// The offer round: matching offers the case to responders (several at once for an emergency), their
// phones count down, the first accept wins; declines, expiries and an empty neighbourhood start the
// next round, and a case nobody takes in time is escalated to staff.
import { isActiveStatus, isWaitingStatus } from "../../../protocol/index.ts";
import { SYSTEM } from "../state.ts";
import {
  earliestPendingDeadline,
  escalate,
  event,
  handOver,
  offersClosed,
  pending,
  searchAgain,
  withdrawPending,
} from "./helpers.ts";
import { done, fail, type Handler } from "./turn.ts";

export const offer: Handler<"offer"> = (s, c, t) => {
  if (!isWaitingStatus(s.status)) return fail("illegal_transition", `cannot offer a ${s.status} case`);
  const asked = new Set(pending(s).map((o) => o.responderId));
  const fresh = c.candidates.filter((x) => !asked.has(x.responderId));
  if (fresh.length === 0) return fail("illegal_transition", "no new candidates to offer");
  const deadline = t.now + t.policy.offerTimeoutMs;
  for (const x of fresh) {
    s.offers.push({
      id: null,
      responderId: x.responderId,
      status: "pending",
      etaSeconds: x.etaSeconds,
      distanceMeters: x.distanceMeters,
      createdAt: t.now,
      deadline,
      respondedAt: null,
    });
  }
  s.status = "offered";
  s.offerRound += 1;
  // Offers from an earlier round may run out first; the earliest decides when the engine looks again.
  s.offerDeadline = earliestPendingDeadline(s);
  const responderIds = fresh.map((x) => x.responderId);
  t.effects.push(event("offered", SYSTEM, null, { responderIds, deadline, round: s.offerRound }), {
    kind: "offers_made",
    responderIds,
  });
  return done();
};

export const noCandidate: Handler<"no_candidate"> = (s, _c, t) => {
  if (!isWaitingStatus(s.status)) return fail("illegal_transition", `case is ${s.status}`);
  if (pending(s).length > 0) return done(); // still waiting on someone
  s.status = "new";
  s.offerDeadline = t.now + t.policy.retryMs;
  // Logged once; later retries stay quiet so a long wait does not flood the timeline.
  if (!s.escalated) {
    t.effects.push(event("no_candidate", SYSTEM, null, null));
    // Nobody left to ask differs from nobody there at all: staff call round the ones who declined.
    if (s.offers.length > 0)
      escalate(s, t, "offers_exhausted", SYSTEM, "everyone in range was asked; nobody accepted");
    else escalate(s, t, "no_candidate", SYSTEM, "no responder available in range");
  }
  return done();
};

/** Every timer of a case ends here (ADR 0003): offer expiry, the retry after no candidate, escalation. */
export const tick: Handler<"tick"> = (s, _c, t) => {
  if (!isActiveStatus(s.status)) {
    // A timer that fires after the case has ended only clears the deadlines left behind.
    s.offerDeadline = null;
    s.escalationDeadline = null;
    return done();
  }
  const expired = pending(s).filter((o) => o.deadline <= t.now);
  for (const o of expired) {
    o.status = "expired";
    o.respondedAt = t.now;
  }
  if (expired.length > 0) {
    const responderIds = expired.map((o) => o.responderId);
    t.effects.push(
      event("offer_expired", SYSTEM, null, { responderIds }),
      ...offersClosed(responderIds, "expired"),
    );
  }
  const waiting = isWaitingStatus(s.status);
  if (waiting && s.escalationDeadline !== null && s.escalationDeadline <= t.now && !s.escalated) {
    escalate(s, t, "no_accept", SYSTEM, "nobody accepted before the escalation deadline");
  }
  // Once escalated (here, by no candidate or by staff) staff know; the search goes on without that clock.
  if (waiting && s.escalated) s.escalationDeadline = null;
  const stillPending = pending(s);
  // Nobody left to wait for, because offers just ran out or the retry after no candidate is due.
  if (
    waiting &&
    stillPending.length === 0 &&
    (expired.length > 0 || (s.offerDeadline ?? Infinity) <= t.now)
  ) {
    searchAgain(s, t);
  } else if (stillPending.length > 0) {
    s.offerDeadline = earliestPendingDeadline(s);
  }
  return done();
};

export const accept: Handler<"accept"> = (s, c, t) => {
  const offer = pending(s).find((o) => o.responderId === c.responderId);
  // The phone's countdown is the contract: at the deadline the offer is closed, even before a tick says so.
  if (!offer || offer.deadline <= t.now || !isWaitingStatus(s.status)) {
    return fail("offer_closed", "this offer is no longer open (taken, expired or withdrawn)");
  }
  offer.status = "accepted";
  offer.respondedAt = t.now;
  const others = withdrawPending(s, t.now);
  const assigned = handOver(s, c.responderId, offer.etaSeconds, t.now);
  t.effects.push(
    event("accepted", c.actor, null, { etaSeconds: offer.etaSeconds }),
    ...assigned,
    ...offersClosed(others, "taken"),
  );
  return done();
};

export const decline: Handler<"decline"> = (s, c, t) => {
  const offer = pending(s).find((o) => o.responderId === c.responderId);
  if (!offer || offer.deadline <= t.now) return fail("offer_closed", "this offer is no longer open");
  offer.status = "declined";
  offer.respondedAt = t.now;
  t.effects.push(event("declined", c.actor, null, null), ...offersClosed([c.responderId], "cancelled"));
  if (pending(s).length === 0) searchAgain(s, t);
  else s.offerDeadline = earliestPendingDeadline(s);
  return done();
};
