// The case engine, part 2: from acceptance to the follow-up call, who may do what, the event trail,
// purity, and the full table of every command against every stage of a case.
import { describe, expect, it } from "vitest";
import { FOLLOW_UP_AFTER_RESOLVE_MS, type CaseStatus } from "../../protocol/index.ts";
import { apply } from "../../dispatcher/cases/machine.ts";
import { SYSTEM, type Actor, type CaseState, type Command } from "../../dispatcher/cases/state.ts";
import {
  DEVICE,
  NOTE,
  POLICY,
  STAFF,
  T0,
  cmd,
  deepFreeze,
  only,
  open as openCase,
  refusal,
  responder,
  run,
  step,
} from "./case-machine-fixtures.ts";

/** A fall, just opened at T0. */
const open = (): CaseState => openCase("fall").state;

// Every stage a case can be in, reached through legal steps only. Responder 1 is the one who accepts.
const AT = T0 + 100_000;
const FIXTURES = {
  new: () => open(),
  offered: () => run(open(), [cmd.offer(1, 2)], AT - 30_000),
  accepted: () => run(open(), [cmd.offer(1, 2), cmd.accept(1)], AT - 30_000),
  en_route: () => run(open(), [cmd.offer(1, 2), cmd.accept(1), cmd.enRoute(1)], AT - 30_000),
  on_scene: () => run(open(), [cmd.offer(1, 2), cmd.accept(1), cmd.arrive(1)], AT - 30_000),
  resolved: () => run(open(), [cmd.offer(1, 2), cmd.accept(1), cmd.arrive(1), cmd.resolve(1)], AT - 30_000),
  "cancelled before accept": () => run(open(), [cmd.deviceCancel()], AT - 30_000),
  "cancelled after accept": () =>
    run(open(), [cmd.offer(1, 2), cmd.accept(1), cmd.staffCancel()], AT - 30_000),
  closed: () =>
    run(open(), [cmd.offer(1, 2), cmd.accept(1), cmd.resolve(1), cmd.followUp(true)], AT - 30_000),
} satisfies Record<string, () => CaseState>;
type Stage = keyof typeof FIXTURES;

const COMMANDS = {
  press: cmd.press(),
  "offer a new responder": cmd.offer(9),
  no_candidate: cmd.noCandidate(),
  tick: cmd.tick(),
  "accept (responder 1)": cmd.accept(1),
  "decline (responder 1)": cmd.decline(1),
  "en_route (responder 1)": cmd.enRoute(1),
  "arrive (responder 1)": cmd.arrive(1),
  "resolve (responder 1)": cmd.resolve(1),
  "resolve (staff)": cmd.resolve(null),
  "cancel (device)": cmd.deviceCancel(),
  "cancel (staff)": cmd.staffCancel(),
  "assign responder 9": cmd.assign(9),
  escalate: cmd.escalate(),
  note: cmd.note(),
  staff_ack: cmd.staffAck(),
  "follow_up (stay open)": cmd.followUp(false),
  "follow_up (close)": cmd.followUp(true),
  call: cmd.call(),
} satisfies Record<string, Command>;
type CommandName = keyof typeof COMMANDS;

