// The policies the simulator compares: the product's (the platform's defaults), the plain
// nearest-idle-by-ETA baseline, the engine as first shipped, and the product with one rule changed
// at a time — the evidence for each rule in docs/decisions/0008.
import { DEFAULT_POLICY, type Policy } from "../../dispatcher/cases/state.ts";
import { DEFAULT_MATCHING_OPTIONS, type MatchingOptions } from "../../dispatcher/matching/index.ts";
import type { PolicyConfig } from "./simulator.ts";

const NO_CAP: Policy["etaCapSeconds"] = { 1: Infinity, 2: Infinity, 3: Infinity, 4: Infinity };

export const PRODUCT: PolicyConfig = {
  name: "product",
  policy: DEFAULT_POLICY,
  matching: DEFAULT_MATCHING_OPTIONS,
};

/** One offer at a time to the idle responder with the best ETA, anywhere in range; next on decline or expiry. */
export const BASELINE: PolicyConfig = {
  name: "nearest idle by ETA",
  policy: {
    ...DEFAULT_POLICY,
    parallelOffers: 1,
    staggerMs: 0,
    graceMs: 0,
    reofferAfterMs: null,
    lateAccept: false,
    etaCapSeconds: NO_CAP,
  },
  matching: {
    ...DEFAULT_MATCHING_OPTIONS,
    steps: { by: "eta", bandsSeconds: [Infinity] },
    pairedPreferenceSeconds: 0,
    communityPreferenceSeconds: 0,
    preempt: false,
    batch: false,
  },
};

/** The engine as first shipped: distance steps, two parallel offers won by the first tap, no replacement. */
export const AS_SHIPPED: PolicyConfig = {
  name: "as first shipped",
  policy: {
    ...DEFAULT_POLICY,
    parallelOffers: 2,
    staggerMs: 0,
    graceMs: 0,
    reofferAfterMs: null,
    lateAccept: false,
    replaceAtOnce: false,
    etaCapSeconds: NO_CAP,
  },
  matching: {
    ...DEFAULT_MATCHING_OPTIONS,
    steps: { by: "distance", radiiMeters: [1500, 3000, 6000, 12000] },
    preempt: false,
  },
};

const variant = (
  name: string,
  policy: Partial<Policy>,
  matching: Partial<MatchingOptions> = {},
): PolicyConfig => ({
  name,
  policy: { ...DEFAULT_POLICY, ...policy },
  matching: { ...DEFAULT_MATCHING_OPTIONS, ...matching },
});

/** The product with one rule changed: what each rule is worth. */
export const ABLATIONS: PolicyConfig[] = [
  variant("distance steps, not ETA bands", {}, { steps: AS_SHIPPED.matching.steps }),
  variant("one band: the whole range", {}, { steps: BASELINE.matching.steps }),
  variant("one offer at a time", { parallelOffers: 1 }),
  variant("three parallel offers", { parallelOffers: 3 }),
  variant("stagger 15 s", { staggerMs: 15_000 }),
  variant("all parallel offers at once", { staggerMs: 0 }),
  variant("no grace window (first tap wins)", { graceMs: 0 }),
  variant("no replacement at once", { replaceAtOnce: false }),
  variant("no re-offering", { reofferAfterMs: null }),
  variant("no late taps", { lateAccept: false }),
  variant("no preemption", {}, { preempt: false }),
  variant("batch of first offers", {}, { batch: true }),
  variant("no pairing/community credit", {}, { pairedPreferenceSeconds: 0, communityPreferenceSeconds: 0 }),
  variant(
    "caregivers for services like anyone",
    {},
    {
      answerAllowanceSeconds: { emergency: {}, service: {}, technical: {}, enquiry: {} },
    },
  ),
];
