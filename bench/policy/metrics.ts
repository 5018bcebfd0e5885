// The figures issue 16 asks for, from the simulator's case records.
import { RESPONSE_TARGET_SECONDS } from "../../protocol/index.ts";
import type { CaseRecord } from "./simulator.ts";

export interface Figures {
  emergencies: number;
  "mean press→on-scene s": number | null;
  "p90 press→on-scene s": number | null;
  "% on scene > 15 min": number;
  "% no offer within 60 s": number;
  "% neither offer nor escalation within 60 s": number;
  "% escalated": number;
  "% never served": number;
  "mean press→accept s": number | null;
  "% taken over in grace": number;
  /** Why the late ones were late: nobody free could make it in 15 min by the engine's own ETA… */
  "% late, nobody free within 15 min": number;
  /** …someone could, but the one who came was farther (the nearer ones declined or did not answer)… */
  "% late, a farther one came": number;
  /** …or the one who came was within 15 min by the ETA, but the trip (detour, pace, setting off) took longer. */
  "% late, trip longer than its ETA": number;
}

const ON_SCENE_MS = RESPONSE_TARGET_SECONDS.onScene * 1000;
const MINUTE_MS = 60_000;

const pct = (n: number, of: number) => (of === 0 ? 0 : round((100 * n) / of, 2));
const round = (x: number, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits;

function quantile(sorted: number[], q: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
}

/** Emergencies only; a case never reached counts as later than 15 minutes (and is left out of the times). */
export function figures(records: readonly CaseRecord[]): Figures {
  const e = records.filter((r) => r.emergency);
  const toScene = e.filter((r) => r.arrivedAt !== null).map((r) => r.arrivedAt! - r.alarm.at);
  const sorted = [...toScene].sort((a, b) => a - b);
  const accepted = e.filter((r) => r.acceptedAt !== null).map((r) => r.acceptedAt! - r.alarm.at);
  const within = (t: number | null, r: CaseRecord) => t !== null && t - r.alarm.at <= MINUTE_MS;
  const mean = (xs: number[]) =>
    xs.length === 0 ? null : round(xs.reduce((a, b) => a + b, 0) / xs.length / 1000);
  return {
    emergencies: e.length,
    "mean press→on-scene s": mean(toScene),
    "p90 press→on-scene s": sorted.length ? round(quantile(sorted, 0.9)! / 1000) : null,
    "% on scene > 15 min": pct(
      e.filter((r) => r.arrivedAt === null || r.arrivedAt - r.alarm.at > ON_SCENE_MS).length,
      e.length,
    ),
    "% no offer within 60 s": pct(e.filter((r) => !within(r.firstOfferAt, r)).length, e.length),
    "% neither offer nor escalation within 60 s": pct(
      e.filter((r) => !within(r.firstOfferAt, r) && !within(r.escalatedAt, r)).length,
      e.length,
    ),
    "% escalated": pct(e.filter((r) => r.escalatedAt !== null).length, e.length),
    "% never served": pct(e.filter((r) => r.arrivedAt === null).length, e.length),
    "mean press→accept s": mean(accepted),
    "% taken over in grace": pct(e.filter((r) => r.takeovers > 0).length, e.length),
    ...lateness(e),
  };
}

function lateness(e: readonly CaseRecord[]) {
  const target = RESPONSE_TARGET_SECONDS.onScene;
  const late = e.filter((r) => r.arrivedAt === null || r.arrivedAt - r.alarm.at > ON_SCENE_MS);
  const supply = late.filter((r) => (r.firstOfferEta ?? Infinity) > target);
  const farther = late.filter((r) => !supply.includes(r) && (r.acceptedEta ?? Infinity) > target);
  return {
    "% late, nobody free within 15 min": pct(supply.length, e.length),
    "% late, a farther one came": pct(farther.length, e.length),
    "% late, trip longer than its ETA": pct(late.length - supply.length - farther.length, e.length),
  };
}

/** product ÷ baseline of each figure (lower is better for all of them). */
export function ratios(product: Figures, baseline: Figures): Record<string, number | null> {
  const out: Record<string, number | null> = {};
  for (const key of Object.keys(product) as (keyof Figures)[]) {
    if (key === "emergencies") continue;
    const a = product[key];
    const b = baseline[key];
    out[key] = a === null || b === null || b === 0 ? null : round(a / b, 3);
  }
  return out;
}