// A status means the command is legal and leads there; otherwise the refusal code.
type Outcome = CaseStatus | "illegal_transition" | "offer_closed" | "not_assigned";
const I = "illegal_transition";
const O = "offer_closed";
const N = "not_assigned";
// prettier-ignore
const TABLE: Record<Stage, Record<CommandName, Outcome>> = {
  new: {
    press: "new", "offer a new responder": "offered", no_candidate: "new", tick: "new",
    "accept (responder 1)": O, "decline (responder 1)": O, "en_route (responder 1)": I, "arrive (responder 1)": I,
    "resolve (responder 1)": N, "resolve (staff)": "resolved", "cancel (device)": "cancelled", "cancel (staff)": "cancelled",
    "assign responder 9": "accepted", escalate: "new", note: "new", staff_ack: "new",
    "follow_up (stay open)": I, "follow_up (close)": I, call: "new",
  },
  offered: {
    press: "offered", "offer a new responder": "offered", no_candidate: "offered", tick: "offered",
    "accept (responder 1)": "accepted", "decline (responder 1)": "offered", "en_route (responder 1)": I, "arrive (responder 1)": I,
    "resolve (responder 1)": N, "resolve (staff)": "resolved", "cancel (device)": "cancelled", "cancel (staff)": "cancelled",
    "assign responder 9": "accepted", escalate: "offered", note: "offered", staff_ack: "offered",
    "follow_up (stay open)": I, "follow_up (close)": I, call: "offered",
  },
  accepted: {
    press: "accepted", "offer a new responder": I, no_candidate: I, tick: "accepted",
    "accept (responder 1)": O, "decline (responder 1)": O, "en_route (responder 1)": "en_route", "arrive (responder 1)": "on_scene",
    "resolve (responder 1)": "resolved", "resolve (staff)": "resolved", "cancel (device)": I, "cancel (staff)": "cancelled",
    "assign responder 9": "accepted", escalate: "accepted", note: "accepted", staff_ack: "accepted",
    "follow_up (stay open)": I, "follow_up (close)": I, call: "accepted",
  },
  en_route: {
    press: "en_route", "offer a new responder": I, no_candidate: I, tick: "en_route",
    "accept (responder 1)": O, "decline (responder 1)": O, "en_route (responder 1)": I, "arrive (responder 1)": "on_scene",
    "resolve (responder 1)": "resolved", "resolve (staff)": "resolved", "cancel (device)": I, "cancel (staff)": "cancelled",
    "assign responder 9": "accepted", escalate: "en_route", note: "en_route", staff_ack: "en_route",
    "follow_up (stay open)": I, "follow_up (close)": I, call: "en_route",
  },
  on_scene: {
    press: "on_scene", "offer a new responder": I, no_candidate: I, tick: "on_scene",
    "accept (responder 1)": O, "decline (responder 1)": O, "en_route (responder 1)": I, "arrive (responder 1)": I,
    "resolve (responder 1)": "resolved", "resolve (staff)": "resolved", "cancel (device)": I, "cancel (staff)": "cancelled",
    "assign responder 9": I, escalate: "on_scene", note: "on_scene", staff_ack: "on_scene",
    "follow_up (stay open)": I, "follow_up (close)": I, call: "on_scene",
  },
  resolved: {
    press: I, "offer a new responder": I, no_candidate: I, tick: "resolved",
    "accept (responder 1)": O, "decline (responder 1)": O, "en_route (responder 1)": I, "arrive (responder 1)": I,
    "resolve (responder 1)": I, "resolve (staff)": I, "cancel (device)": I, "cancel (staff)": I,
    "assign responder 9": I, escalate: "resolved", note: "resolved", staff_ack: "resolved",
    "follow_up (stay open)": "resolved", "follow_up (close)": "closed", call: "resolved",
  },
  "cancelled before accept": {
    press: I, "offer a new responder": I, no_candidate: I, tick: "cancelled",
    "accept (responder 1)": O, "decline (responder 1)": O, "en_route (responder 1)": I, "arrive (responder 1)": I,
    "resolve (responder 1)": I, "resolve (staff)": I, "cancel (device)": I, "cancel (staff)": I,
    "assign responder 9": I, escalate: "cancelled", note: "cancelled", staff_ack: "cancelled",
    "follow_up (stay open)": "cancelled", "follow_up (close)": "closed", call: "cancelled",
  },
  "cancelled after accept": {
    press: I, "offer a new responder": I, no_candidate: I, tick: "cancelled",
    "accept (responder 1)": O, "decline (responder 1)": O, "en_route (responder 1)": I, "arrive (responder 1)": I,
    "resolve (responder 1)": I, "resolve (staff)": I, "cancel (device)": I, "cancel (staff)": I,
    "assign responder 9": I, escalate: "cancelled", note: "cancelled", staff_ack: "cancelled",
    "follow_up (stay open)": "cancelled", "follow_up (close)": "closed", call: "cancelled",
  },
  closed: {
    press: I, "offer a new responder": I, no_candidate: I, tick: "closed",
    "accept (responder 1)": O, "decline (responder 1)": O, "en_route (responder 1)": I, "arrive (responder 1)": I,
    "resolve (responder 1)": I, "resolve (staff)": I, "cancel (device)": I, "cancel (staff)": I,
    "assign responder 9": I, escalate: I, note: I, staff_ack: I,
    "follow_up (stay open)": I, "follow_up (close)": I, call: "closed",
  },
};

