// The figures of a report, from the rows the repository fetched: pure, so a test computes the
// same numbers by hand from the events. Cancelled emergencies are false alarms and stay out of the
// response figures (as in kpi/kpis.ts); technical and desk cases are not alarms.
import {
  localDate,
  nextDay,
  TAKEN_EVENT_TYPES,
  wallClock,
  type CaseKind,
  type CaseStatus,
  type ReportFigures,
  type ReportPeriod,
} from "../../protocol/index.ts";

export interface ReportCase {
  caseId: number;
  type: string;
  kind: CaseKind;
  status: CaseStatus;
  escalated: boolean;
  communityId: number;
  gridId: number;
  /** Who took it (the responder of the case). */
  responderId: number | null;
  createdAt: number;
}

export interface ReportEvent {
  caseId: number;
  type: string;
  at: number;
}

export interface ServiceMinutes {
  responderId: number | null;
  communityId: number;
  gridId: number;
  at: number;
  minutes: number;
}

const TAKEN: readonly string[] = TAKEN_EVENT_TYPES;

/** Nearest-rank percentile (p in 0–100) of the values; null for none. */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1]!;
}

const pct = (part: number, whole: number) => (whole === 0 ? null : Math.round((1000 * part) / whole) / 10);

/** Seconds from the press to the first offer, the first take (accepted or assigned) and arrival. */
function timings(events: readonly ReportEvent[]) {
  const t = new Map<number, { offered?: number; taken?: number; arrived?: number }>();
  const first = (a: number | undefined, b: number) => (a === undefined || b < a ? b : a);
  for (const e of events) {
    const x = t.get(e.caseId) ?? {};
    if (e.type === "offered") x.offered = first(x.offered, e.at);
    else if (TAKEN.includes(e.type)) x.taken = first(x.taken, e.at);
    else if (e.type === "arrived") x.arrived = first(x.arrived, e.at);
    t.set(e.caseId, x);
  }
  return t;
}

export function figures(
  cases: readonly ReportCase[],
  events: readonly ReportEvent[],
  service: readonly ServiceMinutes[],
): ReportFigures {
  const t = timings(events);
  const alarms = cases.filter((c) => c.kind === "emergency" || c.kind === "service");
  const emergencies = cases.filter((c) => c.kind === "emergency");
  const dispatched = emergencies.filter((c) => c.status !== "cancelled");
  const since = (c: ReportCase, at: number | undefined) =>
    at === undefined ? [] : [(at - c.createdAt) / 1000];
  const toOffer = dispatched.flatMap((c) => since(c, t.get(c.caseId)?.offered));
  const toAccept = dispatched.flatMap((c) => since(c, t.get(c.caseId)?.taken));
  const toScene = dispatched.flatMap((c) => since(c, t.get(c.caseId)?.arrived));
  const within = (s: number[], limit: number) => pct(s.filter((x) => x <= limit).length, dispatched.length);
  const byType: Record<string, number> = {};
  for (const c of alarms) byType[c.type] = (byType[c.type] ?? 0) + 1;
  return {
    alarms: alarms.length,
    byType,
    falseAlarms: emergencies.length - dispatched.length,
    escalations: cases.filter((c) => c.escalated).length,
    pressToOfferP50: percentile(toOffer, 50),
    pressToOfferP90: percentile(toOffer, 90),
    pressToAcceptP50: percentile(toAccept, 50),
    pressToAcceptP90: percentile(toAccept, 90),
    pressToSceneP50: percentile(toScene, 50),
    pressToSceneP90: percentile(toScene, 90),
    acceptedWithin60sPct: within(toAccept, 60),
    onSceneWithin15minPct: within(toScene, 15 * 60),
    onSceneWithin45minPct: within(toScene, 45 * 60),
    deviceProblems: cases.filter((c) => c.kind === "technical").length,
    serviceHours: Math.round((service.reduce((sum, s) => sum + s.minutes, 0) / 60) * 100) / 100,
  };
}

/** The day, week (its Monday) or month an instant falls in, on the platform's calendar. */
export function bucketOf(at: number, period: ReportPeriod, timeZone: string): string {
  const day = localDate(at, timeZone);
  if (period === "day") return day;
  if (period === "month") return day.slice(0, 7);
  const w = wallClock(at, timeZone);
  const weekday = (new Date(Date.UTC(w.year, w.month - 1, w.day)).getUTCDay() + 6) % 7; // Monday = 0
  let monday = day;
  for (let i = 0; i < weekday; i++) monday = previousDay(monday);
  return monday;
}

function previousDay(day: string): string {
  const [y, m, d] = day.split("-").map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d - 1)).toISOString().slice(0, 10);
}

/** Every bucket from `fromDay` to `toDay` (inclusive), so empty days show as zero. */
export function bucketsBetween(
  fromDay: string,
  toDay: string,
  period: ReportPeriod,
  timeZone: string,
): string[] {
  const out: string[] = [];
  for (let day = fromDay; day <= toDay; day = nextDay(day)) {
    const b = bucketOf(Date.parse(`${day}T12:00:00Z`), period, timeZone);
    if (out[out.length - 1] !== b) out.push(b);
  }
  return out;
}

/** Rows per community, grid or responder; series per bucket. */
export function groupFigures<K>(
  data: { cases: readonly ReportCase[]; events: readonly ReportEvent[]; service: readonly ServiceMinutes[] },
  keyOf: { case: (c: ReportCase) => K | null; service: (s: ServiceMinutes) => K | null },
): Map<K, ReportFigures> {
  const caseKey = new Map<number, K | null>(data.cases.map((c) => [c.caseId, keyOf.case(c)]));
  const keys = new Set<K>();
  for (const k of caseKey.values()) if (k !== null) keys.add(k);
  for (const s of data.service) {
    const k = keyOf.service(s);
    if (k !== null) keys.add(k);
  }
  const out = new Map<K, ReportFigures>();
  for (const k of keys) {
    out.set(
      k,
      figures(
        data.cases.filter((c) => caseKey.get(c.caseId) === k),
        data.events.filter((e) => caseKey.get(e.caseId) === k),
        data.service.filter((s) => keyOf.service(s) === k),
      ),
    );
  }
  return out;
}
