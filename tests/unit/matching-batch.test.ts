import { describe, expect, it } from "vitest";
import { haversineMeters, type Priority, type TransportMode } from "../../protocol/index.ts";
import {
  DEFAULT_MATCHING_OPTIONS,
  PRIORITY_WEIGHTS,
  ResponderIndex,
  assignBatch,
  assignGreedy,
  etaSeconds,
  type BatchResult,
  type CaseNeed,
  type ResponderState,
} from "../../dispatcher/matching/index.ts";
import { mulberry32 } from "../helpers/random.ts";
import { NOW, at, responder, sos } from "./matching-fixtures.ts";

const TRANSPORTS: TransportMode[] = ["walk", "bike", "ebike", "car"];

function randomLayout(seed: number, cases: number, responders: number) {
  const random = mulberry32(seed);
  const spot = () => [(random() - 0.5) * 6000, (random() - 0.5) * 6000] as const;
  const needs = Array.from({ length: cases }, (_, i) => {
    const [east, north] = spot();
    return sos(i + 1, { ...at(east, north), priority: (1 + Math.floor(random() * 4)) as Priority });
  });
  const crew = Array.from({ length: responders }, (_, i) => {
    const [east, north] = spot();
    return responder(i + 1, east, north, { transport: TRANSPORTS[Math.floor(random() * 4)]! });
  });
  return { needs, index: new ResponderIndex(crew), crew };
}

/** Every assignment is a real, eligible pair with the right ETA, and nobody is sent twice. */
function expectConsistent(result: BatchResult, needs: CaseNeed[], crew: ResponderState[]) {
  const used = result.assignments.map((a) => a.responderId);
  expect(new Set(used).size).toBe(used.length);
  let total = 0;
  for (const a of result.assignments) {
    const need = needs.find((n) => n.caseId === a.caseId)!;
    const r = crew.find((c) => c.id === a.responderId)!;
    const eta = etaSeconds(
      haversineMeters(need.lat, need.lng, r.lat!, r.lng!),
      r.transport,
      DEFAULT_MATCHING_OPTIONS,
    );
    expect(a.etaSeconds).toBe(eta);
    total += PRIORITY_WEIGHTS[need.priority] * eta;
  }
  expect(result.totalWeightedEta).toBe(total);
  expect(result.assignments.length + result.unassigned.length).toBe(needs.length);
}

/** Exhaustive optimum for small instances where every pair is feasible. */
function bruteForceBest(needs: CaseNeed[], crew: ResponderState[]): number {
  const cost = (n: CaseNeed, r: ResponderState) =>
    PRIORITY_WEIGHTS[n.priority] *
    etaSeconds(haversineMeters(n.lat, n.lng, r.lat!, r.lng!), r.transport, DEFAULT_MATCHING_OPTIONS);
  const search = (i: number, used: Set<number>): number => {
    if (i === needs.length) return 0;
    let best = Infinity;
    for (const r of crew) {
      if (used.has(r.id)) continue;
      used.add(r.id);
      best = Math.min(best, cost(needs[i]!, r) + search(i + 1, used));
      used.delete(r.id);
    }
    return best;
  };
  return search(0, new Set());
}

