// The case engine, part 1: opening a case, joining presses, offers, timers and manual assignment.
// Pure engine, injected clock: every `now` below is a plain number of milliseconds.
import { describe, expect, it } from "vitest";
import { apply } from "../../dispatcher/cases/machine.ts";
import { SYSTEM, type CaseState } from "../../dispatcher/cases/state.ts";
import {
  DEVICE,
  POLICY,
  STAFF,
  T0,
  cmd,
  only,
  open,
  refusal,
  responder,
  run,
  step,
} from "./case-machine-fixtures.ts";

const pendingIds = (s: CaseState) => s.offers.filter((o) => o.status === "pending").map((o) => o.responderId);
const withoutUpdatedAt = (s: CaseState) => ({ ...s, updatedAt: 0 });

describe("opening a case", () => {
  it("a fall opens a priority-1 emergency that asks for candidates", () => {
    const { state, effects } = open("fall");
    expect(state).toMatchObject({
      type: "fall",
      kind: "emergency",
      priority: 1,
      status: "new",
      escalated: false,
      pressCount: 1,
      offerRound: 0,
      responderId: null,
      createdAt: T0,
      updatedAt: T0,
      offerDeadline: null,
      escalationDeadline: T0 + POLICY.escalationMs,
      offers: [],
    });
    expect(effects).toEqual([
      { kind: "event", type: "created", actor: DEVICE, note: null, data: { type: "fall", service: null } },
      { kind: "find_candidates", exclude: [] },
    ]);
  });

  it("an SOS is priority 2; a service request is priority 3 and escalates on the longer service deadline", () => {
    expect(open("sos").state).toMatchObject({ kind: "emergency", priority: 2 });
    const service = open("service_request");
    expect(service.state).toMatchObject({
      kind: "service",
      priority: 3,
      service: "meal",
      escalationDeadline: T0 + POLICY.serviceEscalationMs,
    });
    expect(only(service.effects, "find_candidates")).toEqual([{ kind: "find_candidates", exclude: [] }]);
  });

  it.each(["low_battery", "device_offline", "no_activity"] as const)(
    "a technical case (%s) is never auto-dispatched",
    (type) => {
      const opened = open(type);
      expect(opened.state).toMatchObject({ kind: "technical", priority: 4, escalationDeadline: null });
      expect(only(opened.effects, "find_candidates")).toEqual([]);
      // Hours of timer ticks: nobody is ever asked and nothing escalates on its own.
      let s = opened.state;
      for (let t = T0 + 10_000; t <= T0 + 4 * 3_600_000; t += 10_000) {
        const r = step(s, cmd.tick(), t);
        expect(r.effects).toEqual([]);
        s = r.state;
      }
      expect(s).toMatchObject({ status: "new", escalated: false, offers: [] });
    },
  );

  it("a second press joins the case, raises its priority and rings the console again", () => {
    const acked = step(open("sos").state, cmd.staffAck(), T0 + 2_000).state;
    expect(acked.staffAckAt).toBe(T0 + 2_000);

    const { state, effects } = step(acked, cmd.press("sos"), T0 + 5_000);
    expect(state).toMatchObject({
      pressCount: 2,
      priority: 1,
      staffAckAt: null,
      status: "new",
      updatedAt: T0 + 5_000,
    });
    expect(effects).toEqual([
      {
        kind: "event",
        type: "press_joined",
        actor: DEVICE,
        note: null,
        data: { eventType: "sos", pressCount: 2 },
      },
    ]);
    // A third press cannot go above the top priority.
    expect(step(state, cmd.press("fall"), T0 + 6_000).state).toMatchObject({ pressCount: 3, priority: 1 });
  });

  it("a press joins a case at any active stage, even with a responder on the way", () => {
    const enRoute = run(open("sos").state, [cmd.offer(1), cmd.accept(1), cmd.enRoute(1)], T0 + 1_000);
    const { state } = step(enRoute, cmd.press(), T0 + 10_000);
    expect(state).toMatchObject({ status: "en_route", responderId: 1, pressCount: 2, priority: 1 });
  });

  it("a press on a resolved, cancelled or closed case is refused", () => {
    const resolved = run(open().state, [cmd.offer(1), cmd.accept(1), cmd.resolve(1)], T0 + 1_000);
    const cancelled = step(open().state, cmd.staffCancel(), T0 + 1_000).state;
    const closed = step(resolved, cmd.followUp(true), T0 + 9_000).state;
    for (const s of [resolved, cancelled, closed]) {
      expect(refusal(s, cmd.press(), T0 + 10_000)).toMatchObject({
        code: "illegal_transition",
        message: expect.stringContaining("a press opens a new case") as unknown,
      });
    }
  });
});