const CELLS = (Object.keys(TABLE) as Stage[]).flatMap((stage) =>
  (Object.keys(COMMANDS) as CommandName[]).map((name) => ({ stage, name, expected: TABLE[stage][name] })),
);

describe("every command against every stage", () => {
  it("the fixtures really are in the stage they are named after", () => {
    for (const [stage, make] of Object.entries(FIXTURES)) expect(stage.startsWith(make().status)).toBe(true);
  });

  it.each(CELLS)("$stage + $name → $expected", ({ stage, name, expected }) => {
    const before = deepFreeze(FIXTURES[stage]());
    const snapshot = structuredClone(before);
    const r = apply(before, COMMANDS[name], AT, POLICY);
    if (r.ok) {
      expect(r.state.status).toBe(expected);
      expect(r.state.updatedAt).toBe(AT);
    } else {
      expect(r.code).toBe(expected);
      expect(r.message.length).toBeGreaterThan(0);
    }
    expect(before).toEqual(snapshot);
  });
});

describe("the responder's part", () => {
  const accepted = () => run(open(), [cmd.offer(1, 2), cmd.accept(1)], T0 + 1_000);

  it("only the assigned responder can set off / arrive / resolve (not_assigned)", () => {
    const s = accepted();
    for (const c of [cmd.enRoute(2), cmd.arrive(2), cmd.resolve(2), cmd.enRoute(99)]) {
      expect(refusal(s, c, T0 + 10_000)).toEqual({
        code: "not_assigned",
        message: "you are not assigned to this case",
      });
    }
    const onScene = run(s, [cmd.enRoute(1), cmd.arrive(1)], T0 + 10_000);
    expect(onScene).toMatchObject({ status: "on_scene", responderId: 1 });
    expect(refusal(onScene, cmd.resolve(2), T0 + 20_000).code).toBe("not_assigned");
    expect(step(onScene, cmd.resolve(1), T0 + 20_000).state.status).toBe("resolved");
  });

  it("the assigned responder asks for 120: a help_requested alert and timeline entry, nothing else changes", () => {
    const onScene = run(accepted(), [cmd.arrive(1)], T0 + 10_000);
    const { state, effects } = step(onScene, cmd.askHelp(1), T0 + 20_000);
    expect(state).toMatchObject({ status: "on_scene", escalated: false, responderId: 1 });
    expect(effects).toEqual([
      { kind: "event", type: "help_requested", actor: responder(1), note: "老人胸痛，需要急救", data: null },
      { kind: "alert_staff", alert: "help_requested", message: "老人胸痛，需要急救" },
    ]);
    // Only the responder who has the case, and only while they have it.
    expect(refusal(onScene, cmd.askHelp(2), T0 + 20_000).code).toBe("not_assigned");
    expect(refusal(open(), cmd.askHelp(1), T0 + 20_000).code).toBe("illegal_transition");
    const resolved = step(onScene, cmd.resolve(1), T0 + 30_000).state;
    expect(refusal(resolved, cmd.askHelp(1), T0 + 40_000).code).toBe("illegal_transition");
  });

  it("arrive from new is illegal; arriving twice is illegal too", () => {
    expect(refusal(open(), cmd.arrive(1), T0 + 5_000).code).toBe("illegal_transition");
    const onScene = run(accepted(), [cmd.arrive(1)], T0 + 10_000);
    expect(refusal(onScene, cmd.arrive(1), T0 + 20_000)).toEqual({
      code: "illegal_transition",
      message: "cannot arrive from on_scene",
    });
  });

  it("setting off is only possible from accepted", () => {
    const enRoute = run(accepted(), [cmd.enRoute(1)], T0 + 10_000);
    expect(refusal(enRoute, cmd.enRoute(1), T0 + 11_000)).toEqual({
      code: "illegal_transition",
      message: "cannot set off from en_route",
    });
  });

  it("arrive acks the device 'arrived', with or without setting off first", () => {
    for (const before of [accepted(), run(accepted(), [cmd.enRoute(1)], T0 + 8_000)]) {
      const { state, effects } = step(before, cmd.arrive(1), T0 + 240_000);
      expect(state).toMatchObject({ status: "on_scene", arrivedAt: T0 + 240_000 });
      expect(effects).toEqual([
        { kind: "event", type: "arrived", actor: responder(1), note: null, data: null },
        { kind: "ack_device", status: "arrived" },
      ]);
    }
  });

  it("resolve writes a service log effect (民情日记), releases the responder and books the next-day follow-up", () => {
    const onScene = run(accepted(), [cmd.arrive(1)], T0 + 10_000);
    const { state, effects } = step(onScene, cmd.resolve(1), T0 + 900_000);
    expect(state).toMatchObject({
      status: "resolved",
      resolvedAt: T0 + 900_000,
      resolutionNote: NOTE,
      responderId: 1,
      offerDeadline: null,
      escalationDeadline: null,
    });
    expect(effects).toEqual([
      { kind: "event", type: "resolved", actor: responder(1), note: NOTE, data: null },
      { kind: "service_log", responderId: 1, content: NOTE },
      { kind: "responder_released", responderId: 1 },
      { kind: "follow_up_task", reason: "scheduled", dueAt: T0 + 900_000 + FOLLOW_UP_AFTER_RESOLVE_MS },
    ]);
  });

  it("staff can resolve a case nobody accepted: pending offers are withdrawn, the log has no responder", () => {
    const offered = run(open(), [cmd.offer(1, 2)], T0 + 1_000);
    const { state, effects } = step(offered, cmd.resolve(null), T0 + 20_000);
    expect(state.offers.map((o) => o.status)).toEqual(["withdrawn", "withdrawn"]);
    expect(effects).toEqual([
      { kind: "offers_closed", responderIds: [1, 2], reason: "resolved" },
      { kind: "event", type: "resolved", actor: STAFF, note: NOTE, data: null },
      { kind: "service_log", responderId: null, content: NOTE },
      { kind: "follow_up_task", reason: "scheduled", dueAt: T0 + 20_000 + FOLLOW_UP_AFTER_RESOLVE_MS },
    ]);
  });
});

