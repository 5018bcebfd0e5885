// The offer round: matching offers the case to responders (for an emergency the best ETA first and
// one more each stagger), their phones count down, and the first accept has the case — unless a
// clearly better-placed responder accepts within the grace window and takes it over. A declined,
// expired or withdrawn offer is replaced at once; a tap after the countdown still counts while
// nobody has the case; an empty neighbourhood, or help beyond the ETA cap, alerts staff.
// Rules and the simulator runs behind them: docs/decisions/0008-dispatch-by-time-to-the-door.md.
import {
  isActiveStatus,
  isAssignedStatus,
  isAwaitingArrivalStatus,
  isWaitingStatus,
} from "../../../protocol/index.ts";
import { SYSTEM, type Actor, type CandidateOffer, type CaseState, type OfferState } from "../state.ts";
import {
  escalate,
  event,
  handOver,
  keepSearching,
  offersClosed,
  pending,
  rearm,
  withdrawPending,
} from "./helpers.ts";
import { graceEnd, isRelief, reliefBelow, remainingEtaSeconds } from "./offer-clock.ts";
import { done, fail, type Handler, type Turn, type Verdict } from "./turn.ts";

/** What the timeline keeps of each offer: the ETA the engine used and why matching chose them. */
function reasonData(x: CandidateOffer): Record<string, unknown> {
  return { responderId: x.responderId, etaSeconds: x.etaSeconds, distanceMeters: x.distanceMeters, ...x.why };
}

export const offer: Handler<"offer"> = (s, c, t) => {
  const waiting = isWaitingStatus(s.status);
  // With help on the way, only one responder clearly sooner may be asked (relief).
  const below = waiting ? null : reliefBelow(s, t.now, t.policy);
  if (!waiting && below === null) return fail("illegal_transition", `cannot offer a ${s.status} case`);
  const asked = new Set(pending(s).map((o) => o.responderId));
  const fresh = c.candidates
    .filter((x) => !asked.has(x.responderId))
    .filter((x) => below === null || x.etaSeconds < below)
    .slice(0, waiting ? undefined : 1);
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
  if (waiting) s.status = "offered";
  s.offerRound += 1;
  rearm(s, t);
  const responderIds = fresh.map((x) => x.responderId);
  t.effects.push(
    event("offered", SYSTEM, null, {
      responderIds,
      deadline,
      round: s.offerRound,
      offers: fresh.map(reasonData),
      ...(waiting
        ? {}
        : {
            relief: {
              responderId: s.responderId,
              remainingSeconds: Math.round(remainingEtaSeconds(s, t.now) ?? 0),
            },
          }),
    }),
    { kind: "offers_made", responderIds },
  );
  if (!waiting) return done();
  // Someone far away is still better than nobody, but staff must know help will be late.
  const best = Math.min(...pending(s).map((o) => o.etaSeconds));
  const cap = t.policy.etaCapSeconds[s.priority];
  if (!s.escalated && best > cap) {
    const minutes = Math.ceil(best / 60);
    escalate(s, t, "eta_over_cap", SYSTEM, `nearest responder is ${minutes} min away`);
  }
  return done();
};

export const noCandidate: Handler<"no_candidate"> = (s, _c, t) => {
  if (!isWaitingStatus(s.status)) return fail("illegal_transition", `case is ${s.status}`);
  if (pending(s).length > 0) return done(); // still waiting on someone
  s.status = "new";
  // No retry deadline: matching looks again when something changes that could help (a responder
  // on duty, free or nearer) and in its slow sweep (docs/decisions/0009).
  rearm(s, t);
  // Logged once; later retries stay quiet so a long wait does not flood the timeline.
  if (!s.escalated) {
    t.effects.push(event("no_candidate", SYSTEM, null, null));
    // Nobody left to ask differs from nobody there at all: staff call round the ones who declined
    // or let it run out. An offer withdrawn (its responder took another case) was no answer.
    if (s.offers.some((o) => o.status === "declined" || o.status === "expired"))
      escalate(s, t, "offers_exhausted", SYSTEM, "everyone in range was asked; nobody accepted");
    else escalate(s, t, "no_candidate", SYSTEM, "no responder available in range");
  }
  // Staff know now; the search goes on without the escalation clock (as in `tick`).
  s.escalationDeadline = null;
  return done();
};

/** Every timer of a case ends here (ADR 0003): offer expiry, the next alerting phase, grace, escalation. */
export const tick: Handler<"tick"> = (s, _c, t) => {
  if (!isActiveStatus(s.status)) {
    // A timer that fires after the case has ended only clears the deadlines left behind.
    s.offerDeadline = null;
    s.escalationDeadline = null;
    return done();
  }
  const due = s.offerDeadline !== null && s.offerDeadline <= t.now;
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
  const grace = graceEnd(s, t.policy);
  if (grace !== null && grace <= t.now) {
    t.effects.push(
      ...offersClosed(
        withdrawPending(s, t.now, (o) => !isRelief(s, o)),
        "taken",
      ),
    );
  }
  const waiting = isWaitingStatus(s.status);
  if (waiting && s.escalationDeadline !== null && s.escalationDeadline <= t.now && !s.escalated) {
    escalate(s, t, "no_accept", SYSTEM, "nobody accepted before the escalation deadline");
  }
  // Once escalated (here, by no candidate or by staff) staff know; the search goes on without that clock.
  if (waiting && s.escalated) s.escalationDeadline = null;
  if (waiting) keepSearching(s, t, due || expired.length > 0);
  else rearm(s, t);
  return done();
};