describe("offering the case to responders", () => {
  it("offering creates pending offers with the policy deadline", () => {
    const now = T0 + 800;
    const { state, effects } = step(open().state, cmd.offer(1, 2), now);
    const deadline = now + POLICY.offerTimeoutMs;
    expect(state).toMatchObject({
      status: "offered",
      offerRound: 1,
      offerDeadline: deadline,
      updatedAt: now,
    });
    expect(state.offers).toEqual([
      {
        id: null,
        responderId: 1,
        status: "pending",
        etaSeconds: 101,
        distanceMeters: 200,
        createdAt: now,
        deadline,
        respondedAt: null,
      },
      {
        id: null,
        responderId: 2,
        status: "pending",
        etaSeconds: 102,
        distanceMeters: 400,
        createdAt: now,
        deadline,
        respondedAt: null,
      },
    ]);
    expect(effects).toEqual([
      {
        kind: "event",
        type: "offered",
        actor: SYSTEM,
        note: null,
        data: {
          responderIds: [1, 2],
          deadline,
          round: 1,
          // The ETA the engine used for each, as the timeline shows it.
          offers: [
            { responderId: 1, etaSeconds: 101, distanceMeters: 200 },
            { responderId: 2, etaSeconds: 102, distanceMeters: 400 },
          ],
        },
      },
      { kind: "offers_made", responderIds: [1, 2] },
    ]);
  });

  it("a further offer adds only responders not already pending; repeating them all is refused", () => {
    const offered = step(open().state, cmd.offer(1, 2), T0 + 1_000).state;
    const { state, effects } = step(offered, cmd.offer(2, 3), T0 + 2_000);
    expect(pendingIds(state)).toEqual([1, 2, 3]);
    expect(state.offerRound).toBe(2);
    expect(only(effects, "offers_made")).toEqual([{ kind: "offers_made", responderIds: [3] }]);
    expect(refusal(state, cmd.offer(1, 3), T0 + 3_000).code).toBe("illegal_transition");
    expect(refusal(state, { type: "offer", candidates: [] }, T0 + 3_000).code).toBe("illegal_transition");
  });

  it("offering a resolved case is refused, as is offering one already accepted", () => {
    const accepted = run(open().state, [cmd.offer(1), cmd.accept(1)], T0 + 1_000);
    const resolved = step(accepted, cmd.resolve(1), T0 + 5_000).state;
    expect(refusal(resolved, cmd.offer(2), T0 + 6_000).code).toBe("illegal_transition");
    expect(refusal(accepted, cmd.offer(2), T0 + 6_000).code).toBe("illegal_transition");
  });

  it("no candidate escalates once and leaves no retry deadline: matching looks again when something changes", () => {
    const first = step(open().state, cmd.noCandidate(), T0 + 500);
    expect(first.state).toMatchObject({
      status: "new",
      escalated: true,
      escalationReason: "no_candidate",
      // Rule change (decision 0009): no per-case retry timer; a responder coming free, on duty or
      // nearer, or the slow sweep, makes matching try again.
      offerDeadline: null,
    });
    expect(first.effects).toEqual([
      { kind: "event", type: "no_candidate", actor: SYSTEM, note: null, data: null },
      {
        kind: "event",
        type: "escalated",
        actor: SYSTEM,
        note: "no responder available in range",
        data: { reason: "no_candidate" },
      },
      { kind: "alert_staff", alert: "no_candidate", message: "no responder available in range" },
    ]);

    // Ticks (the escalation deadline, a stray timer) ask nobody and change nothing else.
    expect(step(first.state, cmd.tick(), T0 + 60_000).effects).toEqual([]);

    // Still nobody at the next attempt: quiet — no second alert, no timeline noise.
    const second = step(first.state, cmd.noCandidate(), T0 + 40_000);
    expect(second.state).toMatchObject({ escalated: true, offerDeadline: null });
    expect(second.effects).toEqual([]);
  });

  it("nobody left to ask after everyone in range declined escalates as offers exhausted", () => {
    const offered = step(open().state, cmd.offer(1, 2), T0 + 1_000).state;
    const declined = run(offered, [cmd.decline(1), cmd.decline(2)], T0 + 5_000);
    const { state, effects } = step(declined, cmd.noCandidate(), T0 + 6_000);
    expect(state).toMatchObject({ escalated: true, escalationReason: "offers_exhausted" });
    expect(only(effects, "alert_staff")).toEqual([
      {
        kind: "alert_staff",
        alert: "offers_exhausted",
        message: "everyone in range was asked; nobody accepted",
      },
    ]);
  });

  it("no candidate while offers are still pending leaves the case waiting on them", () => {
    const offered = step(open().state, cmd.offer(1), T0 + 1_000).state;
    const { state, effects } = step(offered, cmd.noCandidate(), T0 + 2_000);
    expect(effects).toEqual([]);
    expect(withoutUpdatedAt(state)).toEqual(withoutUpdatedAt(offered));
  });

  it("the first accept wins and the other parallel offers are withdrawn", () => {
    const offered = step(open("fall").state, cmd.offer(1, 2, 3), T0 + 1_000).state;
    const now = T0 + 9_000;
    const { state, effects } = step(offered, cmd.accept(2), now);
    expect(state).toMatchObject({
      status: "accepted",
      responderId: 2,
      etaSeconds: 102,
      acceptedAt: now,
      offerDeadline: null,
      escalationDeadline: null,
    });
    expect(state.offers.map((o) => [o.responderId, o.status, o.respondedAt])).toEqual([
      [1, "withdrawn", now],
      [2, "accepted", now],
      [3, "withdrawn", now],
    ]);
    expect(effects).toEqual([
      { kind: "event", type: "accepted", actor: responder(2), note: null, data: { etaSeconds: 102 } },
      { kind: "ack_device", status: "assigned", etaSeconds: 102, responderId: 2 },
      { kind: "responder_assigned", responderId: 2 },
      { kind: "offers_closed", responderIds: [1, 3], reason: "taken" },
    ]);
    // The slower responder is too late.
    expect(refusal(state, cmd.accept(1), now + 1).code).toBe("offer_closed");
  });

  it("accepting a withdrawn or unknown offer is refused with offer_closed; a late tap is taken while nobody has the case", () => {
    const offered = step(open().state, cmd.offer(1, 2), T0).state;
    const deadline = T0 + POLICY.offerTimeoutMs;
    // Rule change (decision 0008): at and after the deadline, before or after the tick marked the
    // offer expired, the tap still counts because the case is unassigned.
    expect(step(offered, cmd.accept(1), deadline).state).toMatchObject({
      status: "accepted",
      responderId: 1,
    });
    expect(step(offered, cmd.accept(1), deadline - 1).state.status).toBe("accepted");
    const ticked = step(offered, cmd.tick(), deadline).state;
    expect(step(ticked, cmd.accept(1), deadline + 1).state).toMatchObject({
      status: "accepted",
      responderId: 1,
    });
    // Withdrawn because somebody else accepted first.
    const taken = step(offered, cmd.accept(2), T0 + 1_000).state;
    expect(refusal(taken, cmd.accept(1), T0 + 2_000)).toEqual({
      code: "offer_closed",
      message: "this offer is no longer open (taken, expired or withdrawn)",
    });
    // Never offered to this responder at all.
    expect(refusal(offered, cmd.accept(99), T0 + 1_000).code).toBe("offer_closed");
    // Without the late-tap rule the countdown is the contract.
    const strict = apply(offered, cmd.accept(1), deadline, { ...POLICY, lateAccept: false });
    expect(strict).toMatchObject({ ok: false, code: "offer_closed" });
  });

  it("decline moves on: matching is asked again excluding who declined", () => {
    const offered = step(open().state, cmd.offer(1, 2), T0).state;
    const first = step(offered, cmd.decline(1), T0 + 3_000);
    expect(first.state).toMatchObject({ status: "offered", offerDeadline: T0 + POLICY.offerTimeoutMs });
    expect(first.state.offers[0]).toMatchObject({
      responderId: 1,
      status: "declined",
      respondedAt: T0 + 3_000,
    });
    expect(first.effects).toEqual([
      { kind: "event", type: "declined", actor: responder(1), note: null, data: null },
      { kind: "offers_closed", responderIds: [1], reason: "declined" },
      // Rule change (decision 0008): replaced at once, while responder 2 still has the offer.
      { kind: "find_candidates", exclude: [1, 2] },
    ]);

    const second = step(first.state, cmd.decline(2), T0 + 4_000);
    expect(second.state).toMatchObject({ status: "new", offerDeadline: null });
    expect(only(second.effects, "find_candidates")).toEqual([{ kind: "find_candidates", exclude: [1, 2] }]);
    // The same answer twice is refused.
    expect(refusal(second.state, cmd.decline(2), T0 + 5_000).code).toBe("offer_closed");
  });

  it("tick expires offers at their deadline and asks for the next candidate excluding them", () => {
    const declined = run(open().state, [cmd.offer(3), cmd.decline(3)], T0);
    const offeredAt = T0 + 10_000;
    const offered = step(declined, cmd.offer(1, 2), offeredAt).state;
    const deadline = offeredAt + POLICY.offerTimeoutMs;
    const { state, effects } = step(offered, cmd.tick(), deadline);
    expect(state).toMatchObject({ status: "new", offerDeadline: null, escalated: false });
    expect(
      state.offers.filter((o) => o.status === "expired").map((o) => [o.responderId, o.respondedAt]),
    ).toEqual([
      [1, deadline],
      [2, deadline],
    ]);
    expect(effects).toEqual([
      { kind: "event", type: "offer_expired", actor: SYSTEM, note: null, data: { responderIds: [1, 2] } },
      { kind: "offers_closed", responderIds: [1, 2], reason: "expired" },
      { kind: "find_candidates", exclude: [3, 1, 2] },
    ]);
  });

  it("tick before the deadline changes nothing", () => {
    const offered = step(open().state, cmd.offer(1, 2), T0).state;
    const { state, effects } = step(offered, cmd.tick(), T0 + POLICY.offerTimeoutMs - 1);
    expect(effects).toEqual([]);
    expect(withoutUpdatedAt(state)).toEqual(withoutUpdatedAt(offered));
    expect(state.updatedAt).toBe(T0 + POLICY.offerTimeoutMs - 1);
  });

  it("nobody accepting by the escalation deadline escalates and alerts staff", () => {
    // Keep a fresh offer open across the escalation deadline.
    const offered = step(open().state, cmd.offer(1), T0 + POLICY.escalationMs - 10_000).state;
    const { state, effects } = step(offered, cmd.tick(), T0 + POLICY.escalationMs);
    expect(state).toMatchObject({
      status: "offered",
      escalated: true,
      escalationReason: "no_accept",
      escalationDeadline: null,
    });
    expect(pendingIds(state)).toEqual([1]);
    expect(effects).toEqual([
      {
        kind: "event",
        type: "escalated",
        actor: SYSTEM,
        note: "nobody accepted before the escalation deadline",
        data: { reason: "no_accept" },
      },
      { kind: "alert_staff", alert: "no_accept", message: "nobody accepted before the escalation deadline" },
    ]);
    // Escalated once only; the offer can still be accepted afterwards.
    expect(only(step(state, cmd.tick(), T0 + POLICY.escalationMs + 1_000).effects, "alert_staff")).toEqual(
      [],
    );
    expect(step(state, cmd.accept(1), T0 + POLICY.escalationMs + 2_000).state).toMatchObject({
      status: "accepted",
      escalated: true,
    });
  });

  it("once accepted, the escalation deadline no longer applies", () => {
    const accepted = run(open().state, [cmd.offer(1), cmd.accept(1)], T0 + 1_000);
    const { state, effects } = step(accepted, cmd.tick(), T0 + 10 * POLICY.escalationMs);
    expect(effects).toEqual([]);
    expect(state.escalated).toBe(false);
  });
});

