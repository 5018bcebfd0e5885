// SQL of the service log search.
import type { ServiceLogKind } from "../../protocol/index.ts";
import { scopeCondition, type Queryable, type SqlParams } from "../db/sql.ts";

export interface LogFilter {
  scope: readonly number[] | null;
  residentId?: number;
  responderId?: number;
  gridId?: number;
  communityId?: number;
  kind?: ServiceLogKind;
  from?: number;
  to?: number;
}

export interface LogRow {
  id: number;
  at: number;
  kind: ServiceLogKind;
  residentId: number;
  residentName: string;
  place: string;
  communityName: string;
  gridName: string;
  responderId: number | null;
  responderName: string | null;
  content: string;
  minutes: number | null;
  caseId: number | null;
  serviceOrderId: number | null;
}

function where(f: LogFilter): { sql: string; params: SqlParams } {
  const parts: string[] = [];
  const params: (number | string)[] = [];
  const eq = (column: string, value: number | string | undefined) => {
    if (value === undefined) return;
    parts.push(`${column} = ?`);
    params.push(value);
  };
  eq(`l."residentId"`, f.residentId);
  eq(`l."responderId"`, f.responderId);
  eq(`r."gridId"`, f.gridId);
  eq(`r."communityId"`, f.communityId);
  eq(`l.kind`, f.kind);
  if (f.from !== undefined) {
    parts.push(`l.at >= ?`);
    params.push(f.from);
  }
  if (f.to !== undefined) {
    parts.push(`l.at < ?`);
    params.push(f.to);
  }
  const s = scopeCondition(`r."communityId"`, f.scope);
  if (s) {
    parts.push(s.sql);
    params.push(...s.params);
  }
  return { sql: parts.length ? `WHERE ${parts.join(" AND ")}` : "", params };
}

const FROM = `FROM "ServiceLog" l JOIN "Resident" r ON r.id = l."residentId"
  JOIN "Community" cm ON cm.id = r."communityId" JOIN "Grid" g ON g.id = r."gridId"
  LEFT JOIN "Responder" p ON p.id = l."responderId"`;

export function searchLog(q: Queryable, f: LogFilter, limit: number, offset: number): Promise<LogRow[]> {
  const w = where(f);
  return q.all(
    `SELECT l.id, l.at, l.kind, l."residentId", r.name AS "residentName", l.place, cm.name AS "communityName",
       g.name AS "gridName", l."responderId", p.name AS "responderName", l.content, l."durationMinutes" AS minutes,
       l."caseId", l."serviceOrderId"
     ${FROM} ${w.sql} ORDER BY l.at DESC, l.id DESC LIMIT ? OFFSET ?`,
    [...w.params, limit, offset],
  );
}

export async function countLog(q: Queryable, f: LogFilter): Promise<number> {
  const w = where(f);
  const row = await q.get<{ n: number }>(`SELECT COUNT(*) AS n ${FROM} ${w.sql}`, w.params);
  return Number(row?.n ?? 0);
}
