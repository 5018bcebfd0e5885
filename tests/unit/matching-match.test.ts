// The matching step as the engine calls it: slots, preemption of a less urgent offer, the batch,
// and what it answers when nobody can come.
import { describe, expect, it } from "vitest";
import {
  DEFAULT_MATCHING_OPTIONS,
  ResponderIndex,
  match,
  type MatchNeed,
  type ResponderState,
} from "../../dispatcher/matching/index.ts";
import { NOW, at, responder, sos } from "./matching-fixtures.ts";

const need = (caseId: number, overrides: Partial<MatchNeed> = {}): MatchNeed => ({
  ...sos(caseId),
  slots: 1,
  pendingCount: 0,
  createdAt: NOW - 1_000,
  ...overrides,
});
const run = (needs: MatchNeed[], crew: ResponderState[], options = DEFAULT_MATCHING_OPTIONS) =>
  match(needs, new ResponderIndex(crew), NOW, options);

describe("the matching step", () => {
  it("offers each case as many responders as it has slots, best ETA first", () => {
    const crew = [responder(1, 300, 0), responder(2, 100, 0), responder(3, 600, 0)];
    const out = run([need(1, { slots: 2 })], crew);
    expect(out).toEqual([
      {
        caseId: 1,
        command: {
          type: "offer",
          candidates: [
            {
              responderId: 2,
              etaSeconds: 104,
              distanceMeters: 100,
              why: { transport: "walk", paired: false, sameCommunity: true },
            },
            {
              responderId: 1,
              etaSeconds: 312,
              distanceMeters: 300,
              why: { transport: "walk", paired: false, sameCommunity: true },
            },
          ],
        },
      },
    ]);
  });

  it("a P1 takes a responder holding a P3 offer: that offer is withdrawn first", () => {
    // The P1 fall is 108 m from responder 1, who holds an offer for a P3 service request.
    const holder = responder(1, 108, 0, { busy: true, holding: { caseId: 7, priority: 3 } });
    const far = responder(2, 0, 4000, { transport: "car" });
    const out = run([need(1, { type: "fall", priority: 1 })], [holder, far]);
    expect(out.map((c) => [c.caseId, c.command.type])).toEqual([
      [7, "withdraw"],
      [1, "offer"],
    ]);
    expect(out[0]!.command).toEqual({ type: "withdraw", responderId: 1, reason: "preempted" });
    const offered = out[1]!.command;
    expect(offered.type === "offer" && offered.candidates[0]).toMatchObject({
      responderId: 1,
      why: { preemptedCaseId: 7 },
    });
  });

  it("a responder holding an offer of the same or higher urgency is not taken, nor when preemption is off", () => {
    const same = responder(1, 108, 0, { busy: true, holding: { caseId: 7, priority: 1 } });
    const far = responder(2, 0, 4000, { transport: "car" });
    expect(run([need(1)], [same, far]).map((c) => c.command.type)).toEqual(["offer"]);
    expect(run([need(1)], [same, far])[0]).toMatchObject({ command: { candidates: [{ responderId: 2 }] } });
    const lesser = responder(1, 108, 0, { busy: true, holding: { caseId: 7, priority: 3 } });
    const off = run([need(1)], [lesser, far], { ...DEFAULT_MATCHING_OPTIONS, preempt: false });
    expect(off).toMatchObject([{ caseId: 1, command: { candidates: [{ responderId: 2 }] } }]);
    // Someone working a case is never taken.
    const working = responder(1, 108, 0, { busy: true, holding: null });
    expect(run([need(1)], [working])).toEqual([{ caseId: 1, command: { type: "no_candidate" } }]);
  });

  it("nobody found: no_candidate only for a case with no offer still open", () => {
    expect(run([need(1), need(2, { pendingCount: 1 })], [])).toEqual([
      { caseId: 1, command: { type: "no_candidate" } },
    ]);
  });

  it("cases without slots are left alone; responders already taken in this step are not offered twice", () => {
    const crew = [responder(1, 100, 0), responder(2, 200, 0)];
    const taken = new Set([1]);
    const out = match(
      [need(1), need(2, { slots: 0 })],
      new ResponderIndex(crew),
      NOW,
      DEFAULT_MATCHING_OPTIONS,
      taken,
    );
    expect(out).toMatchObject([{ caseId: 1, command: { candidates: [{ responderId: 2 }] } }]);
    expect([...taken].sort()).toEqual([1, 2]);
  });

  it("with the batch on, two emergencies in one step are assigned together, not greedily by urgency order", () => {
    // West to east: responder 2 at -600 m, case 1 at 0, responder 1 at +300 m, case 2 at +600 m.
    const crew = [responder(1, 300, 0), responder(2, -600, 0)];
    const needs = [need(1), need(2, { ...at(600, 0) })];
    const firstOf = (out: ReturnType<typeof run>) =>
      out.map((c) => [c.caseId, c.command.type === "offer" ? c.command.candidates[0]!.responderId : null]);
    expect(firstOf(run(needs, crew, { ...DEFAULT_MATCHING_OPTIONS, batch: true }))).toEqual([
      [1, 2],
      [2, 1],
    ]);
    // Off by default: the policy simulator found no difference (decision 0008).
    expect(firstOf(run(needs, crew))).toEqual([
      [1, 1],
      [2, 2],
    ]);
  });

  it("the more urgent case picks first", () => {
    const crew = [responder(1, 100, 0)];
    const out = run([need(1, { priority: 3, type: "sos" }), need(2, { priority: 1, ...at(50, 0) })], crew);
    expect(out).toMatchObject([
      { caseId: 2, command: { type: "offer" } },
      { caseId: 1, command: { type: "no_candidate" } },
    ]);
  });

  it("relief: only a responder clearly sooner than the one on the way is asked; nobody is no news", () => {
    // Walkers 100 m (104 s) and 300 m (312 s) away; the case's responder on the way needs 400 s more.
    const crew = [responder(1, 300, 0), responder(2, 100, 0)];
    const relief = need(1, { etaBelowSeconds: 400 - 240 });
    expect(run([relief], crew)).toMatchObject([{ caseId: 1, command: { candidates: [{ responderId: 2 }] } }]);
    expect(run([need(1, { etaBelowSeconds: 104 })], crew)).toEqual([]);
  });

  it("a case nobody has picks before a relief, whatever their order and age", () => {
    const crew = [responder(1, 100, 0)];
    const relief = need(1, { etaBelowSeconds: 900, createdAt: NOW - 600_000 });
    const waiting = need(2, { priority: 2, ...at(50, 0) });
    expect(run([relief, waiting], crew)).toMatchObject([{ caseId: 2, command: { type: "offer" } }]);
  });
});