/** The responder's latest offer on this case. */
function latestOffer(s: CaseState, responderId: number): OfferState | undefined {
  return s.offers.findLast((o) => o.responderId === responderId);
}

/** Can this tap still take the case? A late one can while nobody has it (the phone was in a pocket). */
function acceptable(o: OfferState | undefined, t: Turn): o is OfferState {
  if (!o) return false;
  const late = o.status === "expired" || (o.status === "pending" && o.deadline <= t.now);
  return late ? t.policy.lateAccept : o.status === "pending";
}

export const accept: Handler<"accept"> = (s, c, t) => {
  const mine = latestOffer(s, c.responderId);
  if (isWaitingStatus(s.status) && acceptable(mine, t)) return firstAccept(s, mine, c.actor, t);
  // Within the grace window a clearly better-placed responder (whose offer was kept open) takes over;
  // so does one offered relief while the first was still far (decision 0008, addendum).
  if (mine?.status === "pending" && mine.deadline > t.now && isAwaitingArrivalStatus(s.status)) {
    const grace = graceEnd(s, t.policy);
    if ((grace !== null && t.now < grace) || isRelief(s, mine)) return takeOver(s, mine, c.actor, t);
  }
  return fail("offer_closed", "this offer is no longer open (taken, expired or withdrawn)");
};

function firstAccept(s: CaseState, mine: OfferState, actor: Actor, t: Turn): Verdict {
  mine.status = "accepted";
  mine.respondedAt = t.now;
  // Offers to clearly better-placed responders stay open for the grace window; the rest close now.
  const kept = new Set(
    t.policy.graceMs > 0
      ? pending(s)
          .filter((o) => o.deadline > t.now && o.etaSeconds <= mine.etaSeconds - t.policy.graceGainSeconds)
          .map((o) => o.responderId)
      : [],
  );
  const others: number[] = [];
  for (const o of pending(s)) {
    if (kept.has(o.responderId)) continue;
    o.status = "withdrawn";
    o.respondedAt = t.now;
    others.push(o.responderId);
  }
  const assigned = handOver(s, mine.responderId, mine.etaSeconds, t.now, "accept");
  rearm(s, t);
  t.effects.push(
    event("accepted", actor, null, { etaSeconds: mine.etaSeconds }),
    ...assigned,
    ...offersClosed(others, "taken"),
  );
  return done();
}

function takeOver(s: CaseState, mine: OfferState, actor: Actor, t: Turn): Verdict {
  const previous = s.responderId;
  const firstAcceptedAt = s.acceptedAt;
  for (const o of s.offers) if (o.status === "accepted") o.status = "withdrawn";
  mine.status = "accepted";
  mine.respondedAt = t.now;
  const others = withdrawPending(s, t.now);
  const assigned = handOver(s, mine.responderId, mine.etaSeconds, t.now, "accept");
  // Help was arranged at the first accept; the KPIs and the grace window count from there.
  s.acceptedAt = firstAcceptedAt;
  t.effects.push(
    event("accepted", actor, null, { etaSeconds: mine.etaSeconds, tookOverFrom: previous }),
    ...assigned,
    ...offersClosed(others, "taken"),
  );
  if (previous !== null) t.effects.push({ kind: "responder_released", responderId: previous });
  return done();
}

export const decline: Handler<"decline"> = (s, c, t) => {
  const offer = pending(s).find((o) => o.responderId === c.responderId);
  if (!offer || offer.deadline <= t.now) return fail("offer_closed", "this offer is no longer open");
  offer.status = "declined";
  offer.respondedAt = t.now;
  t.effects.push(event("declined", c.actor, null, null), ...offersClosed([c.responderId], "declined"));
  if (isWaitingStatus(s.status)) keepSearching(s, t, true);
  else rearm(s, t);
  return done();
};

/** Matching takes an offer back: a more urgent case needs the responder, or they took another case. */
export const withdraw: Handler<"withdraw"> = (s, c, t) => {
  const offer = pending(s).find((o) => o.responderId === c.responderId);
  if (!offer) return fail("offer_closed", "this offer is no longer open");
  offer.status = "withdrawn";
  offer.respondedAt = t.now;
  t.effects.push(
    event("offer_withdrawn", SYSTEM, null, { responderId: c.responderId, reason: c.reason }),
    ...offersClosed([c.responderId], c.reason),
  );
  if (isWaitingStatus(s.status)) keepSearching(s, t, true);
  else if (isAssignedStatus(s.status)) rearm(s, t);
  return done();
};
