// A dispatch turn over an in-memory store: the press and its first offers in one turn, the memory
// of who is busy and what is due, retries only when something could help (decision 0009).
import { describe, expect, it } from "vitest";
import { Dispatch, unchanged, type CaseStep, type CaseStore } from "../../dispatcher/cases/dispatch.ts";
import { DispatchModel, takeWork, type CaseSite } from "../../dispatcher/cases/dispatch-model.ts";
import { apply, createCase } from "../../dispatcher/cases/machine.ts";
import { DEFAULT_POLICY, SYSTEM, type CaseState, type Command } from "../../dispatcher/cases/state.ts";
import {
  DEFAULT_MATCHING_OPTIONS,
  ResponderPool,
  type ResponderState,
} from "../../dispatcher/matching/index.ts";
import { NOW, at, responder } from "./matching-fixtures.ts";

const POLICY = { ...DEFAULT_POLICY, staggerMs: 0, parallelOffers: 1 };

class World {
  readonly states = new Map<number, CaseState>();
  readonly pool = new ResponderPool();
  readonly crew = new Map<number, ResponderState>();
  readonly model = new DispatchModel((id, work) => {
    const r = this.crew.get(id);
    if (r) takeWork(r, work);
    if (r) this.pool.put(r);
  });
  readonly dispatch = new Dispatch(this.model, this.pool, POLICY, DEFAULT_MATCHING_OPTIONS);
  writes = 0;
  readonly store: CaseStore = {
    command: (caseId: number, command: Command) => {
      const before = this.states.get(caseId)!;
      const r = apply(before, command, this.now, POLICY);
      if (!r.ok || (r.effects.length === 0 && unchanged(before, r.state))) return Promise.resolve(null);
      this.writes++;
      this.states.set(caseId, r.state);
      return Promise.resolve({ caseId, created: false, state: r.state, effects: r.effects });
    },
    free: () => Promise.resolve(true),
  };
  now = NOW;

  add(r: ResponderState): void {
    this.crew.set(r.id, r);
    this.pool.put(r);
  }

  /** Opens a case at `east, north` and runs its turn; returns the turn's steps. */
  async press(id: number, east: number, north: number, type: "sos" | "fall" | "service_request" = "sos") {
    const opened = createCase(
      {
        id,
        type,
        service: type === "service_request" ? "meal" : null,
        residentId: id,
        communityId: 1,
        deviceId: null,
        openingEventId: null,
        actor: SYSTEM,
      },
      this.now,
      POLICY,
    );
    const site: CaseSite = {
      ...at(east, north),
      communityId: 1,
      pairedVolunteerId: null,
      service: opened.state.service,
    };
    this.states.set(id, opened.state);
    return this.commit(
      await this.dispatch.settle(this.store, [{ caseId: id, created: true, ...opened, site }], [], this.now),
    );
  }

  commit(steps: CaseStep[]): CaseStep[] {
    for (const s of steps) this.model.observe(s.state, s.site);
    return steps;
  }
}

