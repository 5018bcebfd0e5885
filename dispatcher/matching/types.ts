// Inputs and outputs of matching. Plain data, so the dispatcher can build them from the DB and
// the console can render them without knowing how ranking works.
import type {
  CaseKind,
  CaseType,
  Priority,
  ResponderRole,
  ServiceKind,
  Skill,
  TransportMode,
} from "../../protocol/index.ts";

export interface ResponderState {
  id: number;
  name: string;
  role: ResponderRole;
  skills: readonly Skill[];
  transport: TransportMode;
  communityId: number;
  /**
   * May be dispatched at all: on duty (and, as presence and duty rosters come, reachable and on
   * shift — the registry's `dispatchable()` decides; matching only reads this flag).
   */
  onDuty: boolean;
  /** On another case or holding a pending offer. */
  busy: boolean;
  /**
   * false: nothing would reach the phone now (no live app, and no push-capable sign of life within
   * the presence window; dispatcher/responders/presence.ts). Absent counts as reachable.
   */
  reachable?: boolean;
  /** The pending offer that makes the responder busy, if only that: a more urgent case may take them. */
  holding?: { caseId: number; priority: Priority } | null;
  lat: number | null;
  lng: number | null;
  /** When the phone last reported its position (ms). */
  locationAt: number | null;
}

export interface CaseNeed {
  caseId: number;
  type: CaseType;
  kind: CaseKind;
  priority: Priority;
  service: ServiceKind | null;
  lat: number;
  lng: number;
  communityId: number;
  /** The resident's paired volunteer (结对帮扶), if any. */
  pairedVolunteerId: number | null;
  /** Responders who already declined or let an offer for this case expire. */
  excludeResponderIds: readonly number[];
  /**
   * Help is on the way: only a responder with an ETA below this (seconds) is worth asking, and
   * finding nobody is no news (relief, decision 0008 addendum). Absent: the case has nobody yet.
   */
  etaBelowSeconds?: number;
  /**
   * Count responders holding this case's own open offer as candidates: staff's list in the drawer
   * shows them (and may assign them); the engine never offers a case twice to one responder.
   */
  includeOfferedHere?: boolean;
  /**
   * Count responders whose phone an offer would not reach now (`reachable: false`): staff's list
   * shows them with their phone's state, since a dispatcher may still ring them and assign; the
   * engine never offers to them.
   */
  includeUnreachable?: boolean;
}

export interface RankedCandidate {
  responderId: number;
  name: string;
  role: ResponderRole;
  transport: TransportMode;
  distanceMeters: number;
  etaSeconds: number;
  paired: boolean;
  sameCommunity: boolean;
  /** The case whose pending offer this responder would give up (a more urgent case takes them). */
  preempts: number | null;
  /**
   * Ordering key in seconds: ETA minus the preference credit earned (paired volunteer, own
   * community caregiver). Lower is better; the list is sorted by it. May be negative.
   */
  score: number;
}

/**
 * How far matching looks. ETA bands (the default): every eligible responder within `maxRangeMeters`
 * whose ETA falls in the first band that holds anyone. Distance steps (as first shipped, kept for
 * the policy simulator's comparison): everyone within the first radius that holds anyone.
 */
export type SearchSteps =
  { by: "eta"; bandsSeconds: readonly number[] } | { by: "distance"; radiiMeters: readonly number[] };

export interface MatchingOptions {
  steps: SearchSteps;
  /** Nobody farther than this is offered a case, whatever their ETA. */
  maxRangeMeters: number;
  /** A position older than this is treated as unknown. */
  staleLocationMs: number;
  /** Street distance ÷ great-circle distance. */
  detourFactor: number;
  speedsMps: Readonly<Record<TransportMode, number>>;
  /** The paired volunteer leads if its ETA is within this many seconds of the best. */
  pairedPreferenceSeconds: number;
  /** A caregiver of the case's own community leads an outsider who is at most this much faster. */
  communityPreferenceSeconds: number;
  maxCandidates: number;
  /**
   * Seconds added to a responder's ETA in the ranking, by case kind and role: the wait we expect
   * for an answer from people who are not on duty rules (volunteers accept a quarter of offers),
   * or the cost of tying up someone emergencies need (a caregiver on a meal delivery).
   */
  answerAllowanceSeconds: Readonly<Record<CaseKind, Partial<Record<ResponderRole, number>>>>;
  /** A more urgent case may take a responder who only holds an offer for a less urgent one. */
  preempt: boolean;
  /** Cases looking for their first responder in the same step are assigned together (Hungarian). */
  batch: boolean;
}

export const DEFAULT_MATCHING_OPTIONS: MatchingOptions = Object.freeze({
  // 15 min is the on-scene promise (RESPONSE_TARGET_SECONDS): whoever can keep it is asked first.
  steps: Object.freeze({ by: "eta", bandsSeconds: Object.freeze([900, 1800, 3600]) }),
  maxRangeMeters: 12_000,
  staleLocationMs: 15 * 60 * 1000,
  detourFactor: 1.35,
  // Urban speeds: a car in old-town traffic is barely faster than an e-bike.
  speedsMps: Object.freeze({ walk: 1.3, bike: 3.5, ebike: 5, car: 7 }),
  pairedPreferenceSeconds: 180,
  communityPreferenceSeconds: 60,
  maxCandidates: 10,
  // Caregivers are the ones trained for falls: a service request takes one only if no volunteer
  // is within ten more minutes.
  answerAllowanceSeconds: Object.freeze({
    emergency: {},
    service: { caregiver: 600 },
    technical: {},
    enquiry: {},
  }),
  preempt: true,
  // Off: in the simulator it changed nothing (live cases almost never look for their first
  // responder in the same step); kept as an option, measured in bench/policy.
  batch: false,
});
