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
  FollowUpParty,
  FollowUpTaskReason,
  OfferStatus,
  Priority,
  ServiceKind,
  TransportMode,
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
  /**
   * The responder has the case because staff assigned them by hand (not by their own accept): relief
   * leaves such a case alone, staff may still reassign it.
   */
  assignedByStaff: boolean;
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
  /** Why matching chose this responder; recorded on the `offered` timeline event. */
  why?: OfferReason;
}

/** The facts matching ranked a responder by (ETA first, then the resident's pairing and community). */
export interface OfferReason {
  transport: TransportMode;
  paired: boolean;
  sameCommunity: boolean;
  /** The case whose pending offer this responder gave up for a more urgent one. */
  preemptedCaseId?: number;
}

export type Command =
  | { type: "press"; actor: Actor; eventType: CaseType; location?: CaseLocation | null }
  | { type: "offer"; candidates: CandidateOffer[] }
  | { type: "no_candidate" }
  | { type: "tick" }
  | { type: "accept"; responderId: number; actor: Actor }
  | { type: "decline"; responderId: number; actor: Actor }
  /** Matching takes a pending offer back (a more urgent case needs this responder, or they took another). */
  | { type: "withdraw"; responderId: number; reason: WithdrawalReason }
  | { type: "en_route"; responderId: number; actor: Actor }
  | { type: "arrive"; responderId: number; actor: Actor }
  /** The responder at the case asks the duty desk for an ambulance (120). */
  | { type: "ask_help"; responderId: number; actor: Actor; note: string | null }
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
      party: FollowUpParty;
      number: string | null;
      note: string | null;
      /** null: the outcome's default (FOLLOW_UP_CLOSES_BY_DEFAULT). */
      close: boolean | null;
    }
  /** A phone call made or taken about the case (verification, follow-up, family, 120…). */
  | { type: "call"; actor: Actor; call: CallRecord }
  /** A family member is on their way to the resident (shown to staff and the responder). */
  | { type: "family_on_way"; actor: Actor; etaMinutes: number | null }
  /** Staff close a resolved or cancelled case without the follow-up call, saying why. */
  | { type: "skip_follow_up"; actor: Actor; reason: string };

/** One phone call as the engine records it. */
export interface CallRecord {
  direction: CallDirection;
  party: CallParty;
  number: string | null;
  /** Who called or was called, when known. */
  name: string | null;
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
  /** A FollowUp row; the case's open follow-up tasks are settled by it. */
  | { kind: "follow_up"; outcome: FollowUpOutcome; note: string | null; actor: Actor }
  /** A FollowUpTask row: a call still to make at `dueAt`. */
  | { kind: "follow_up_task"; reason: FollowUpTaskReason; dueAt: number }
  /** The case closed: calls still booked for it are dropped. */
  | { kind: "follow_up_tasks_dropped" }
  /** The follow-up was waived: the calls still booked are skipped, with the reason. */
  | { kind: "follow_up_tasks_skipped"; reason: string; actor: Actor }
  | { kind: "service_log"; responderId: number | null; content: string }
  /** A CaseCall row. */
  | { kind: "call_log"; call: CallRecord; actor: Actor };

/**
 * The engine's dispatch policy: when offers go out, how long they stay open, who wins. Every rule is
 * a setting so the policy simulator (bench/policy) can weigh it against the alternatives;
 * docs/decisions/0008-dispatch-by-time-to-the-door.md says why each default is what it is.
 */
export interface Policy {
  /** The phone's countdown. */
  offerTimeoutMs: number;
  escalationMs: number;
  /** Non-urgent service requests escalate much later. */
  serviceEscalationMs: number;
  /** A follow-up call nobody answered is due again after this long. */
  followUpRetryMs: number;
  /** Emergencies: at most this many offers pending at once. */
  parallelOffers: number;
  /**
   * Emergencies: phased alerting. The best ETA is asked first, one more responder each time this
   * passes without an accept, up to `parallelOffers`; 0 asks them all at once.
   */
  staggerMs: number;
  /**
   * After the first accept, a pending offer whose ETA is at least `graceGainSeconds` better stays
   * open this long; if it is accepted, that responder takes the case over. 0: the first accept wins.
   */
  graceMs: number;
  graceGainSeconds: number;
  /** A responder whose offer ran out unanswered may be asked again after this long; null: never. */
  reofferAfterMs: number | null;
  /** A tap after the countdown is still taken while nobody has the case. */
  lateAccept: boolean;
  /** A declined or expired offer is replaced at once, even while others are pending. */
  replaceAtOnce: boolean;
  /**
   * Emergencies: while the assigned responder is still more than this far from the door (their ETA
   * at the accept, less the time since), a free responder who would be there at least this much
   * sooner is offered the case too; if they accept they take it over and the first is released.
   * null: whoever accepts first keeps the case (after the grace window).
   */
  relieveGainSeconds: number | null;
  /**
   * Seconds to the door beyond which staff are alerted (the case is escalated) although the
   * offer still goes out: someone far away is better than nobody, but staff may find faster help.
   */
  etaCapSeconds: Readonly<Record<Priority, number>>;
}

export const DEFAULT_POLICY: Policy = {
  offerTimeoutMs: 60_000,
  escalationMs: 180_000,
  serviceEscalationMs: 30 * 60_000,
  followUpRetryMs: 30 * 60_000,
  parallelOffers: 2,
  // Phased: the second responder is asked only if the first has not accepted in 40 s. Asking both
  // at once accepts 8 s sooner but stands down a quarter of first accepters (the nearer one wins the
  // grace window), and a volunteer stood down that often stops accepting (decision 0008, addendum).
  staggerMs: 40_000,
  graceMs: 30_000,
  graceGainSeconds: 30,
  reofferAfterMs: 120_000,
  lateAccept: true,
  replaceAtOnce: true,
  // Below about 2 minutes the ETA's own error (setting off, detour) is as large as the gain.
  relieveGainSeconds: 180,
  // Emergencies: the 15-minute on-scene promise (RESPONSE_TARGET_SECONDS); services within the hour.
  etaCapSeconds: { 1: 900, 2: 900, 3: 3600, 4: 3600 },
};

export type Transition =
  | { ok: true; state: CaseState; effects: Effect[] }
  | {
      ok: false;
      code: Extract<ErrorCode, "illegal_transition" | "offer_closed" | "not_assigned">;
      message: string;
    };