describe("assigning several open cases at once", () => {
  it("batch beats greedy when the first case would take the responder the second one needs", () => {
    // West to east: responder 2 at -600 m, case A at 0, responder 1 at +300 m, case B at +600 m.
    const index = new ResponderIndex([responder(1, 300, 0), responder(2, -600, 0)]);
    const needs = [sos(1, { ...at(0, 0) }), sos(2, { ...at(600, 0) })];

    const greedy = assignGreedy(needs, index, NOW);
    expect(greedy.assignments).toEqual([
      { caseId: 1, responderId: 1, etaSeconds: 312 },
      { caseId: 2, responderId: 2, etaSeconds: 1247 },
    ]);
    const batch = assignBatch(needs, index, NOW);
    expect(batch.assignments).toEqual([
      { caseId: 1, responderId: 2, etaSeconds: 624 },
      { caseId: 2, responderId: 1, etaSeconds: 312 },
    ]);
    expect(batch.totalWeightedEta).toBe(4 * (624 + 312));
    expect(greedy.totalWeightedEta).toBe(4 * (312 + 1247));
    expect(batch.totalWeightedEta).toBeLessThan(greedy.totalWeightedEta);
  });

  it("a burst of 20 emergencies with 25 responders: batch total weighted ETA ≤ greedy", () => {
    let strictlyBetter = 0;
    for (let seed = 1; seed <= 12; seed++) {
      const { needs, index, crew } = randomLayout(seed, 20, 25);
      const batch = assignBatch(needs, index, NOW);
      const greedy = assignGreedy(needs, index, NOW);
      expect(batch.unassigned).toEqual([]);
      expect(greedy.unassigned).toEqual([]);
      expectConsistent(batch, needs, crew);
      expectConsistent(greedy, needs, crew);
      expect(batch.totalWeightedEta).toBeLessThanOrEqual(greedy.totalWeightedEta);
      if (batch.totalWeightedEta < greedy.totalWeightedEta) strictlyBetter++;
    }
    expect(strictlyBetter).toBeGreaterThan(0);
  });

  it("finds the true optimum on small random bursts", () => {
    for (let seed = 100; seed < 110; seed++) {
      const { needs, index, crew } = randomLayout(seed, 5, 6);
      const batch = assignBatch(needs, index, NOW);
      expect(batch.unassigned).toEqual([]);
      expect(batch.totalWeightedEta).toBe(bruteForceBest(needs, crew));
    }
  });

  it("the only free responder goes to the most urgent case, even if it called second", () => {
    const index = new ResponderIndex([responder(1, 0, 0)]);
    const needs = [sos(1, { ...at(200, 0), priority: 3 }), sos(2, { ...at(-900, 0), priority: 1 })];
    expect(assignBatch(needs, index, NOW)).toMatchObject({
      assignments: [{ caseId: 2, responderId: 1 }],
      unassigned: [1],
    });
    expect(assignGreedy(needs, index, NOW)).toMatchObject({
      assignments: [{ caseId: 1, responderId: 1 }],
      unassigned: [2],
    });
  });

  it("with more cases than responders, the least urgent cases wait", () => {
    const index = new ResponderIndex([responder(1, 100, 0), responder(2, -100, 0)]);
    const needs = ([4, 1, 3, 2] as const).map((priority, i) => sos(i + 1, { ...at(300 * i, 200), priority }));
    const batch = assignBatch(needs, index, NOW);
    expect(batch.assignments.map((a) => a.caseId).sort()).toEqual([2, 4]);
    expect(batch.unassigned).toEqual([1, 3]);
  });

  it("a case nobody can handle is left unassigned while the others are served", () => {
    const index = new ResponderIndex([responder(1, 100, 0, { skills: ["first_aid"] })]);
    const needs = [sos(1, { type: "fall" }), sos(2, { ...at(500, 0), priority: 2 })];
    for (const result of [assignBatch(needs, index, NOW), assignGreedy(needs, index, NOW)]) {
      expect(result.assignments.map((a) => [a.caseId, a.responderId])).toEqual([[2, 1]]);
      expect(result.unassigned).toEqual([1]);
    }
  });

  it("busy, off-duty and already-declined responders are not assigned in a batch either", () => {
    const index = new ResponderIndex([
      responder(1, 10, 0, { busy: true }),
      responder(2, 20, 0, { onDuty: false }),
      responder(3, 30, 0),
      responder(4, 2000, 0),
    ]);
    const needs = [sos(1, { excludeResponderIds: [3] })];
    expect(assignBatch(needs, index, NOW).assignments.map((a) => a.responderId)).toEqual([4]);
  });

  it("reaches beyond the first radius step when the near responders are needed elsewhere", () => {
    const index = new ResponderIndex([responder(1, 100, 0), responder(2, 5000, 0, { transport: "car" })]);
    const needs = [sos(1), sos(2, { ...at(200, 0) })];
    const batch = assignBatch(needs, index, NOW);
    expect(batch.unassigned).toEqual([]);
    expect(batch.assignments.map((a) => a.responderId).sort()).toEqual([1, 2]);
  });

  it("no cases or no responders give an empty result", () => {
    const { index } = randomLayout(1, 0, 5);
    expect(assignBatch([], index, NOW)).toEqual({ assignments: [], unassigned: [], totalWeightedEta: 0 });
    expect(assignBatch([sos(7)], new ResponderIndex([]), NOW)).toEqual({
      assignments: [],
      unassigned: [7],
      totalWeightedEta: 0,
    });
  });
});
