// SQL behind reports: cases created in a window with their community, grid and responder, the
// steps that time them, and the minutes of service logged in the window.
import { sqlList } from "../../protocol/index.ts";
import { scopeCondition, type Queryable } from "../db/sql.ts";
import type { ReportCase, ReportEvent, ServiceMinutes } from "./figures.ts";

type Scope = readonly number[] | null;

const TIMED = sqlList(["offered", "accepted", "assigned", "arrived"]);

function where(column: string, scope: Scope): { sql: string; params: number[] } {
  const s = scopeCondition(column, scope);
  return s ? { sql: ` AND ${s.sql}`, params: s.params } : { sql: "", params: [] };
}

export async function casesBetween(
  q: Queryable,
  from: number,
  to: number,
  scope: Scope,
): Promise<ReportCase[]> {
  const s = where(`c."communityId"`, scope);
  const rows = await q.all<Omit<ReportCase, "escalated"> & { escalated: number }>(
    `SELECT c.id AS "caseId", c.type, c.kind, c.status, c.escalated, c."communityId", r."gridId",
       c."responderId", c."createdAt"
     FROM "Case" c JOIN "Resident" r ON r.id = c."residentId"
     WHERE c."createdAt" >= ? AND c."createdAt" < ?${s.sql} ORDER BY c.id`,
    [from, to, ...s.params],
  );
  return rows.map((r) => ({ ...r, escalated: r.escalated === 1 }));
}

export function eventsOfCasesBetween(
  q: Queryable,
  from: number,
  to: number,
  scope: Scope,
): Promise<ReportEvent[]> {
  const s = where(`c."communityId"`, scope);
  return q.all(
    `SELECT e."caseId", e.type, e.at FROM "CaseEvent" e JOIN "Case" c ON c.id = e."caseId"
     WHERE c."createdAt" >= ? AND c."createdAt" < ? AND e.type IN (${TIMED})${s.sql}`,
    [from, to, ...s.params],
  );
}

export function serviceMinutesBetween(
  q: Queryable,
  from: number,
  to: number,
  scope: Scope,
): Promise<ServiceMinutes[]> {
  const s = where(`r."communityId"`, scope);
  return q.all(
    `SELECT l."responderId", r."communityId", r."gridId", l.at, l."durationMinutes" AS minutes
     FROM "ServiceLog" l JOIN "Resident" r ON r.id = l."residentId"
     WHERE l.at >= ? AND l.at < ? AND l."durationMinutes" IS NOT NULL${s.sql}`,
    [from, to, ...s.params],
  );
}

export function names(
  q: Queryable,
  table: "Community" | "Grid" | "Responder",
): Promise<{ id: number; name: string }[]> {
  return q.all(`SELECT id, name FROM "${table}"`);
}