describe("cancelling", () => {
  it("the device may cancel before accept but not after (illegal_transition)", () => {
    const fresh = step(open(), cmd.deviceCancel(), T0 + 3_000);
    expect(fresh.state).toMatchObject({
      status: "cancelled",
      cancelledAt: T0 + 3_000,
      escalationDeadline: null,
    });
    expect(fresh.effects).toEqual([
      { kind: "event", type: "cancelled", actor: DEVICE, note: "老人按键取消", data: null },
      { kind: "ack_device", status: "cancelled" },
    ]);

    const offered = run(open(), [cmd.offer(1, 2)], T0 + 1_000);
    const whileOffered = step(offered, cmd.deviceCancel(), T0 + 5_000);
    expect(whileOffered.state.offers.map((o) => o.status)).toEqual(["withdrawn", "withdrawn"]);
    expect(only(whileOffered.effects, "offers_closed")).toEqual([
      { kind: "offers_closed", responderIds: [1, 2], reason: "cancelled" },
    ]);

    const accepted = step(offered, cmd.accept(2), T0 + 5_000).state;
    expect(refusal(accepted, cmd.deviceCancel(), T0 + 6_000)).toEqual({
      code: "illegal_transition",
      message: "help is already on the way; the case stays open",
    });
  });

  it("staff can cancel after accept (false alarm) and the responder is released", () => {
    const enRoute = run(open(), [cmd.offer(1), cmd.accept(1), cmd.enRoute(1)], T0 + 1_000);
    const { state, effects } = step(enRoute, cmd.staffCancel(), T0 + 30_000);
    expect(state).toMatchObject({ status: "cancelled", cancelledAt: T0 + 30_000, responderId: 1 });
    expect(effects).toEqual([
      { kind: "responder_released", responderId: 1 },
      { kind: "event", type: "cancelled", actor: STAFF, note: "误报，已电话确认", data: null },
      { kind: "ack_device", status: "cancelled" },
    ]);
  });
});

