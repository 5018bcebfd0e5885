// The case engine, part 3: the offer-round rules that get help to the door sooner (decision 0008):
// phased alerting, the grace window for a better-placed accept, replacement at once, late taps,
// re-offering later, withdrawal for a more urgent case, and the ETA cap that alerts staff.
import { describe, expect, it } from "vitest";
import { excludedResponders, offerSlots } from "../../dispatcher/cases/machine.ts";
import type { CaseState, Command, Policy } from "../../dispatcher/cases/state.ts";
import {
  DEVICE,
  POLICY,
  T0,
  cmd,
  open,
  only,
  responder,
  refusal,
  applyOk,
  offerAt,
  offerOf,
} from "./case-machine-fixtures.ts";
import { apply } from "../../dispatcher/cases/machine.ts";

const PHASED: Policy = { ...POLICY, staggerMs: 15_000, parallelOffers: 3 };

const at = offerAt;
const go = (state: CaseState, command: Command, now: number, policy: Policy = PHASED) =>
  applyOk(state, command, now, policy);
const pendingIds = (s: CaseState) => s.offers.filter((o) => o.status === "pending").map((o) => o.responderId);

describe("phased alerting", () => {
  it("asks the best ETA first and one more responder each stagger, up to the parallel limit", () => {
    const fresh = open("sos").state;
    expect(offerSlots(fresh, T0, PHASED)).toBe(1);
    const first = go(fresh, offerOf(at(1, 200)), T0 + 300);
    // The engine looks again at the next phase, well before the offer's own deadline.
    expect(first.state.offerDeadline).toBe(T0 + 15_000);
    expect(offerSlots(first.state, T0 + 14_999, PHASED)).toBe(0);

    const phase2 = go(first.state, cmd.tick(), T0 + 15_000);
    expect(only(phase2.effects, "find_candidates")).toEqual([{ kind: "find_candidates", exclude: [1] }]);
    expect(offerSlots(phase2.state, T0 + 15_000, PHASED)).toBe(1);
    const second = go(phase2.state, offerOf(at(2, 260)), T0 + 15_100);
    expect(pendingIds(second.state)).toEqual([1, 2]);
    expect(second.state.offerDeadline).toBe(T0 + 30_000);

    const third = go(go(second.state, cmd.tick(), T0 + 30_000).state, offerOf(at(3, 300)), T0 + 30_050);
    // At the limit no further phase is due: the earliest offer deadline is next.
    expect(third.state.offerDeadline).toBe(T0 + 300 + PHASED.offerTimeoutMs);
    expect(offerSlots(third.state, T0 + 60_000, PHASED)).toBe(0);
  });

  it("a service request is offered to one responder at a time", () => {
    const offered = go(open("service_request").state, offerOf(at(1, 600)), T0 + 100);
    expect(offerSlots(offered.state, T0 + 120_000, PHASED)).toBe(0);
    expect(offered.state.offerDeadline).toBe(T0 + 100 + PHASED.offerTimeoutMs);
  });
});

describe("a declined or expired offer is replaced at once", () => {
  it("a decline asks matching for a replacement while the other offer is still pending", () => {
    const two = go(go(open("fall").state, offerOf(at(1, 200)), T0).state, offerOf(at(2, 300)), T0 + 15_000);
    const declined = go(two.state, cmd.decline(1), T0 + 16_000);
    expect(declined.state.status).toBe("offered");
    expect(only(declined.effects, "find_candidates")).toEqual([{ kind: "find_candidates", exclude: [1, 2] }]);
  });

  it("an expired offer is replaced at its deadline although a later one is still pending", () => {
    const two = go(go(open("fall").state, offerOf(at(1, 200)), T0).state, offerOf(at(2, 300)), T0 + 15_000);
    const expired = go(two.state, cmd.tick(), T0 + PHASED.offerTimeoutMs);
    expect(pendingIds(expired.state)).toEqual([2]);
    expect(only(expired.effects, "find_candidates")).toEqual([{ kind: "find_candidates", exclude: [1, 2] }]);
  });

  it("without the rule the next responder is asked only when nobody is left pending", () => {
    const shipped: Policy = { ...PHASED, replaceAtOnce: false, staggerMs: 0, parallelOffers: 2 };
    const two = go(open("fall").state, offerOf(at(1, 200), at(2, 300)), T0, shipped);
    expect(only(go(two.state, cmd.decline(1), T0 + 1_000, shipped).effects, "find_candidates")).toEqual([]);
  });
});

