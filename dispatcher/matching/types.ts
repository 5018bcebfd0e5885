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
  onDuty: boolean;
  /** On another case or holding a pending offer. */
  busy: boolean;
  /**
   * false: nothing would reach the phone now (no live app, and no push-capable sign of life within
   * the presence window; dispatcher/responders/presence.ts). Absent counts as reachable.
   */
  reachable?: boolean;
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
  /**
   * Ordering key in seconds: ETA minus the preference credit earned (paired volunteer, own
   * community caregiver). Lower is better; the list is sorted by it. May be negative.
   */
  score: number;
}

export interface MatchingOptions {
  /** Search radii tried in order; the first one that yields anyone wins. */
  radiusStepsMeters: readonly number[];
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
}

export const DEFAULT_MATCHING_OPTIONS: MatchingOptions = Object.freeze({
  radiusStepsMeters: Object.freeze([1500, 3000, 6000, 12000]),
  staleLocationMs: 15 * 60 * 1000,
  detourFactor: 1.35,
  // Urban speeds: a car in old-town traffic is barely faster than an e-bike.
  speedsMps: Object.freeze({ walk: 1.3, bike: 3.5, ebike: 5, car: 7 }),
  pairedPreferenceSeconds: 180,
  communityPreferenceSeconds: 60,
  maxCandidates: 10,
});