describe("staff actions", () => {
  it("escalate to 120 raises the flag with the target as reason, and sounds no alert: staff did it", () => {
    const accepted = run(open(), [cmd.offer(1), cmd.accept(1)], T0 + 1_000);
    const { state, effects } = step(accepted, cmd.escalate(), T0 + 20_000);
    expect(state).toMatchObject({ escalated: true, escalationReason: "ambulance_120", status: "accepted" });
    expect(effects).toEqual([
      { kind: "event", type: "escalated", actor: STAFF, note: "疑似骨折", data: { reason: "ambulance_120" } },
      {
        kind: "call_log",
        actor: STAFF,
        call: {
          direction: "outbound",
          party: "ambulance_120",
          number: "120",
          name: null,
          outcome: "reached",
          note: "疑似骨折",
        },
      },
    ]);
    // Each escalation is its own event (the console shows each as a badge); the flag never goes down.
    const family = step(state, { type: "escalate", actor: STAFF, target: "family", note: null }, T0 + 30_000);
    expect(family.state).toMatchObject({ escalated: true, escalationReason: "family" });
    expect(only(family.effects, "event")).toEqual([
      { kind: "event", type: "escalated", actor: STAFF, note: null, data: { reason: "family" } },
    ]);
    expect(only(family.effects, "alert_staff")).toEqual([]);
    expect(only(family.effects, "call_log")).toMatchObject([{ call: { party: "family", number: null } }]);
    expect(run(family.state, [cmd.arrive(1), cmd.resolve(1)], T0 + 40_000).escalated).toBe(true);
  });

  it("a phone call is logged at any stage, also after closing, and changes nothing but the record", () => {
    const resolved = run(open(), [cmd.offer(1), cmd.accept(1), cmd.resolve(1)], T0 + 1_000);
    const closed = step(resolved, cmd.followUp(true), T0 + 20_000).state;
    const { state, effects } = step(closed, cmd.call(), T0 + 86_400_000);
    expect(state).toEqual({ ...closed, updatedAt: T0 + 86_400_000 });
    expect(effects).toEqual([
      {
        kind: "event",
        type: "call",
        actor: STAFF,
        note: "已告知女儿",
        data: {
          direction: "outbound",
          party: "family",
          outcome: "reached",
          number: "13900000000",
          name: "王芳",
        },
      },
      {
        kind: "call_log",
        actor: STAFF,
        call: {
          direction: "outbound",
          party: "family",
          number: "13900000000",
          name: "王芳",
          outcome: "reached",
          note: "已告知女儿",
        },
      },
    ]);
  });

  it("notes are refused on a closed case, accepted before", () => {
    const resolved = run(open(), [cmd.offer(1), cmd.accept(1), cmd.resolve(1)], T0 + 1_000);
    expect(step(resolved, cmd.note(), T0 + 10_000).effects).toEqual([
      { kind: "event", type: "note", actor: STAFF, note: "已联系家属", data: null },
    ]);
    const closed = step(resolved, cmd.followUp(true), T0 + 20_000).state;
    expect(refusal(closed, cmd.note(), T0 + 30_000)).toEqual({
      code: "illegal_transition",
      message: "case is closed",
    });
    expect(refusal(closed, cmd.escalate(), T0 + 30_000).code).toBe("illegal_transition");
  });

  it("staff ack is idempotent", () => {
    const first = step(open(), cmd.staffAck(), T0 + 4_000);
    expect(first.state.staffAckAt).toBe(T0 + 4_000);
    expect(first.effects).toEqual([
      { kind: "event", type: "staff_acknowledged", actor: STAFF, note: null, data: null },
    ]);
    const second = step(first.state, cmd.staffAck(), T0 + 9_000);
    expect(second.effects).toEqual([]);
    expect(second.state.staffAckAt).toBe(T0 + 4_000);
  });

  it("follow-up only after resolved or cancelled; closing acks the device 'closed'", () => {
    const accepted = run(open(), [cmd.offer(1), cmd.accept(1)], T0 + 1_000);
    expect(refusal(accepted, cmd.followUp(true), T0 + 10_000).code).toBe("illegal_transition");

    const resolved = step(accepted, cmd.resolve(1), T0 + 10_000).state;
    const kept = step(resolved, cmd.followUp(false), T0 + 86_400_000);
    expect(kept.state).toMatchObject({ status: "resolved", closedAt: null });
    expect(kept.effects).toEqual([
      {
        kind: "event",
        type: "follow_up",
        actor: STAFF,
        note: "回访：老人情况良好",
        data: { outcome: "reached_ok", party: "resident", retryAt: null },
      },
      { kind: "follow_up", outcome: "reached_ok", note: "回访：老人情况良好", actor: STAFF },
      {
        kind: "call_log",
        actor: STAFF,
        call: {
          direction: "outbound",
          party: "resident",
          number: null,
          name: null,
          outcome: "reached",
          note: "回访：老人情况良好",
        },
      },
    ]);

    const closed = step(kept.state, cmd.followUp(true), T0 + 90_000_000);
    expect(closed.state).toMatchObject({ status: "closed", closedAt: T0 + 90_000_000 });
    expect(closed.effects.slice(3)).toEqual([
      { kind: "event", type: "closed", actor: STAFF, note: null, data: null },
      { kind: "ack_device", status: "closed" },
      { kind: "follow_up_tasks_dropped" },
    ]);
    expect(refusal(closed.state, cmd.followUp(true), T0 + 90_001_000).code).toBe("illegal_transition");

    const cancelled = step(open(), cmd.deviceCancel(), T0 + 2_000).state;
    expect(step(cancelled, cmd.followUp(true), T0 + 60_000).state.status).toBe("closed");
  });

  it.each([
    ["reached_ok", "closed"],
    ["reached_needs_help", "resolved"],
    ["no_answer", "resolved"],
  ] as const)("by default, a follow-up %s leaves the case %s", (outcome, status) => {
    const resolved = run(open(), [cmd.offer(1), cmd.accept(1), cmd.resolve(1)], T0 + 1_000);
    expect(step(resolved, cmd.followUp(null, outcome), T0 + 60_000).state.status).toBe(status);
  });

  it("nobody answering books a retry call after the policy's interval and never closes the case", () => {
    const resolved = run(open(), [cmd.offer(1), cmd.accept(1), cmd.resolve(1)], T0 + 1_000);
    const at = T0 + 60_000;
    const { state, effects } = step(resolved, cmd.followUp(null, "no_answer"), at);
    expect(state.status).toBe("resolved");
    expect(only(effects, "follow_up_task")).toEqual([
      { kind: "follow_up_task", reason: "retry", dueAt: at + POLICY.followUpRetryMs },
    ]);
    expect(only(effects, "call_log")[0]).toMatchObject({ call: { outcome: "no_answer", party: "resident" } });
    // Closing after nobody answered is refused: the resident was never heard from.
    expect(refusal(resolved, cmd.followUp(true, "no_answer"), at).code).toBe("illegal_transition");
    // Staff may still choose to close when the resident needs more help another way.
    expect(step(state, cmd.followUp(true, "reached_needs_help"), at + 1_000).state.status).toBe("closed");
  });
});

