// The case engine under random pressure: seeded sequences of 2,000 random commands each, applied to
// random cases with a clock that only moves forward. The machine must never throw, every accepted
// command must keep the case's invariants, and every refused one must say why.
import { describe, expect, it } from "vitest";
import {
  isActiveStatus,
  ACTOR_TYPES,
  CASE_STATUSES,
  CASE_TYPES,
  ESCALATION_TARGETS,
  CALL_DIRECTIONS,
  CALL_OUTCOMES,
  CALL_PARTIES,
  type CaseStatus,
  type CaseType,
} from "../../protocol/index.ts";
import { apply, createCase } from "../../dispatcher/cases/machine.ts";
import type { Actor, CaseState, Command, Effect, Policy } from "../../dispatcher/cases/state.ts";
import { int, mulberry32, pick, type Rng } from "../helpers/random.ts";
import { deepFreeze, responder } from "./case-machine-fixtures.ts";

const POLICY: Policy = {
  offerTimeoutMs: 30_000,
  escalationMs: 120_000,
  serviceEscalationMs: 600_000,
  followUpRetryMs: 900_000,
  parallelOffers: 3,
  staggerMs: 10_000,
  graceMs: 15_000,
  graceGainSeconds: 60,
  reofferAfterMs: 40_000,
  lateAccept: true,
  replaceAtOnce: true,
  relieveGainSeconds: 120,
  etaCapSeconds: { 1: 600, 2: 600, 3: 1800, 4: 1800 },
};
const SEQUENCES = 25;
const COMMANDS_PER_SEQUENCE = 2_000;
const RESPONDERS = [1, 2, 3, 4, 5, 6];
const REFUSAL_CODES = ["illegal_transition", "offer_closed", "not_assigned"];

const DEVICE: Actor = { type: "device", id: "dev-rand", name: null };
const STAFF: Actor = { type: "staff", id: "3", name: "调度员" };

function randomCase(rng: Rng, id: number, now: number): CaseState {
  const type = pick(rng, CASE_TYPES);
  return createCase(
    {
      id,
      type,
      service: type === "service_request" ? "bathing" : null,
      residentId: int(rng, 1, 50),
      communityId: int(rng, 1, 3),
      deviceId: rng() < 0.9 ? "dev-rand" : null,
      openingEventId: "evt-rand",
      actor: rng() < 0.8 ? DEVICE : STAFF,
    },
    now,
    POLICY,
  ).state;
}

