// SQL behind the KPIs: the cases created in a window, the steps that time them, open escalations,
// each for the communities in a scope (null = every community).
import { ACTIVE_CASE_STATUSES, TAKEN_EVENT_TYPES, sqlList } from "../../protocol/index.ts";
import { scopeCondition, type Queryable } from "../db/sql.ts";
import type { KpiCall, KpiCase, KpiEvent } from "./kpis.ts";

const TIMED_EVENTS = sqlList(["created", ...TAKEN_EVENT_TYPES, "arrived", "resolved"]);

type Scope = readonly number[] | null;

/** ` AND c."communityId" IN (…)` and its parameters, or nothing for every community. */
function inScope(scope: Scope): { sql: string; params: number[] } {
  const s = scopeCondition(`c."communityId"`, scope);
  return s ? { sql: ` AND ${s.sql}`, params: s.params } : { sql: "", params: [] };
}

export async function casesCreatedBetween(
  q: Queryable,
  from: number,
  to: number,
  scope: Scope = null,
): Promise<KpiCase[]> {
  const s = inScope(scope);
  const rows = await q.all<Omit<KpiCase, "escalated"> & { escalated: number }>(
    `SELECT c.id AS "caseId", c.type, c.kind, c.status, c.escalated, r.name AS "residentName",
            cm.name AS "communityName", c."createdAt"
     FROM "Case" c JOIN "Resident" r ON r.id = c."residentId" JOIN "Community" cm ON cm.id = c."communityId"
     WHERE c."createdAt" >= ? AND c."createdAt" < ?${s.sql} ORDER BY c.id`,
    [from, to, ...s.params],
  );
  return rows.map((r) => ({ ...r, escalated: r.escalated === 1 }));
}

export function timingEventsOfCasesCreatedBetween(
  q: Queryable,
  from: number,
  to: number,
  scope: Scope = null,
): Promise<KpiEvent[]> {
  const s = inScope(scope);
  return q.all<KpiEvent>(
    `SELECT e."caseId", e.type, e.at FROM "CaseEvent" e JOIN "Case" c ON c.id = e."caseId"
     WHERE c."createdAt" >= ? AND c."createdAt" < ? AND e.type IN (${TIMED_EVENTS})${s.sql}`,
    [from, to, ...s.params],
  );
}

/** The phone calls of the cases created in the window, oldest first. */
export function callsOfCasesCreatedBetween(
  q: Queryable,
  from: number,
  to: number,
  scope: Scope = null,
): Promise<KpiCall[]> {
  const s = inScope(scope);
  return q.all<KpiCall>(
    `SELECT k."caseId", k.at, k.direction, k.party, k.number, k.outcome FROM "CaseCall" k JOIN "Case" c ON c.id = k."caseId"
     WHERE c."createdAt" >= ? AND c."createdAt" < ?${s.sql} ORDER BY k.at, k.id`,
    [from, to, ...s.params],
  );
}

/** Escalated cases someone still has to act on, whenever they were created. */
export async function openEscalations(q: Queryable, scope: Scope = null): Promise<number> {
  const s = inScope(scope);
  const row = await q.get<{ n: number }>(
    `SELECT COUNT(*) AS n FROM "Case" c
     WHERE c.escalated = 1 AND c.status IN (${sqlList(ACTIVE_CASE_STATUSES)})${s.sql}`,
    s.params,
  );
  return Number(row?.n ?? 0);
}
