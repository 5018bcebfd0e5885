// The case engine, part 4: relief (decision 0008, addendum). While the responder on the way is still
// far, one free responder clearly sooner is offered the case; if they accept they take it over and
// the first is released. Nobody is taken off a case for a small gain, at the door, or in the grace window.
import { describe, expect, it } from "vitest";
import { apply, excludedResponders } from "../../dispatcher/cases/machine.ts";
import { reliefBelow, remainingEtaSeconds } from "../../dispatcher/cases/machine/offer-clock.ts";
import type { CandidateOffer, CaseState, Command, Policy } from "../../dispatcher/cases/state.ts";
import { POLICY, STAFF, T0, cmd, open, only, applyOk, offerAt, offerOf } from "./case-machine-fixtures.ts";

const RELIEF: Policy = { ...POLICY, graceMs: 20_000, relieveGainSeconds: 240 };

const at = offerAt;
const assignTo = (candidate: CandidateOffer): Command => ({ type: "assign", actor: STAFF, candidate });
const go = (state: CaseState, command: Command, now: number, policy: Policy = RELIEF) =>
  applyOk(state, command, now, policy);

/** A fall accepted at T0 + 10 s by responder 1, 20 minutes away. */
const farAway = (type: "fall" | "service_request" = "fall") =>
  go(go(open(type).state, offerOf(at(1, 1200)), T0).state, cmd.accept(1), T0 + 10_000).state;
const AFTER_GRACE = T0 + 10_000 + 20_000;

describe("when a case wants relief", () => {
  it.each([
    [
      "an emergency 20 min away, after the grace window",
      () => farAway(),
      AFTER_GRACE,
      RELIEF,
      1200 - 20 - 240,
    ],
    ["within the grace window", () => farAway(), AFTER_GRACE - 1, RELIEF, null],
    [
      "nobody accepted yet",
      () => go(open("fall").state, offerOf(at(1, 1200)), T0).state,
      AFTER_GRACE,
      RELIEF,
      null,
    ],
    [
      "the one on the way is within the gain of the door",
      () => farAway(),
      T0 + 10_000 + 961_000,
      RELIEF,
      null,
    ],
    ["a service request", () => farAway("service_request"), AFTER_GRACE, RELIEF, null],
    [
      "at the door",
      () => go(farAway(), cmd.arrive(1), T0 + 50_000).state,
      AFTER_GRACE + 30_000,
      RELIEF,
      null,
    ],
    ["the rule off", () => farAway(), AFTER_GRACE, { ...RELIEF, relieveGainSeconds: null }, null],
  ] as const)("%s", (_what, state, now, policy, below) => {
    expect(reliefBelow(state(), now, policy)).toBe(below);
  });

  it("the time still needed counts down from the accepted ETA and never goes below zero", () => {
    const s = farAway();
    expect(remainingEtaSeconds(s, T0 + 10_000)).toBe(1200);
    expect(remainingEtaSeconds(s, T0 + 70_000)).toBe(1140);
    expect(remainingEtaSeconds(s, T0 + 3_600_000)).toBe(0);
    expect(remainingEtaSeconds(open("fall").state, T0)).toBeNull();
  });

  it("wants none for a responder staff assigned by hand, however far, until a responder's own accept", () => {
    // Staff assign responder 1 (20 min away) to a fall nobody has accepted.
    const offered = go(open("fall").state, offerOf(at(2, 1300)), T0).state;
    const assigned = go(offered, assignTo(at(1, 1200)), T0 + 10_000).state;
    expect(assigned).toMatchObject({ responderId: 1, assignedByStaff: true });
    expect(reliefBelow(assigned, AFTER_GRACE, RELIEF)).toBeNull();
    expect(reliefBelow(assigned, AFTER_GRACE + 300_000, RELIEF)).toBeNull();
    expect(apply(assigned, offerOf(at(3, 200)), AFTER_GRACE, RELIEF)).toMatchObject({ ok: false });
    // Staff reassigning is their choice again; the same fall accepted on the phone is relieved.
    const reassigned = go(assigned, assignTo(at(4, 1100)), T0 + 20_000).state;
    expect(reassigned).toMatchObject({ responderId: 4, assignedByStaff: true });
    expect(reliefBelow(reassigned, AFTER_GRACE, RELIEF)).toBeNull();
    const accepted = farAway();
    expect(accepted.assignedByStaff).toBe(false);
    expect(reliefBelow(accepted, AFTER_GRACE, RELIEF)).toBe(1200 - 20 - 240);
  });

  it("wants no second relief while one is open", () => {
    const offered = go(farAway(), offerOf(at(2, 300)), AFTER_GRACE).state;
    expect(reliefBelow(offered, AFTER_GRACE + 1_000, RELIEF)).toBeNull();
  });
});

