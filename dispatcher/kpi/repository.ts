// SQL behind the KPIs: the cases created in a window, the steps that time them, open escalations.
import { ACTIVE_CASE_STATUSES, TAKEN_EVENT_TYPES, sqlList } from "../../protocol/index.ts";
import type { Queryable } from "../db/sql.ts";
import type { KpiCase, KpiEvent } from "./kpis.ts";

const TIMED_EVENTS = sqlList(["created", ...TAKEN_EVENT_TYPES, "arrived", "resolved"]);

export async function casesCreatedBetween(q: Queryable, from: number, to: number): Promise<KpiCase[]> {
  const rows = await q.all<Omit<KpiCase, "escalated"> & { escalated: number }>(
    `SELECT c.id AS "caseId", c.type, c.kind, c.status, c.escalated, r.name AS "residentName",
            cm.name AS "communityName", c."createdAt"
     FROM "Case" c JOIN "Resident" r ON r.id = c."residentId" JOIN "Community" cm ON cm.id = c."communityId"
     WHERE c."createdAt" >= ? AND c."createdAt" < ? ORDER BY c.id`,
    [from, to],
  );
  return rows.map((r) => ({ ...r, escalated: r.escalated === 1 }));
}

export function timingEventsOfCasesCreatedBetween(
  q: Queryable,
  from: number,
  to: number,
): Promise<KpiEvent[]> {
  return q.all<KpiEvent>(
    `SELECT e."caseId", e.type, e.at FROM "CaseEvent" e JOIN "Case" c ON c.id = e."caseId"
     WHERE c."createdAt" >= ? AND c."createdAt" < ? AND e.type IN (${TIMED_EVENTS})`,
    [from, to],
  );
}

/** Escalated cases someone still has to act on, whenever they were created. */
export async function openEscalations(q: Queryable): Promise<number> {
  const row = await q.get<{ n: number }>(
    `SELECT COUNT(*) AS n FROM "Case" WHERE escalated = 1 AND status IN (${sqlList(ACTIVE_CASE_STATUSES)})`,
  );
  return Number(row?.n ?? 0);
}