describe("the grace window: a better-placed accept wins", () => {
  const policy: Policy = { ...PHASED, graceMs: 20_000, graceGainSeconds: 120 };
  // Responder 1 is 3 minutes away and asked first; responder 2 is 12 minutes away and asked next.
  const both = () =>
    go(
      go(open("fall").state, offerOf(at(1, 180)), T0, policy).state,
      offerOf(at(2, 720)),
      T0 + 15_000,
      policy,
    ).state;

  it("the first accept has the case at once; the clearly better placed offer stays open", () => {
    const first = go(both(), cmd.accept(2), T0 + 20_000, policy);
    expect(first.state).toMatchObject({ status: "accepted", responderId: 2, etaSeconds: 720 });
    expect(pendingIds(first.state)).toEqual([1]);
    expect(first.state.offerDeadline).toBe(T0 + 40_000);
    expect(only(first.effects, "ack_device")).toEqual([
      { kind: "ack_device", status: "assigned", etaSeconds: 720, responderId: 2 },
    ]);
    expect(only(first.effects, "offers_closed")).toEqual([]);
  });

  it("the better-ETA accept within the grace window takes the case over", () => {
    const first = go(both(), cmd.accept(2), T0 + 20_000, policy).state;
    const over = go(first, cmd.accept(1), T0 + 30_000, policy);
    expect(over.state).toMatchObject({
      status: "accepted",
      responderId: 1,
      etaSeconds: 180,
      // Help was arranged at the first accept.
      acceptedAt: T0 + 20_000,
      offerDeadline: null,
    });
    expect(over.state.offers.map((o) => [o.responderId, o.status])).toEqual([
      [1, "accepted"],
      [2, "withdrawn"],
    ]);
    expect(over.effects).toEqual([
      {
        kind: "event",
        type: "accepted",
        actor: responder(1),
        note: null,
        data: { etaSeconds: 180, tookOverFrom: 2 },
      },
      { kind: "ack_device", status: "assigned", etaSeconds: 180, responderId: 1 },
      { kind: "responder_assigned", responderId: 1 },
      { kind: "responder_released", responderId: 2 },
    ]);
  });

  it("after the grace window the kept offer closes and a late accept is refused", () => {
    const first = go(both(), cmd.accept(2), T0 + 20_000, policy).state;
    const closed = go(first, cmd.tick(), T0 + 40_000, policy);
    expect(pendingIds(closed.state)).toEqual([]);
    expect(only(closed.effects, "offers_closed")).toEqual([
      { kind: "offers_closed", responderIds: [1], reason: "taken" },
    ]);
    expect(apply(first, cmd.accept(1), T0 + 40_000, policy)).toMatchObject({
      ok: false,
      code: "offer_closed",
    });
  });

  it("an offer only a little better is closed at the first accept", () => {
    const near = go(open("fall").state, offerOf(at(1, 600), at(2, 700)), T0, {
      ...policy,
      staggerMs: 0,
    }).state;
    const accepted = go(near, cmd.accept(2), T0 + 5_000, policy);
    expect(pendingIds(accepted.state)).toEqual([]);
    expect(only(accepted.effects, "offers_closed")).toEqual([
      { kind: "offers_closed", responderIds: [1], reason: "taken" },
    ]);
  });

  it("arriving at the door ends the grace window", () => {
    const first = go(both(), cmd.accept(2), T0 + 20_000, policy).state;
    const arrived = go(first, cmd.arrive(2), T0 + 25_000, policy);
    expect(pendingIds(arrived.state)).toEqual([]);
    expect(arrived.state.offerDeadline).toBeNull();
  });
});