describe("a relief offer", () => {
  it("goes to one responder clearly sooner; the case stays with the one on the way", () => {
    const r = go(farAway(), offerOf(at(3, 950), at(2, 300), at(4, 200)), AFTER_GRACE);
    // 950 s is not 240 s sooner than the 1180 s still needed; of the others only the first is asked.
    expect(r.state.offers.filter((o) => o.status === "pending").map((o) => o.responderId)).toEqual([2]);
    expect(r.state).toMatchObject({ status: "accepted", responderId: 1, etaSeconds: 1200 });
    expect(r.state.offerDeadline).toBe(AFTER_GRACE + RELIEF.offerTimeoutMs);
    expect(only(r.effects, "offers_made")).toEqual([{ kind: "offers_made", responderIds: [2] }]);
    expect(only(r.effects, "event")[0]?.data).toMatchObject({
      responderIds: [2],
      relief: { responderId: 1, remainingSeconds: 1180 },
    });
  });

  it("is refused when nobody offered is soon enough, and when the case wants no relief", () => {
    expect(apply(farAway(), offerOf(at(2, 941)), AFTER_GRACE, RELIEF)).toMatchObject({ ok: false });
    expect(apply(farAway(), offerOf(at(2, 300)), AFTER_GRACE - 1, RELIEF)).toMatchObject({ ok: false });
  });

  it("accepted, takes the case over: the first is released and help still counts from the first accept", () => {
    const offered = go(farAway(), offerOf(at(2, 300)), AFTER_GRACE).state;
    const over = go(offered, cmd.accept(2), AFTER_GRACE + 15_000);
    expect(over.state).toMatchObject({
      status: "accepted",
      responderId: 2,
      etaSeconds: 300,
      acceptedAt: T0 + 10_000,
      offerDeadline: null,
    });
    expect(only(over.effects, "responder_released")).toEqual([
      { kind: "responder_released", responderId: 1 },
    ]);
    expect(only(over.effects, "ack_device")).toEqual([
      { kind: "ack_device", status: "assigned", etaSeconds: 300, responderId: 2 },
    ]);
    // The time still needed now counts from the new responder's accept and ETA.
    expect(reliefBelow(over.state, AFTER_GRACE + 20_000, RELIEF)).toBe(300 - 5 - 240);
  });

  it("declined or run out, leaves the case as it was, and who declined is not asked again", () => {
    const offered = go(farAway(), offerOf(at(2, 300)), AFTER_GRACE).state;
    const declined = go(offered, cmd.decline(2), AFTER_GRACE + 5_000);
    expect(declined.state).toMatchObject({ status: "accepted", responderId: 1, offerDeadline: null });
    expect(only(declined.effects, "find_candidates")).toEqual([]);
    expect(excludedResponders(declined.state, AFTER_GRACE + 600_000, RELIEF)).toEqual([2]);
    const expired = go(offered, cmd.tick(), AFTER_GRACE + RELIEF.offerTimeoutMs);
    expect(expired.state).toMatchObject({ status: "accepted", responderId: 1, offerDeadline: null });
    expect(apply(expired.state, cmd.accept(2), AFTER_GRACE + 61_000, RELIEF)).toMatchObject({
      ok: false,
      code: "offer_closed",
    });
  });

  it("closes when the first responder reaches the door", () => {
    const offered = go(farAway(), offerOf(at(2, 300)), AFTER_GRACE).state;
    const arrived = go(offered, cmd.arrive(1), AFTER_GRACE + 5_000);
    expect(only(arrived.effects, "offers_closed")).toEqual([
      { kind: "offers_closed", responderIds: [2], reason: "taken" },
    ]);
    expect(apply(arrived.state, cmd.accept(2), AFTER_GRACE + 6_000, RELIEF)).toMatchObject({ ok: false });
  });
});