describe("manual assignment by staff", () => {
  it("manual assign overrides pending offers, acks the device 'assigned' with the ETA", () => {
    const offered = step(open().state, cmd.offer(1, 2), T0).state;
    const now = T0 + 5_000;
    const { state, effects } = step(offered, cmd.assign(5), now);
    expect(state).toMatchObject({
      status: "accepted",
      responderId: 5,
      etaSeconds: 105,
      acceptedAt: now,
      offerDeadline: null,
      escalationDeadline: null,
    });
    expect(state.offers.map((o) => [o.responderId, o.status])).toEqual([
      [1, "withdrawn"],
      [2, "withdrawn"],
      [5, "accepted"],
    ]);
    expect(effects).toEqual([
      { kind: "offers_closed", responderIds: [1, 2], reason: "reassigned" },
      {
        kind: "event",
        type: "assigned",
        actor: STAFF,
        note: null,
        data: { responderId: 5, previousResponderId: null },
      },
      { kind: "ack_device", status: "assigned", etaSeconds: 105, responderId: 5 },
      { kind: "responder_assigned", responderId: 5 },
    ]);
  });

  it("reassign releases the previous responder", () => {
    const enRoute = run(open().state, [cmd.offer(1), cmd.accept(1), cmd.enRoute(1)], T0);
    const now = T0 + 60_000;
    const { state, effects } = step(enRoute, cmd.assign(4), now);
    expect(state).toMatchObject({ status: "accepted", responderId: 4, etaSeconds: 104, acceptedAt: now });
    expect(effects).toEqual([
      {
        kind: "event",
        type: "reassigned",
        actor: STAFF,
        note: null,
        data: { responderId: 4, previousResponderId: 1 },
      },
      { kind: "ack_device", status: "assigned", etaSeconds: 104, responderId: 4 },
      { kind: "responder_assigned", responderId: 4 },
      { kind: "responder_released", responderId: 1 },
    ]);
    // The released responder can no longer move the case.
    expect(refusal(state, cmd.enRoute(1), now + 1_000).code).toBe("not_assigned");
  });

  it("assigning the responder already on the case, or a case on scene, is refused", () => {
    const accepted = run(open().state, [cmd.offer(1), cmd.accept(1)], T0);
    expect(refusal(accepted, cmd.assign(1), T0 + 5_000).code).toBe("illegal_transition");
    const onScene = step(accepted, { type: "arrive", responderId: 1, actor: responder(1) }, T0 + 5_000).state;
    expect(refusal(onScene, cmd.assign(2), T0 + 6_000).code).toBe("illegal_transition");
  });

  it("reassigning A → B → A leaves exactly one accepted offer, A's", () => {
    const accepted = run(open().state, [cmd.offer(1), cmd.accept(1)], T0);
    const back = run(accepted, [cmd.assign(2), cmd.assign(1)], T0 + 10_000);
    expect(back.responderId).toBe(1);
    expect(back.offers.filter((o) => o.status === "accepted").map((o) => o.responderId)).toEqual([1]);
  });

  it("assigning a responder who holds a pending offer turns that offer into the assignment, withdrawing only the others", () => {
    const offered = step(open().state, cmd.offer(1, 2), T0).state;
    const { effects } = step(offered, cmd.assign(1), T0 + 5_000);
    const closedFor = only(effects, "offers_closed").flatMap((e) => e.responderIds);
    expect(closedFor).toEqual([2]);
  });

  it("a later offer round keeps offerDeadline at the earliest pending deadline", () => {
    const first = step(open().state, cmd.offer(1), T0).state;
    const second = step(first, cmd.offer(2), T0 + 20_000).state;
    expect(second.offerDeadline).toBe(T0 + POLICY.offerTimeoutMs);
  });
});