/** Mostly plausible commands (answers from responders who were asked), with plenty of nonsense mixed in. */
function randomCommand(rng: Rng, s: CaseState): Command {
  const pendingIds = s.offers.filter((o) => o.status === "pending").map((o) => o.responderId);
  const asked = () => (pendingIds.length > 0 && rng() < 0.7 ? pick(rng, pendingIds) : pick(rng, RESPONDERS));
  const assigned = () => (s.responderId !== null && rng() < 0.7 ? s.responderId : pick(rng, RESPONDERS));
  // Matching only ever answers for a dispatchable case; the service never offers a technical one.
  const dispatchable = s.kind !== "technical";
  // Any other command stays possible at any stage; the likely next step of the stage is weighted up.
  const weights: Record<Command["type"], number> = {
    press: 1,
    offer: dispatchable ? (s.status === "new" ? 6 : 1) : 0,
    no_candidate: dispatchable ? 1 : 0,
    tick: 3,
    accept: s.status === "offered" ? 6 : 1,
    decline: s.status === "offered" ? 3 : 1,
    withdraw: dispatchable ? 1 : 0,
    en_route: s.status === "accepted" ? 4 : 1,
    arrive: s.status === "accepted" || s.status === "en_route" ? 4 : 1,
    resolve: s.status === "on_scene" ? 4 : 1,
    ask_help: 1,
    cancel: 1,
    assign: 1,
    escalate: 1,
    note: 1,
    staff_ack: 1,
    follow_up: s.status === "resolved" || s.status === "cancelled" ? 3 : 1,
    skip_follow_up: 1,
    call: 1,
    family_on_way: 1,
  };
  const entries = Object.entries(weights) as [Command["type"], number][];
  let roll = rng() * entries.reduce((sum, [, w]) => sum + w, 0);
  const [type] = entries.find(([, w]) => (roll -= w) < 0) ?? ["tick"];
  switch (type) {
    case "press":
      return { type: "press", actor: DEVICE, eventType: pick(rng, CASE_TYPES) };
    case "offer": {
      const ids = [...RESPONDERS].sort(() => rng() - 0.5).slice(0, int(rng, 0, 3));
      return {
        type: "offer",
        candidates: ids.map((id) => ({
          responderId: id,
          etaSeconds: int(rng, 30, 900),
          distanceMeters: int(rng, 50, 5_000),
        })),
      };
    }
    case "no_candidate":
      return { type: "no_candidate" };
    case "tick":
      return { type: "tick" };
    case "accept": {
      const id = asked();
      return { type: "accept", responderId: id, actor: responder(id) };
    }
    case "decline": {
      const id = asked();
      return { type: "decline", responderId: id, actor: responder(id) };
    }
    case "withdraw":
      return { type: "withdraw", responderId: asked(), reason: "preempted" };
    case "en_route": {
      const id = assigned();
      return { type: "en_route", responderId: id, actor: responder(id) };
    }
    case "arrive": {
      const id = assigned();
      return { type: "arrive", responderId: id, actor: responder(id) };
    }
    case "resolve": {
      if (rng() < 0.3) return { type: "resolve", actor: STAFF, responderId: null, note: "电话确认无事" };
      const id = assigned();
      return { type: "resolve", actor: responder(id), responderId: id, note: "已处理" };
    }
    case "ask_help": {
      const id = assigned();
      return {
        type: "ask_help",
        responderId: id,
        actor: responder(id),
        note: rng() < 0.5 ? null : "门打不开",
      };
    }
    case "cancel":
      return { type: "cancel", actor: pick(rng, [DEVICE, STAFF, responder(assigned())]), reason: "取消" };
    case "assign": {
      const id = pick(rng, RESPONDERS);
      return {
        type: "assign",
        actor: STAFF,
        candidate: { responderId: id, etaSeconds: int(rng, 30, 900), distanceMeters: 500 },
      };
    }
    case "escalate":
      return {
        type: "escalate",
        actor: STAFF,
        target: pick(rng, ESCALATION_TARGETS),
        note: rng() < 0.5 ? null : "升级",
      };
    case "note":
      return { type: "note", actor: pick(rng, [STAFF, responder(assigned())]), text: "备注" };
    case "staff_ack":
      return { type: "staff_ack", actor: STAFF };
    case "follow_up":
      return {
        type: "follow_up",
        actor: STAFF,
        outcome: pick(rng, ["reached_ok", "reached_needs_help", "no_answer"] as const),
        party: pick(rng, ["resident", "family"] as const),
        number: null,
        note: rng() < 0.5 ? null : "回访",
        close: pick(rng, [true, false, null]),
      };
    case "skip_follow_up":
      return { type: "skip_follow_up", actor: STAFF, reason: pick(rng, ["家属在场，已确认无恙", ""]) };
    case "call":
      return {
        type: "call",
        actor: pick(rng, [STAFF, responder(assigned())]),
        call: {
          direction: pick(rng, CALL_DIRECTIONS),
          party: pick(rng, CALL_PARTIES),
          number: rng() < 0.5 ? null : "13800000000",
          outcome: pick(rng, CALL_OUTCOMES),
          note: null,
          name: null,
        },
      };
    case "family_on_way":
      return {
        type: "family_on_way",
        actor: { type: "family", id: "9", name: "王强" },
        etaMinutes: rng() < 0.5 ? null : int(rng, 1, 90),
      };
  }
}

/** How far the clock moves before the next command: often not at all, sometimes past every deadline. */
function advance(rng: Rng): number {
  const r = rng();
  if (r < 0.1) return 0;
  if (r < 0.65) return int(rng, 1, 3_000);
  if (r < 0.9) return int(rng, 1, POLICY.offerTimeoutMs + 5_000);
  return int(rng, 1, POLICY.escalationMs + 10_000);
}

interface Step {
  prev: CaseState;
  next: CaseState;
  command: Command;
  effects: Effect[];
  now: number;
}