describe("a dispatch turn", () => {
  it("a press and its first offer are one turn; the responder is busy in memory after it", async () => {
    const w = new World();
    w.add(responder(1, 100, 0));
    const steps = await w.press(10, 0, 0);
    expect(steps.map((s) => [s.caseId, s.state.status])).toEqual([
      [10, "new"],
      [10, "offered"],
    ]);
    expect(w.model.workOf(1)).toEqual({ activity: "offered", caseId: 10, priority: 2 });
    expect(w.crew.get(1)!.busy).toBe(true);
    // The offer's deadline is the next due time of the whole index.
    expect(w.model.nextDue()).toBe(NOW + POLICY.offerTimeoutMs);
    expect(w.model.takeDue(NOW + POLICY.offerTimeoutMs - 1)).toEqual([]);
    expect(w.model.takeDue(NOW + POLICY.offerTimeoutMs)).toEqual([10]);
  });

  it("a case nobody can take has no deadline; a quiet retry writes nothing; a responder who could help is found", async () => {
    const w = new World();
    await w.press(10, 0, 0);
    expect(w.states.get(10)).toMatchObject({
      status: "new",
      escalated: true,
      offerDeadline: null,
      escalationDeadline: null,
    });
    expect(w.model.nextDue()).toBeNull();
    const writes = w.writes;
    expect(w.dispatch.worthMatching(w.dispatch.wanting(NOW + 60_000), NOW + 60_000)).toEqual([]);
    expect(w.writes).toBe(writes);
    // Far away (beyond the range), then on duty nearby.
    const far = responder(1, 30_000, 0);
    const near = responder(2, 200, 0);
    expect(w.dispatch.helpedBy([far], NOW)).toEqual([]);
    expect(w.dispatch.helpedBy([near], NOW)).toEqual([10]);
    w.add(near);
    const steps = w.commit(await w.dispatch.settle(w.store, [], w.dispatch.worthMatching([10], NOW), NOW));
    expect(steps.map((s) => s.state.status)).toEqual(["offered"]);
  });

  it("a responder who takes a case gives up the offers they hold on others, in the same turn", async () => {
    const w = new World();
    w.add(responder(1, 100, 0));
    await w.press(10, 0, 0);
    // Responder 1 lets case 10's offer run out, and is offered case 12 next…
    w.now = NOW + POLICY.offerTimeoutMs;
    w.commit([(await w.store.command(10, { type: "tick" }))!]);
    await w.press(12, 300, 0);
    expect(w.model.workOf(1)).toMatchObject({ activity: "offered", caseId: 12 });
    // …then taps case 10 late: it is taken, and the offer on 12 goes back in the same turn.
    w.now += 5_000;
    const actor = { type: "responder", id: "1", name: "r1" } as const;
    const accepted = (await w.store.command(10, { type: "accept", responderId: 1, actor }))!;
    const steps = w.commit(await w.dispatch.settle(w.store, [accepted], [], w.now));
    expect(steps.map((s) => [s.caseId, s.state.status])).toEqual([
      [10, "accepted"],
      [12, "new"],
      [12, "new"], // searched again: nobody else, so staff are alerted
    ]);
    expect(w.states.get(12)!.offers.map((o) => o.status)).toEqual(["withdrawn"]);
    expect(w.states.get(12)!.escalationReason).toBe("no_candidate");
    expect(w.model.workOf(1)).toMatchObject({ activity: "accepted", caseId: 10 });
  });

  it("a fall takes a responder holding a service request's offer; the request looks again in the same turn", async () => {
    const w = new World();
    w.add(responder(1, 100, 0, { skills: ["first_aid", "lifting", "meal"] }));
    await w.press(20, 0, 0, "service_request");
    expect(w.model.workOf(1)).toMatchObject({ activity: "offered", caseId: 20 });
    w.add(responder(2, 0, 2_000, { transport: "ebike", role: "volunteer", skills: ["meal"] }));
    const steps = await w.press(21, 50, 0, "fall");
    expect(steps.map((s) => [s.caseId, s.state.status])).toEqual([
      [21, "new"],
      [20, "new"],
      [21, "offered"],
      [20, "offered"],
    ]);
    expect(w.model.workOf(1)).toMatchObject({ activity: "offered", caseId: 21 });
    expect(w.model.workOf(2)).toMatchObject({ activity: "offered", caseId: 20 });
  });

  it("a responder coming free near an emergency whose responder is still far is offered relief", async () => {
    const w = new World();
    // Only a walker 1.2 km away (about 21 min) is free when the fall is pressed; they accept.
    w.add(responder(1, 1_200, 0));
    await w.press(30, 0, 0, "fall");
    w.now += 20_000;
    const actor = { type: "responder", id: "1", name: "r1" } as const;
    w.commit(
      await w.dispatch.settle(
        w.store,
        [(await w.store.command(30, { type: "accept", responderId: 1, actor }))!],
        [],
        w.now,
      ),
    );
    // After the grace window a walker 1 km away comes on duty: not 3 minutes sooner, so nothing is
    // written (no no_candidate for a case with help on the way).
    w.now += POLICY.graceMs;
    const farther = responder(3, 1_000, 0);
    expect(w.dispatch.helpedBy([farther], w.now)).toEqual([]);
    w.add(farther);
    expect(w.dispatch.worthMatching([30], w.now)).toEqual([]);
    // A caregiver 150 m away does: the case is matched again and offered to them.
    const near = responder(2, 150, 0);
    expect(w.dispatch.helpedBy([near], w.now)).toEqual([30]);
    w.add(near);
    const steps = w.commit(
      await w.dispatch.settle(w.store, [], w.dispatch.worthMatching([30], w.now), w.now),
    );
    expect(steps.map((s) => [s.state.status, s.state.responderId])).toEqual([["accepted", 1]]);
    expect(w.states.get(30)!.offers.map((o) => [o.responderId, o.status])).toEqual([
      [1, "accepted"],
      [2, "pending"],
    ]);
  });
});
