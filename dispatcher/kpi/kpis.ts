// KPIs are derived from the CaseEvent log (who did what, when), never kept by hand.
import type { Database } from "better-sqlite3";
import type { Kpi } from "../../protocol/index.ts";

export interface CaseTiming {
  caseId: number;
  type: string;
  kind: string;
  status: string;
  escalated: number;
  residentName: string;
  communityName: string;
  createdAt: number;
  acceptedAt: number | null;
  arrivedAt: number | null;
  resolvedAt: number | null;
}

export function caseTimings(db: Database, from: number, to: number): CaseTiming[] {
  return db
    .prepare(
      `SELECT c.id AS caseId, c.type, c.kind, c.status, c.escalated, r.name AS residentName, cm.name AS communityName,
        MIN(CASE WHEN e.type = 'created' THEN e.at END) AS createdAt,
        MIN(CASE WHEN e.type IN ('accepted', 'assigned') THEN e.at END) AS acceptedAt,
        MIN(CASE WHEN e.type = 'arrived' THEN e.at END) AS arrivedAt,
        MIN(CASE WHEN e.type = 'resolved' THEN e.at END) AS resolvedAt
      FROM "Case" c JOIN "CaseEvent" e ON e.caseId = c.id
      JOIN "Resident" r ON r.id = c.residentId JOIN "Community" cm ON cm.id = c.communityId
      WHERE c.createdAt >= ? AND c.createdAt < ?
      GROUP BY c.id ORDER BY c.id`,
    )
    .all(from, to) as CaseTiming[];
}

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

const pct = (part: number, whole: number) => (whole === 0 ? null : Math.round((1000 * part) / whole) / 10);

export function summarizeTimings(rows: CaseTiming[], openEscalations: number, from: number, to: number): Kpi {
  const emergencies = rows.filter((r) => r.kind === "emergency");
  const acceptSeconds = emergencies
    .filter((r) => r.acceptedAt !== null)
    .map((r) => (r.acceptedAt! - r.createdAt) / 1000);
  const sceneSeconds = emergencies
    .filter((r) => r.arrivedAt !== null)
    .map((r) => (r.arrivedAt! - r.createdAt) / 1000);
  // Percentages are over all emergencies, so a case nobody accepted counts against the target.
  const dispatched = emergencies.filter((r) => r.status !== "cancelled").length;
  return {
    from: new Date(from).toISOString(),
    to: new Date(to).toISOString(),
    alarms: rows.filter((r) => r.kind !== "technical").length,
    emergencies: emergencies.length,
    serviceRequests: rows.filter((r) => r.kind === "service").length,
    acceptedWithin60sPct: pct(acceptSeconds.filter((s) => s <= 60).length, dispatched),
    onSceneWithin15minPct: pct(sceneSeconds.filter((s) => s <= 15 * 60).length, dispatched),
    onSceneWithin45minPct: pct(sceneSeconds.filter((s) => s <= 45 * 60).length, dispatched),
    medianAcceptSeconds: median(acceptSeconds),
    medianOnSceneSeconds: median(sceneSeconds),
    openEscalations,
  };
}

export function computeKpis(db: Database, range: { from: number; to: number }): Kpi {
  const open = db
    .prepare(
      `SELECT COUNT(*) AS n FROM "Case" WHERE escalated = 1 AND status NOT IN ('closed','resolved','cancelled')`,
    )
    .get() as {
    n: number;
  };
  return summarizeTimings(caseTimings(db, range.from, range.to), open.n, range.from, range.to);
}

export function toCsv(rows: CaseTiming[]): string {
  const iso = (ms: number | null) => (ms === null ? "" : new Date(ms).toISOString());
  const quote = (v: string) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  const header =
    "case_id,type,kind,status,escalated,resident,community,created_at,accepted_at,arrived_at,resolved_at,accept_seconds,on_scene_seconds";
  const lines = rows.map((r) =>
    [
      String(r.caseId),
      r.type,
      r.kind,
      r.status,
      r.escalated ? "yes" : "no",
      quote(r.residentName),
      quote(r.communityName),
      iso(r.createdAt),
      iso(r.acceptedAt),
      iso(r.arrivedAt),
      iso(r.resolvedAt),
      r.acceptedAt === null ? "" : String(Math.round((r.acceptedAt - r.createdAt) / 1000)),
      r.arrivedAt === null ? "" : String(Math.round((r.arrivedAt - r.createdAt) / 1000)),
    ].join(","),
  );
  return "\uFEFF" + [header, ...lines].join("\n") + "\n"; // BOM: Excel opens UTF-8 Chinese correctly
}