/** Returns a description of every broken invariant (empty when all hold). */
function invariantViolations({ prev, next, command, effects, now }: Step): string[] {
  const broken: string[] = [];
  const check = (ok: boolean, what: string) => {
    if (!ok) broken.push(what);
  };
  const active = isActiveStatus(next.status);
  const pending = next.offers.filter((o) => o.status === "pending");
  const accepted = next.offers.filter((o) => o.status === "accepted");

  check(CASE_STATUSES.includes(next.status), `unknown status ${next.status}`);
  check(next.updatedAt === now, "updatedAt is not the given time");
  check(
    prev.status !== "closed" || (next.status === "closed" && next.closedAt === prev.closedAt),
    "a closed case moved",
  );
  check(!prev.escalated || next.escalated, "escalated went back to false");
  check(next.escalated === (next.escalationReason !== null), "escalated flag and reason disagree");
  const times = [next.acceptedAt, next.arrivedAt, next.resolvedAt].filter((t): t is number => t !== null);
  check(
    times.every((t, i) => i === 0 || (times[i - 1] ?? t) <= t),
    "acceptedAt ≤ arrivedAt ≤ resolvedAt broken",
  );
  check(next.arrivedAt === null || next.acceptedAt !== null, "arrived without being accepted");
  // The latest accepted offer is always the current responder's, and an assigned case has one.
  check(
    accepted.length === 0 || accepted.at(-1)?.responderId === next.responderId,
    "latest accepted offer is not the responder's",
  );
  check(
    next.responderId === null || accepted.some((o) => o.responderId === next.responderId),
    "responder without accepted offer",
  );
  check(
    !["accepted", "en_route", "on_scene"].includes(next.status) || next.responderId !== null,
    "in progress without responder",
  );
  check(next.status !== "offered" || pending.length > 0, "offered without a pending offer");
  // Pending offers outlive an accept only in the grace window, and only if clearly better placed.
  check(
    pending.length === 0 ||
      next.status === "offered" ||
      (["accepted", "en_route"].includes(next.status) && next.offerDeadline !== null),
    "pending offers outside the offer round and its grace window",
  );
  check(
    !["accepted", "en_route"].includes(next.status) ||
      pending.every((o) => o.etaSeconds <= (next.etaSeconds ?? 0) - POLICY.graceGainSeconds),
    "an offer kept open after the accept is not clearly better placed",
  );
  // Relief: with help on the way, at most one offer made after the accept is open at a time.
  check(
    next.acceptedAt === null || pending.filter((o) => o.createdAt > next.acceptedAt!).length <= 1,
    "more than one relief offer open",
  );
  // A responder staff chose is never relieved: no offer is made for a case they assigned.
  check(
    !next.assignedByStaff || next.offers.length === prev.offers.length || command.type === "assign",
    "an offer made for a case staff assigned",
  );
  check(
    next.assignedByStaff === (command.type === "assign" ? true : prev.assignedByStaff) ||
      (command.type === "accept" && !next.assignedByStaff),
    "who assigned the case changed other than by an assignment or an accept",
  );
  check(next.status !== "offered" || next.offerDeadline !== null, "offered without an offer deadline");
  check(
    active || (next.offerDeadline === null && next.escalationDeadline === null),
    "finished case still has deadlines",
  );
  check(
    [1, 2, 3, 4].includes(next.priority) && next.priority <= prev.priority,
    "priority out of range or lowered",
  );
  check(next.pressCount >= prev.pressCount, "press count went down");
  check(
    next.id === prev.id &&
      next.type === prev.type &&
      next.kind === prev.kind &&
      next.createdAt === prev.createdAt,
    "identity of the case changed",
  );
  check(next.offers.length >= prev.offers.length, "offers disappeared");
  check(
    next.kind !== "technical" || !effects.some((e) => e.kind === "find_candidates"),
    "technical case asked for candidates",
  );
  check(
    next.status === prev.status || effects.some((e) => e.kind === "event"),
    `${command.type} changed status without an event`,
  );
  check(
    effects.every((e) => e.kind !== "event" || (ACTOR_TYPES as readonly string[]).includes(e.actor.type)),
    "event with an unknown actor type",
  );
  return broken;
}

/** The stricter reading: no responder ever holds two accepted offers on one case. */
function strictAcceptedOfferViolations({ next }: Step): string[] {
  const mine = next.offers.filter((o) => o.status === "accepted" && o.responderId === next.responderId);
  return mine.length <= 1 ? [] : [`responder ${next.responderId} holds ${mine.length} accepted offers`];
}