describe("the event trail and purity", () => {
  // A whole case, one command per line: what it records, by whom, at which time.
  const STORY: { command: Command; at: number; events: [string, Actor][]; stamped?: keyof CaseState }[] = [
    { command: cmd.offer(1, 2), at: T0 + 1_000, events: [["offered", SYSTEM]] },
    { command: cmd.decline(2), at: T0 + 5_000, events: [["declined", responder(2)]] },
    { command: cmd.press(), at: T0 + 6_000, events: [["press_joined", DEVICE]] },
    {
      command: cmd.staffAck(),
      at: T0 + 7_000,
      events: [["staff_acknowledged", STAFF]],
      stamped: "staffAckAt",
    },
    { command: cmd.tick(), at: T0 + 1_000 + POLICY.offerTimeoutMs, events: [["offer_expired", SYSTEM]] },
    {
      command: cmd.noCandidate(),
      at: T0 + 50_000,
      events: [
        ["no_candidate", SYSTEM],
        ["escalated", SYSTEM],
      ],
    },
    { command: cmd.offer(3), at: T0 + 70_000, events: [["offered", SYSTEM]] },
    { command: cmd.accept(3), at: T0 + 80_000, events: [["accepted", responder(3)]], stamped: "acceptedAt" },
    { command: cmd.assign(4), at: T0 + 90_000, events: [["reassigned", STAFF]], stamped: "acceptedAt" },
    { command: cmd.enRoute(4), at: T0 + 95_000, events: [["en_route", responder(4)]] },
    { command: cmd.note(), at: T0 + 100_000, events: [["note", STAFF]] },
    { command: cmd.arrive(4), at: T0 + 400_000, events: [["arrived", responder(4)]], stamped: "arrivedAt" },
    { command: cmd.escalate(), at: T0 + 410_000, events: [["escalated", STAFF]] },
    {
      command: cmd.resolve(4),
      at: T0 + 900_000,
      events: [["resolved", responder(4)]],
      stamped: "resolvedAt",
    },
    {
      command: cmd.followUp(true),
      at: T0 + 86_400_000,
      events: [
        ["follow_up", STAFF],
        ["closed", STAFF],
      ],
      stamped: "closedAt",
    },
  ];

  it("every transition emits a CaseEvent effect with actor and the given time", () => {
    let s = open();
    for (const { command, at, events, stamped } of STORY) {
      const r = step(s, command, at);
      const recorded = only(r.effects, "event").map((e) => [e.type, e.actor]);
      expect(recorded, `${command.type} at ${at}`).toEqual(events);
      expect(r.state.updatedAt).toBe(at);
      if (stamped) expect(r.state[stamped]).toBe(at);
      s = r.state;
    }
    expect(s).toMatchObject({ status: "closed", createdAt: T0, pressCount: 2, escalated: true });
  });

  it("apply never mutates its input state, whether the command is accepted or refused", () => {
    let s = deepFreeze(open());
    for (const { command, at } of STORY) {
      const snapshot = structuredClone(s);
      // Other commands on the same frozen input first (most are refused), then the story's own.
      apply(s, cmd.assign(s.responderId ?? 5), at, POLICY);
      apply(s, cmd.accept(77), at, POLICY);
      const r = step(s, command, at);
      expect(s).toEqual(snapshot);
      expect(r.state).not.toBe(s);
      expect(r.state.offers).not.toBe(s.offers);
      s = deepFreeze(r.state);
    }
  });
});
