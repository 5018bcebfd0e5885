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
    relieveGainSeconds: null,
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
    relieveGainSeconds: null,
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
  // The product before relief (the first round of issue 16) is phased 40 s without relief.
  variant("no relief", { relieveGainSeconds: null }),
  // The second round's product: the nearer of two quick taps wins, at the price of stand-downs.
  variant("both at once (no stagger)", { staggerMs: 0 }),
  variant("relief for a gain of 2 min", { relieveGainSeconds: 120 }),
  variant("relief for a gain of 4 min", { relieveGainSeconds: 240 }),
  variant("relief for a gain of 5 min", { relieveGainSeconds: 300 }),
  variant("distance steps, not ETA bands", {}, { steps: AS_SHIPPED.matching.steps }),
  variant("one band: the whole range", {}, { steps: BASELINE.matching.steps }),
  variant("ETA with the mean real detour (1.4)", {}, { detourFactor: 1.4 }),
  variant("one offer at a time", { parallelOffers: 1 }),
  variant("three parallel offers", { parallelOffers: 3 }),
  variant("phased: stagger 10 s", { staggerMs: 10_000 }),
  variant("phased: stagger 20 s", { staggerMs: 20_000 }),
  variant("phased: stagger 60 s", { staggerMs: 60_000 }),
  variant("no grace window (first tap wins)", { graceMs: 0 }),
  variant("no replacement at once", { replaceAtOnce: false }),
  variant("no re-offering", { reofferAfterMs: null }),
  variant("no late taps", { lateAccept: false }),
  variant("no preemption", {}, { preempt: false }),
  variant("batch of first offers", {}, { batch: true }),
  variant("no pairing/community credit", {}, { pairedPreferenceSeconds: 0, communityPreferenceSeconds: 0 }),
  variant(
    "volunteers' slower answers counted in emergencies (+60 s)",
    {},
    {
      answerAllowanceSeconds: {
        ...DEFAULT_MATCHING_OPTIONS.answerAllowanceSeconds,
        emergency: { volunteer: 60 },
      },
    },
  ),
  variant(
    "caregivers for services like anyone",
    {},
    {
      answerAllowanceSeconds: { emergency: {}, service: {}, technical: {}, enquiry: {} },
    },
  ),
];