interface Stats {
  ok: number;
  refused: number;
  failures: string[];
  okByType: Map<string, number>;
  refusedByType: Map<string, number>;
  statuses: Set<CaseStatus>;
  types: Set<CaseType>;
}

function explore(seed: number, invariants: (step: Step) => string[], stats: Stats): void {
  const rng = mulberry32(seed);
  let now = 1_000_000 + int(rng, 0, 10_000_000);
  let nextId = 1;
  let s = deepFreeze(randomCase(rng, nextId++, now));
  let closedFor = 0;
  for (let i = 0; i < COMMANDS_PER_SEQUENCE; i++) {
    // A closed case keeps receiving commands for a while (it must stay closed), then a new one opens.
    closedFor = s.status === "closed" ? closedFor + 1 : 0;
    if (closedFor > 5 || rng() < 0.01) {
      now += advance(rng);
      s = deepFreeze(randomCase(rng, nextId++, now));
      closedFor = 0;
    }
    stats.types.add(s.type);
    const command = randomCommand(rng, s);
    now += advance(rng);
    const where = `seed ${seed} step ${i} (${s.status} + ${command.type} at ${now})`;
    let result: ReturnType<typeof apply>;
    try {
      result = apply(s, command, now, POLICY); // input is deep-frozen: any mutation throws here
    } catch (err) {
      stats.failures.push(`${where}: threw ${String(err)}`);
      return;
    }
    if (!result.ok) {
      stats.refused++;
      stats.refusedByType.set(command.type, (stats.refusedByType.get(command.type) ?? 0) + 1);
      if (
        !REFUSAL_CODES.includes(result.code) ||
        typeof result.message !== "string" ||
        result.message === ""
      ) {
        stats.failures.push(`${where}: refusal without code or message`);
      }
      continue;
    }
    stats.ok++;
    stats.okByType.set(command.type, (stats.okByType.get(command.type) ?? 0) + 1);
    stats.statuses.add(result.state.status);
    for (const broken of invariants({ prev: s, next: result.state, command, effects: result.effects, now })) {
      stats.failures.push(`${where}: ${broken}`);
    }
    if (stats.failures.length > 20) return;
    s = deepFreeze(result.state);
  }
}

const newStats = (): Stats => ({
  ok: 0,
  refused: 0,
  failures: [],
  okByType: new Map(),
  refusedByType: new Map(),
  statuses: new Set(),
  types: new Set(),
});

describe("random command sequences", () => {
  it(`${SEQUENCES} seeded sequences of ${COMMANDS_PER_SEQUENCE} commands never throw and keep every invariant`, () => {
    const stats = newStats();
    for (let seed = 1; seed <= SEQUENCES; seed++) explore(seed, invariantViolations, stats);

    expect(stats.failures).toEqual([]);
    expect(stats.ok + stats.refused).toBe(SEQUENCES * COMMANDS_PER_SEQUENCE);
    // The walk really explored: every stage and case type, every command both accepted and refused.
    expect([...stats.statuses].sort()).toEqual([...CASE_STATUSES].sort());
    expect([...stats.types].sort()).toEqual([...CASE_TYPES].sort());
    const everyType: Command["type"][] = [
      "press",
      "offer",
      "no_candidate",
      "tick",
      "accept",
      "decline",
      "withdraw",
      "en_route",
      "arrive",
      "resolve",
      "cancel",
      "assign",
      "escalate",
      "note",
      "staff_ack",
      "follow_up",
    ];
    for (const type of everyType) {
      expect(stats.okByType.get(type) ?? 0, `${type} accepted`).toBeGreaterThan(0);
      if (type !== "tick" && type !== "staff_ack")
        expect(stats.refusedByType.get(type) ?? 0, `${type} refused`).toBeGreaterThan(0);
    }
  });

  it("the same seed replays the same walk (the clock and the randomness are the only inputs)", () => {
    const a = newStats();
    const b = newStats();
    explore(7, invariantViolations, a);
    explore(7, invariantViolations, b);
    expect([a.ok, a.refused, [...a.okByType]]).toEqual([b.ok, b.refused, [...b.okByType]]);
  });

  it("no responder ever holds two accepted offers on one case", () => {
    const stats = newStats();
    for (let seed = 1; seed <= SEQUENCES; seed++) explore(seed, strictAcceptedOfferViolations, stats);
    expect(stats.failures).toEqual([]);
  });
});
