// What one command handler is given and gives back. `apply` (../machine.ts) copies the case, runs the
// command's handler on the copy and collects the effects; handlers never see the caller's state.
import type { CaseState, Command, Effect, Policy, Transition } from "../state.ts";

export type CommandType = Command["type"];
export type CommandOf<K extends CommandType> = Extract<Command, { type: K }>;

/** One application of a command: its time, the policy, and the effects so far, in the order they happen. */
export interface Turn {
  readonly now: number;
  readonly policy: Policy;
  readonly effects: Effect[];
}

export type Refusal = Extract<Transition, { ok: false }>;
/** A handler's answer: done (the draft and the effects stand) or a refusal (both are dropped). */
export type Verdict = { ok: true } | Refusal;

/** Changes `draft` (a private copy of the case) in place and pushes its effects onto `turn.effects`. */
export type Handler<K extends CommandType> = (draft: CaseState, command: CommandOf<K>, turn: Turn) => Verdict;

/** Exactly one handler per command; a command added to `Command` without one does not compile. */
export type Handlers = { [K in CommandType]: Handler<K> };

/** A copy the handler may change freely: the offers are copied too, and the case is stamped `now`. */
export function draftOf(state: CaseState, now: number): CaseState {
  return { ...state, offers: state.offers.map((o) => ({ ...o })), updatedAt: now };
}

export const done = (): Verdict => ({ ok: true });

export const fail = (code: Refusal["code"], message: string): Verdict => ({ ok: false, code, message });
