// Response-time KPIs, derived from the CaseEvent log (who did what, when), never kept by hand.
// Pure: the repository fetches the rows, these functions do the counting.
import {
  TAKEN_EVENT_TYPES,
  type CallDirection,
  type CallOutcome,
  type CallParty,
  type CaseKind,
  type CaseStatus,
  type Kpi,
} from "../../protocol/index.ts";

/** A case created in the reporting window. */
export interface KpiCase {
  caseId: number;
  type: string;
  kind: CaseKind;
  status: CaseStatus;
  escalated: boolean;
  residentName: string;
  communityName: string;
  createdAt: number;
}

/** One step of such a case. */
export interface KpiEvent {
  caseId: number;
  type: string;
  at: number;
}

export interface CaseTiming extends KpiCase {
  acceptedAt: number | null;
  arrivedAt: number | null;
  resolvedAt: number | null;
}

const TAKEN: readonly string[] = TAKEN_EVENT_TYPES;

/** When each case was first taken (accepted, or assigned by staff), reached and resolved. */
export function caseTimings(cases: readonly KpiCase[], events: readonly KpiEvent[]): CaseTiming[] {
  const first = new Map<number, { created?: number; taken?: number; arrived?: number; resolved?: number }>();
  const earliest = (a: number | undefined, b: number) => (a === undefined || b < a ? b : a);
  for (const e of events) {
    const t = first.get(e.caseId) ?? {};
    if (e.type === "created") t.created = earliest(t.created, e.at);
    else if (TAKEN.includes(e.type)) t.taken = earliest(t.taken, e.at);
    else if (e.type === "arrived") t.arrived = earliest(t.arrived, e.at);
    else if (e.type === "resolved") t.resolved = earliest(t.resolved, e.at);
    first.set(e.caseId, t);
  }
  return cases.map((c) => {
    const t = first.get(c.caseId) ?? {};
    return {
      ...c,
      createdAt: t.created ?? c.createdAt,
      acceptedAt: t.taken ?? null,
      arrivedAt: t.arrived ?? null,
      resolvedAt: t.resolved ?? null,
    };
  });
}

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

const pct = (part: number, whole: number) => (whole === 0 ? null : Math.round((1000 * part) / whole) / 10);

export function summarizeTimings(
  rows: readonly CaseTiming[],
  openEscalations: number,
  from: number,
  to: number,
): Kpi {
  const emergencies = rows.filter((r) => r.kind === "emergency");
  // A cancelled emergency (false alarm, or the resident called it off) needed nobody: it is left
  // out of every response figure, numerator and denominator alike. Counting it on one side only
  // is how a share could exceed 100 %; counting it on both would score responders on alarms
  // that had no one to reach. Emergencies nobody accepted stay in and count against the target.
  const dispatched = emergencies.filter((r) => r.status !== "cancelled");
  const acceptSeconds = dispatched.flatMap((r) =>
    r.acceptedAt === null ? [] : [(r.acceptedAt - r.createdAt) / 1000],
  );
  const sceneSeconds = dispatched.flatMap((r) =>
    r.arrivedAt === null ? [] : [(r.arrivedAt - r.createdAt) / 1000],
  );
  const share = (seconds: number[], limit: number) =>
    pct(seconds.filter((s) => s <= limit).length, dispatched.length);
  return {
    from: new Date(from).toISOString(),
    to: new Date(to).toISOString(),
    // Calls for help, by button or phone: device problems and desk enquiries are not alarms.
    alarms: rows.filter((r) => r.kind === "emergency" || r.kind === "service").length,
    emergencies: emergencies.length,
    serviceRequests: rows.filter((r) => r.kind === "service").length,
    acceptedWithin60sPct: share(acceptSeconds, 60),
    onSceneWithin15minPct: share(sceneSeconds, 15 * 60),
    onSceneWithin45minPct: share(sceneSeconds, 45 * 60),
    medianAcceptSeconds: median(acceptSeconds),
    medianOnSceneSeconds: median(sceneSeconds),
    openEscalations,
  };
}

export function computeKpis(
  data: { cases: readonly KpiCase[]; events: readonly KpiEvent[]; openEscalations: number },
  range: { from: number; to: number },
): Kpi {
  return summarizeTimings(caseTimings(data.cases, data.events), data.openEscalations, range.from, range.to);
}

/** A phone call of a case, as the CSV lists it. */
export interface KpiCall {
  caseId: number;
  at: number;
  direction: CallDirection;
  party: CallParty;
  number: string | null;
  outcome: CallOutcome;
}
