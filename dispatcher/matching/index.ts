// Public API of matching: pure functions over plain data; time is passed in, nothing is read.
export { DEFAULT_MATCHING_OPTIONS } from "./types.ts";
export type { CaseNeed, MatchingOptions, RankedCandidate, ResponderState, SearchSteps } from "./types.ts";
export { FIT_RULES, SERVICE_SKILL, fitsCase, type FitRule } from "./skills.ts";
export { etaSeconds } from "./eta.ts";
export {
  ResponderIndex,
  hasLocation,
  type NearbyResponder,
  type ResponderSource,
} from "./responder-index.ts";
export { isEligible, findCandidates, mayPreempt, soonEnough, widestEta, widestRadius } from "./candidates.ts";
export { ResponderPool } from "./responder-pool.ts";
export { match, type MatchCommand, type MatchNeed, type MatchOffer } from "./match.ts";
export { rankCandidates, orderByPreference } from "./rank.ts";
export {
  PRIORITY_WEIGHTS,
  assignBatch,
  assignGreedy,
  type BatchAssignment,
  type BatchResult,
} from "./batch.ts";
