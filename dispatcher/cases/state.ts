// The case as the pure engine sees it: plain data, times in ms since epoch.
import type {
  AckStatus,
  ActorType,
  AlertKind,
  CallDirection,
  CallOutcome,
  CallParty,
  CaseEventType,
  CaseKind,
  CaseStatus,
  CaseType,
  ErrorCode,
  EscalationReason,
  EscalationTarget,
  FollowUpOutcome,
  OfferStatus,
  Priority,
  ServiceKind,
  WithdrawalReason,
} from "../../protocol/index.ts";

export interface OfferState {
  /** null until the repository has inserted it. */
  id: number | null;
  responderId: number;
  status: OfferStatus;
  etaSeconds: number;
  distanceMeters: number;
  createdAt: number;
  deadline: number;
  respondedAt: number | null;
}

export interface CaseState {
  id: number;
  type: CaseType;
  kind: CaseKind;
  priority: Priority;
  status: CaseStatus;
  escalated: boolean;
  escalationReason: EscalationReason | null;
  service: ServiceKind | null;
  residentId: number;
  deviceId: string | null;
  openingEventId: string | null;
  communityId: number;
  responderId: number | null;
  etaSeconds: number | null;
  pressCount: number;
  offerRound: number;
  createdAt: number;
  updatedAt: number;
  acceptedAt: number | null;
  arrivedAt: number | null;
  resolvedAt: number | null;
  closedAt: number | null;
  cancelledAt: number | null;
  /** Next time the engine must look at the case for offers (expiry, or a retry when nobody was free). */
  offerDeadline: number | null;
  /** Nobody accepted by then → escalate to staff. */
  escalationDeadline: number | null;
  staffAckAt: number | null;
  resolutionNote: string | null;
  /** A mobile device's position fix the case is placed at (null: at the resident's home). */
  lat: number | null;
  lng: number | null;
  locationAccuracy: number | null;
  locationFixAt: number | null;
  /** The fix is away from home: help must not go to the flat. */
  away: boolean;
  offers: OfferState[];
}

/** Where a mobile device was when it sent the event (times in ms). */
export interface CaseLocation {
  lat: number;
  lng: number;
  accuracy: number;
  fixAt: number;
  away: boolean;
}

export interface Actor {
  type: ActorType;
  id: string | null;
  name: string | null;
}

export const SYSTEM: Actor = { type: "system", id: null, name: null };

export interface CandidateOffer {
  responderId: number;
  etaSeconds: number;
  distanceMeters: number;
}

export type Command =
  | { type: "press"; actor: Actor; eventType: CaseType; location?: CaseLocation | null }
  | { type: "offer"; candidates: CandidateOffer[] }
  | { type: "no_candidate" }
  | { type: "tick" }
  | { type: "accept"; responderId: number; actor: Actor }
  | { type: "decline"; responderId: number; actor: Actor }
  | { type: "en_route"; responderId: number; actor: Actor }
  | { type: "arrive"; responderId: number; actor: Actor }
  | { type: "resolve"; actor: Actor; responderId: number | null; note: string }
  | { type: "cancel"; actor: Actor; reason: string }
  | { type: "assign"; actor: Actor; candidate: CandidateOffer }
  | { type: "escalate"; actor: Actor; target: EscalationTarget; note: string | null }
  | { type: "note"; actor: Actor; text: string }
  | { type: "staff_ack"; actor: Actor }
  | {
      type: "follow_up";
      actor: Actor;
      outcome: FollowUpOutcome;
      note: string | null;
      close: boolean;
    }
  /** A phone call made or taken about the case (verification, follow-up, family, 120…). */
  | { type: "call"; actor: Actor; call: CallRecord }
  /** A family member is on their way to the resident (shown to staff and the responder). */
  | { type: "family_on_way"; actor: Actor; etaMinutes: number | null };

/** One phone call as the engine records it. */
export interface CallRecord {
  direction: CallDirection;
  party: CallParty;
  number: string | null;
  outcome: CallOutcome;
  note: string | null;
}

export type Effect =
  /** A CaseEvent row: the timeline and every KPI derive from these. */
  | {
      kind: "event";
      type: CaseEventType;
      actor: Actor;
      note: string | null;
      data: Record<string, unknown> | null;
    }
  /** Tell the resident's device (lights / vibration). */
  | { kind: "ack_device"; status: AckStatus; etaSeconds?: number; responderId?: number; reason?: string }
  /** Run matching and answer with an `offer` or `no_candidate` command. */
  | { kind: "find_candidates"; exclude: number[] }
  /** Newly created pending offers (ids are known after the commit). */
  | { kind: "offers_made"; responderIds: number[] }
  | { kind: "offers_closed"; responderIds: number[]; reason: WithdrawalReason }
  | { kind: "alert_staff"; alert: AlertKind; message: string }
  | { kind: "responder_assigned"; responderId: number }
  | { kind: "responder_released"; responderId: number }
  | { kind: "follow_up"; outcome: FollowUpOutcome; note: string | null; actor: Actor }
  | { kind: "service_log"; responderId: number | null; content: string }
  /** A CaseCall row. */
  | { kind: "call_log"; call: CallRecord; actor: Actor };

export interface Policy {
  offerTimeoutMs: number;
  escalationMs: number;
  /** Non-urgent service requests escalate much later. */
  serviceEscalationMs: number;
  /** When nobody can be offered, look again after this long. */
  retryMs: number;
  /** Emergencies: offer to this many at once; first accept wins. */
  parallelOffers: number;
}

export const DEFAULT_POLICY: Policy = {
  offerTimeoutMs: 60_000,
  escalationMs: 180_000,
  serviceEscalationMs: 30 * 60_000,
  retryMs: 20_000,
  parallelOffers: 2,
};

export type Transition =
  | { ok: true; state: CaseState; effects: Effect[] }
  | {
      ok: false;
      code: Extract<ErrorCode, "illegal_transition" | "offer_closed" | "not_assigned">;
      message: string;
    };
