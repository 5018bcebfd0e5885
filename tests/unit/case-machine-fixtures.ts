// Shared builders for the case engine tests: a policy, the actors, one command builder per command,
// and helpers that apply commands which must be accepted or refused.
import type { CaseType } from "../../protocol/index.ts";
import { apply, createCase } from "../../dispatcher/cases/machine.ts";
import type {
  Actor,
  CandidateOffer,
  CaseState,
  Command,
  Effect,
  Policy,
} from "../../dispatcher/cases/state.ts";

// Deliberately different from DEFAULT_POLICY, so a test passes only if the injected policy is used.
export const POLICY: Policy = {
  offerTimeoutMs: 45_000,
  escalationMs: 150_000,
  serviceEscalationMs: 900_000,
  followUpRetryMs: 1_200_000,
  parallelOffers: 3,
  // All parallel offers at once here; phased alerting has its own tests (case-machine-offers).
  staggerMs: 0,
  graceMs: 25_000,
  graceGainSeconds: 90,
  reofferAfterMs: 100_000,
  lateAccept: true,
  replaceAtOnce: true,
  relieveGainSeconds: 200,
  etaCapSeconds: { 1: 800, 2: 800, 3: 3000, 4: 3000 },
};
export const T0 = 1_000_000;

export const DEVICE: Actor = { type: "device", id: "dev-0001", name: null };
export const STAFF: Actor = { type: "staff", id: "7", name: "调度员小王" };
export const responder = (id: number): Actor => ({
  type: "responder",
  id: String(id),
  name: `照护员${id}`,
});
export const candidate = (id: number): CandidateOffer => ({
  responderId: id,
  etaSeconds: 100 + id,
  distanceMeters: 200 * id,
});
export const NOTE = "协助老人起身，测量血压正常";

export const cmd = {
  press: (eventType: CaseType = "sos"): Command => ({ type: "press", actor: DEVICE, eventType }),
  offer: (...ids: number[]): Command => ({ type: "offer", candidates: ids.map(candidate) }),
  noCandidate: (): Command => ({ type: "no_candidate" }),
  tick: (): Command => ({ type: "tick" }),
  accept: (id: number): Command => ({ type: "accept", responderId: id, actor: responder(id) }),
  decline: (id: number): Command => ({ type: "decline", responderId: id, actor: responder(id) }),
  enRoute: (id: number): Command => ({ type: "en_route", responderId: id, actor: responder(id) }),
  arrive: (id: number): Command => ({ type: "arrive", responderId: id, actor: responder(id) }),
  askHelp: (id: number, note: string | null = "老人胸痛，需要急救"): Command => ({
    type: "ask_help",
    responderId: id,
    actor: responder(id),
    note,
  }),
  resolve: (id: number | null): Command => ({
    type: "resolve",
    actor: id === null ? STAFF : responder(id),
    responderId: id,
    note: NOTE,
  }),
  deviceCancel: (): Command => ({ type: "cancel", actor: DEVICE, reason: "老人按键取消" }),
  staffCancel: (): Command => ({ type: "cancel", actor: STAFF, reason: "误报，已电话确认" }),
  assign: (id: number): Command => ({ type: "assign", actor: STAFF, candidate: candidate(id) }),
  escalate: (): Command => ({ type: "escalate", actor: STAFF, target: "ambulance_120", note: "疑似骨折" }),
  note: (): Command => ({ type: "note", actor: STAFF, text: "已联系家属" }),
  staffAck: (): Command => ({ type: "staff_ack", actor: STAFF }),
  followUp: (
    close: boolean | null,
    outcome: "reached_ok" | "reached_needs_help" | "no_answer" = "reached_ok",
  ): Command => ({
    type: "follow_up",
    actor: STAFF,
    outcome,
    party: "resident",
    number: null,
    note: "回访：老人情况良好",
    close,
  }),
  call: (): Command => ({
    type: "call",
    actor: STAFF,
    call: {
      direction: "outbound",
      party: "family",
      name: "王芳",
      number: "13900000000",
      outcome: "reached",
      note: "已告知女儿",
    },
  }),
};

/** Opens a case of `type`, pressed on DEVICE at `now`. */
export function open(type: CaseType = "sos", now = T0): { state: CaseState; effects: Effect[] } {
  return createCase(
    {
      id: 41,
      type,
      service: type === "service_request" ? "meal" : null,
      residentId: 3,
      communityId: 1,
      deviceId: "dev-0001",
      openingEventId: "evt-1",
      actor: DEVICE,
    },
    now,
    POLICY,
  );
}

/** A candidate `etaSeconds` from the door (about 3 m a second), and an offer to some of them. */
export const offerAt = (responderId: number, etaSeconds: number): CandidateOffer => ({
  responderId,
  etaSeconds,
  distanceMeters: etaSeconds * 3,
});
export const offerOf = (...c: CandidateOffer[]): Command => ({ type: "offer", candidates: c });

/** Applies a command under `policy` that must be legal. */
export function applyOk(state: CaseState, command: Command, now: number, policy: Policy) {
  const r = apply(state, command, now, policy);
  if (!r.ok) throw new Error(`${command.type} refused: ${r.message}`);
  return r;
}

/** Applies a command that must be legal. */
export function step(
  state: CaseState,
  command: Command,
  now: number,
): { state: CaseState; effects: Effect[] } {
  const r = apply(state, command, now, POLICY);
  if (!r.ok) throw new Error(`${command.type} refused in ${state.status}: ${r.code} ${r.message}`);
  return { state: r.state, effects: r.effects };
}

/** Applies a command that must be refused. */
export function refusal(state: CaseState, command: Command, now: number): { code: string; message: string } {
  const r = apply(state, command, now, POLICY);
  if (r.ok) throw new Error(`${command.type} unexpectedly accepted in ${state.status}`);
  return { code: r.code, message: r.message };
}

/** Runs commands one after the other, one second apart, starting at `from`. */
export function run(state: CaseState, commands: Command[], from: number): CaseState {
  return commands.reduce((s, c, i) => step(s, c, from + i * 1000).state, state);
}

/** The effects of one kind, narrowed to that kind. */
export function only<K extends Effect["kind"]>(effects: Effect[], kind: K): Extract<Effect, { kind: K }>[] {
  return effects.filter((e): e is Extract<Effect, { kind: K }> => e.kind === kind);
}

/** Freezes `value` and everything reachable from it, so any mutation throws. */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
