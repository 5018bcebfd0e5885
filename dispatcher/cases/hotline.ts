// A hotline call about a resident, inside the intake's transaction: it joins the resident's open
// case of that kind (the call is logged on it), or opens a case through the same engine path as a
// press, with the staff member who took the call as the actor of its first event.
import {
  CALLER_PARTY,
  type Caller,
  type IntakeCaseType,
  type Priority,
  type ServiceKind,
} from "../../protocol/index.ts";
import type { Tx } from "../db/sql.ts";
import { kindOf } from "./machine.ts";
import { newestOpen } from "./press-rule.ts";
import * as repo from "./repository.ts";
import type { CaseRunner, CaseStep } from "./runner.ts";
import type { Actor, CallRecord } from "./state.ts";

export interface HotlineCall {
  type: IntakeCaseType;
  service: ServiceKind | null;
  /** Staff's judgement over the type's default; null: the default. */
  priority: Priority | null;
  caller: Caller;
  notes: string | null;
}

export interface HotlineCallResult {
  caseId: number;
  joined: boolean;
  /** To carry out after the commit. */
  steps: CaseStep[];
}

/** The call as the case's phone log keeps it: inbound, answered, from the caller's number. */
export function callRecordOf(caller: Caller, notes: string | null): CallRecord {
  return {
    direction: "inbound",
    party: CALLER_PARTY[caller.relation],
    number: caller.phone,
    name: caller.name ?? null,
    outcome: "reached",
    note: notes,
  };
}

export async function takeHotlineCall(
  runner: CaseRunner,
  tx: Tx,
  home: { residentId: number; communityId: number },
  call: HotlineCall,
  actor: Actor,
): Promise<HotlineCallResult> {
  const log = { type: "call", actor, call: callRecordOf(call.caller, call.notes) } as const;
  const open = newestOpen(await repo.activeCasesOf(tx, home.residentId), kindOf(call.type));
  if (open !== null) {
    return { caseId: open, joined: true, steps: [await runner.commandTx(tx, open, log)] };
  }
  const opened = await runner.openTx(tx, {
    type: call.type,
    service: call.service,
    residentId: home.residentId,
    communityId: home.communityId,
    deviceId: null,
    openingEventId: null,
    actor,
    priority: call.priority,
    opening: {
      channel: "hotline",
      caller: { relation: call.caller.relation, name: call.caller.name ?? null, phone: call.caller.phone },
    },
  });
  const logged = await runner.commandTx(tx, opened.caseId, log);
  // First offers in the call's own commit, as a press gets them (dispatch turns, decision 0009).
  return { caseId: opened.caseId, joined: false, steps: await runner.settleTx(tx, [opened, logged]) };
}
