// The case engine's compile-time guarantees. `npm run typecheck` checks this file: every
// `@ts-expect-error` below must stay an error, so loosening one of these types breaks the build.
import { expectTypeOf } from "vitest";
import { escalate, event } from "../../dispatcher/cases/machine/helpers.ts";
import type { CommandOf, Handler, Handlers, Turn } from "../../dispatcher/cases/machine/turn.ts";
import { SYSTEM, type CaseState, type Command } from "../../dispatcher/cases/state.ts";

// The table has one entry per command, no more, no fewer, each given its own command.
expectTypeOf<keyof Handlers>().toEqualTypeOf<Command["type"]>();
expectTypeOf<Handlers["assign"]>().parameter(1).toEqualTypeOf<CommandOf<"assign">>();
expectTypeOf<Handlers["tick"]>().parameter(1).toEqualTypeOf<{ type: "tick" }>();

// Declared, not built: this file is only type-checked, never run.
declare const table: Handlers;
declare const tick: Handler<"tick">;
declare const accept: Handler<"accept">;
declare const draft: CaseState;
declare const turn: Turn;

// A table missing a command does not compile.
const { staff_ack: _dropped, ...withoutStaffAck } = table;
// @ts-expect-error staff_ack has no handler
const _missing: Handlers = withoutStaffAck;

// Nor does a handler filed under another command.
// @ts-expect-error accept's handler cannot take a tick
const _misfiled: Handlers = { ...table, tick: accept };
const _filed: Handlers = { ...table, tick };

// Event types and escalation reasons are the protocol's words only.
event("escalated", SYSTEM, null, null);
// @ts-expect-error not a CaseEventType
event("reopened", SYSTEM, null, null);
escalate(draft, turn, "no_accept", SYSTEM, null);
// @ts-expect-error not an EscalationReason
escalate(draft, turn, "busy", SYSTEM, null);