describe("late taps and re-offering", () => {
  it("a tap after the countdown is taken while the case is unassigned, refused once someone has it", () => {
    const offered = go(open("sos").state, offerOf(at(1, 200)), T0).state;
    const expired = go(offered, cmd.tick(), T0 + PHASED.offerTimeoutMs).state;
    expect(go(expired, cmd.accept(1), T0 + 90_000).state).toMatchObject({
      status: "accepted",
      responderId: 1,
    });
    const taken = go(go(expired, offerOf(at(2, 300)), T0 + 61_000).state, cmd.accept(2), T0 + 70_000).state;
    expect(refusal(taken, cmd.accept(1), T0 + 90_000).code).toBe("offer_closed");
  });

  it("a responder whose offer ran out may be asked again after the cool-down; one who declined may not", () => {
    const offered = go(open("sos").state, offerOf(at(1, 200), at(2, 250)), T0, {
      ...PHASED,
      staggerMs: 0,
    }).state;
    const answered = go(
      go(offered, cmd.decline(2), T0 + 5_000).state,
      cmd.tick(),
      T0 + PHASED.offerTimeoutMs,
    ).state;
    const expiredAt = T0 + PHASED.offerTimeoutMs;
    expect(excludedResponders(answered, expiredAt + 1, PHASED)).toEqual([1, 2]);
    expect(excludedResponders(answered, expiredAt + PHASED.reofferAfterMs!, PHASED)).toEqual([2]);
    // Asked again: the new offer is an ordinary one.
    const again = go(answered, offerOf(at(1, 200)), expiredAt + PHASED.reofferAfterMs!).state;
    expect(pendingIds(again)).toEqual([1]);
    expect(excludedResponders(answered, T0 + 10 * 60_000, { ...PHASED, reofferAfterMs: null })).toEqual([
      1, 2,
    ]);
  });
});

describe("withdrawal for a more urgent case", () => {
  it("a withdrawn offer is replaced at once", () => {
    const offered = go(open("service_request").state, offerOf(at(4, 400)), T0).state;
    const r = go(offered, { type: "withdraw", responderId: 4, reason: "preempted" }, T0 + 2_000);
    expect(r.state).toMatchObject({ status: "new", offerDeadline: null });
    expect(r.effects).toEqual([
      {
        kind: "event",
        type: "offer_withdrawn",
        actor: { type: "system", id: null, name: null },
        note: null,
        data: { responderId: 4, reason: "preempted" },
      },
      { kind: "offers_closed", responderIds: [4], reason: "preempted" },
      { kind: "find_candidates", exclude: [] },
    ]);
    expect(refusal(r.state, { type: "withdraw", responderId: 4, reason: "preempted" }, T0 + 3_000).code).toBe(
      "offer_closed",
    );
  });
});

describe("the ETA cap", () => {
  it("an offer beyond the cap still goes out, and staff are alerted once", () => {
    const cap = PHASED.etaCapSeconds[2];
    const far = go(open("sos").state, offerOf(at(1, cap + 60)), T0);
    expect(far.state).toMatchObject({ status: "offered", escalated: true, escalationReason: "eta_over_cap" });
    expect(only(far.effects, "alert_staff")).toEqual([
      {
        kind: "alert_staff",
        alert: "eta_over_cap",
        message: `nearest responder is ${Math.ceil((cap + 60) / 60)} min away`,
      },
    ]);
    const another = go(go(far.state, cmd.tick(), T0 + 15_000).state, offerOf(at(2, cap + 120)), T0 + 15_100);
    expect(only(another.effects, "alert_staff")).toEqual([]);
  });

  it("within the cap nobody is alerted", () => {
    const near = go(open("sos").state, offerOf(at(1, PHASED.etaCapSeconds[2])), T0);
    expect(near.state.escalated).toBe(false);
    expect(only(near.effects, "alert_staff")).toEqual([]);
  });

  it("the device is pressed again: the case is not re-alerted for the cap", () => {
    const far = go(open("sos").state, offerOf(at(1, 2_000)), T0).state;
    const pressed = go(far, { type: "press", actor: DEVICE, eventType: "sos" }, T0 + 1_000);
    expect(only(pressed.effects, "alert_staff")).toEqual([]);
  });
});
