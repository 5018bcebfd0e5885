// The case engine: (case, command, now) → (case, effects). Pure: no IO, no clock reads (ADR 0003).
//   new → offered → accepted → en_route → on_scene → resolved → closed,  plus cancelled,
//   and an `escalated` flag raised when nobody accepts in time or staff escalate.
// Each command has one handler, kept with the others of its phase in ./machine/.
import {
  isActiveStatus,
  type CaseKind,
  type CaseType,
  type Priority,
  type ServiceKind,
} from "../../protocol/index.ts";
import { call } from "./machine/calls.ts";
import { cancel, followUp } from "./machine/closing.ts";
import { event } from "./machine/helpers.ts";
import { accept, decline, noCandidate, offer, tick, withdraw } from "./machine/offer-round.ts";
import { familyOnWay, placeAt, press } from "./machine/resident.ts";
import { assign, escalate, note, staffAck } from "./machine/staff.ts";
import { draftOf, type Handler, type Handlers, type Turn } from "./machine/turn.ts";
import { arrive, enRoute, resolve } from "./machine/visit.ts";
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
}

export function kindOf(type: CaseType): CaseKind {
  switch (type) {
    case "sos":
    case "fall":
    case "smoke":
    case "gas":
    case "water_leak":
    case "welfare_check":
    case "door_alert":
      return "emergency";
    case "service_request":
      return "service";
    default:
      return "technical";
  }
}

/**
 * A fall is among the most urgent (the resident may be unable to get up), with smoke and gas (lives
 * beyond the resident's); a second press raises any case.
 */
export function initialPriority(type: CaseType): Priority {
  switch (type) {
    case "fall":
    case "smoke":
    case "gas":
      return 1;
    case "sos":
    case "welfare_check":
    case "door_alert":
      return 2;
    case "water_leak":
      return 3;
    case "service_request":
      return 3;
    default:
      return 4;
  }
}

export function createCase(
  input: NewCase,
  now: number,
  policy: Policy,
): { state: CaseState; effects: Effect[] } {
  const kind = kindOf(input.type);
  const dispatchable = kind !== "technical";
  const state: CaseState = {
    id: input.id,
    type: input.type,
    kind,
    priority: initialPriority(input.type),
    status: "new",
    escalated: false,
    escalationReason: null,
    service: input.service,
    residentId: input.residentId,
    deviceId: input.deviceId,
    openingEventId: input.openingEventId,
    communityId: input.communityId,
    responderId: null,
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
  // closing
  cancel,
  follow_up: followUp,
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
