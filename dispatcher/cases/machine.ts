// The case engine: (case, command, now) → (case, effects). Pure: no IO, no clock reads (ADR 0003).
//   new → offered → accepted → en_route → on_scene → resolved → closed,  plus cancelled,
//   and an `escalated` flag raised when nobody accepts in time or staff escalate.
// Each command has one handler, kept with the others of its phase in ./machine/.
import {
  CASE_KIND_OF,
  DEFAULT_PRIORITY,
  isActiveStatus,
  type CaseKind,
  type CaseType,
  type Priority,
  type ServiceKind,
  isDispatchable,
} from "../../protocol/index.ts";
import { call } from "./machine/calls.ts";
import { cancel, followUp, skipFollowUp } from "./machine/closing.ts";
import { event } from "./machine/helpers.ts";
import { accept, decline, noCandidate, offer, tick, withdraw } from "./machine/offer-round.ts";
import { familyOnWay, placeAt, press } from "./machine/resident.ts";
import { assign, escalate, note, staffAck } from "./machine/staff.ts";
import { draftOf, type Handler, type Handlers, type Turn } from "./machine/turn.ts";
import { arrive, askHelp, enRoute, resolve } from "./machine/visit.ts";
import type { Actor, CaseLocation, CaseState, Command, Effect, Policy, Transition } from "./state.ts";

export interface NewCase {
  id: number;
  type: CaseType;
  service: ServiceKind | null;
  residentId: number;
  communityId: number;
  deviceId: string | null;
  openingEventId: string | null;
  actor: Actor;
  /** A mobile device's fix: the case is placed there instead of at home. */
  location?: CaseLocation | null;
  /** Staff's judgement over the type's default (a hotline call); null: the default. */
  priority?: Priority | null;
  /** Details for the first timeline row (who called the hotline). */
  opening?: Record<string, unknown>;
}

export function kindOf(type: CaseType): CaseKind {
  return CASE_KIND_OF[type];
}

/** DEFAULT_PRIORITY of the type; a second press raises any case. */
export function initialPriority(type: CaseType): Priority {
  return DEFAULT_PRIORITY[type];
}

export function createCase(
  input: NewCase,
  now: number,
  policy: Policy,
): { state: CaseState; effects: Effect[] } {
  const kind = kindOf(input.type);
  const dispatchable = isDispatchable(kind);
  const state: CaseState = {
    id: input.id,
    type: input.type,
    kind,
    priority: input.priority ?? initialPriority(input.type),
    status: "new",
    escalated: false,
    escalationReason: null,
    service: input.service,
    residentId: input.residentId,
    deviceId: input.deviceId,
    openingEventId: input.openingEventId,
    communityId: input.communityId,
    responderId: null,
    assignedByStaff: false,
    etaSeconds: null,
    pressCount: 1,
    offerRound: 0,
    createdAt: now,
    updatedAt: now,
    acceptedAt: null,
    arrivedAt: null,
    resolvedAt: null,
    closedAt: null,
    cancelledAt: null,
    offerDeadline: null,
    escalationDeadline: dispatchable
      ? now + (kind === "service" ? policy.serviceEscalationMs : policy.escalationMs)
      : null,
    staffAckAt: null,
    resolutionNote: null,
    lat: null,
    lng: null,
    locationAccuracy: null,
    locationFixAt: null,
    away: false,
    offers: [],
  };
  placeAt(state, input.location ?? null);
  const effects: Effect[] = [
    event("created", input.actor, null, {
      type: input.type,
      service: input.service,
      ...input.opening,
      ...(input.location
        ? { location: { ...input.location, fixAt: new Date(input.location.fixAt).toISOString() } }
        : {}),
    }),
  ];
  if (dispatchable) effects.push({ kind: "find_candidates", exclude: [] });
  return { state, effects };
}

export { offerSlots, excludedResponders, nextLook } from "./machine/offer-clock.ts";

export function isActive(state: CaseState): boolean {
  return isActiveStatus(state.status);
}

/** One handler per command, by phase. Leaving a command out, or naming it twice, does not compile. */
const HANDLERS: Handlers = {
  // the resident's button, at any active stage
  press,
  // offer round
  offer,
  no_candidate: noCandidate,
  tick,
  accept,
  decline,
  withdraw,
  // visit
  en_route: enRoute,
  arrive,
  resolve,
  ask_help: askHelp,
  // closing
  cancel,
  follow_up: followUp,
  skip_follow_up: skipFollowUp,
  // staff
  assign,
  escalate,
  note,
  staff_ack: staffAck,
  // the phone log
  call,
  // the family circle
  family_on_way: familyOnWay,
};

export function apply(state: CaseState, command: Command, now: number, policy: Policy): Transition {
  const draft = draftOf(state, now);
  const turn: Turn = { now, policy, effects: [] };
  // The table pairs each command type with its own handler, which TS cannot follow through a lookup.
  const handle = HANDLERS[command.type] as Handler<Command["type"]>;
  const verdict = handle(draft, command, turn);
  return verdict.ok ? { ok: true, state: draft, effects: turn.effects } : verdict;
}
