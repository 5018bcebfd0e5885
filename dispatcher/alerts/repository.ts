// SQL of staff alerts. An alert is written in the transaction of the step that raised it.
import { AlertKindSchema, type AlertKind, type Priority, type StaffAlert } from "../../protocol/index.ts";
import { acknowledgeOnce, isoTime, placeholders, type Queryable, type SqlValue, type Tx } from "../db/sql.ts";

export async function insertAlert(
  tx: Tx,
  a: { caseId: number; kind: AlertKind; message: string; at: number },
): Promise<number> {
  const row = await tx.get<{ id: number }>(
    `INSERT INTO "StaffAlert" ("caseId", kind, message, at) VALUES (?, ?, ?, ?) RETURNING id`,
    [a.caseId, a.kind, a.message, a.at],
  );
  return row!.id;
}

/** Sets who acknowledged it, once; 0 when it was already acknowledged (or does not exist). */
export const acknowledge = (tx: Tx, id: number, by: { at: number; userId: number; name: string }) =>
  acknowledgeOnce(tx, "StaffAlert", id, by);

/** The case is over (cancelled, resolved, closed): its open alerts are settled by whoever ended it. */
export async function acknowledgeAllOf(
  tx: Tx,
  caseId: number,
  by: { at: number; userId: number | null; name: string | null },
): Promise<number[]> {
  const rows = await tx.all<{ id: number }>(
    `UPDATE "StaffAlert" SET "acknowledgedAt" = ?, "acknowledgedById" = ?, "acknowledgedByName" = ?
     WHERE "caseId" = ? AND "acknowledgedAt" IS NULL RETURNING id`,
    [by.at, by.userId, by.name, caseId],
  );
  return rows.map((r) => r.id);
}

const SELECT = `SELECT a.id, a."caseId", a.kind, a.message, a.at, a."acknowledgedAt", a."acknowledgedByName",
    r.name AS "residentName", c."communityId", c.priority
  FROM "StaffAlert" a JOIN "Case" c ON c.id = a."caseId" JOIN "Resident" r ON r.id = c."residentId"`;

interface AlertRow {
  id: number;
  caseId: number;
  kind: string;
  message: string;
  at: number;
  acknowledgedAt: number | null;
  acknowledgedByName: string | null;
  residentName: string;
  communityId: number;
  priority: Priority;
}

export async function findAlert(q: Queryable, id: number): Promise<StaffAlert | null> {
  const row = await q.get<AlertRow>(`${SELECT} WHERE a.id = ?`, [id]);
  return row ? toDto(row) : null;
}

export interface AlertFilter {
  openOnly: boolean;
  caseId: number | null;
  /** null = every community. */
  communityIds: readonly number[] | null;
  limit: number;
}

/** Newest first. */
export async function listAlerts(q: Queryable, f: AlertFilter): Promise<StaffAlert[]> {
  const where: string[] = [];
  const params: SqlValue[] = [];
  if (f.openOnly) where.push(`a."acknowledgedAt" IS NULL`);
  if (f.caseId !== null) {
    where.push(`a."caseId" = ?`);
    params.push(f.caseId);
  }
  if (f.communityIds !== null) {
    if (f.communityIds.length === 0) return [];
    where.push(`c."communityId" IN (${placeholders(f.communityIds.length)})`);
    params.push(...f.communityIds);
  }
  const rows = await q.all<AlertRow>(
    `${SELECT} ${where.length ? `WHERE ${where.join(" AND ")}` : ""} ORDER BY a.at DESC, a.id DESC LIMIT ?`,
    [...params, f.limit],
  );
  return rows.map(toDto);
}

function toDto(r: AlertRow): StaffAlert {
  return {
    id: r.id,
    caseId: r.caseId,
    kind: AlertKindSchema.parse(r.kind),
    message: r.message,
    at: isoTime(r.at)!,
    residentName: r.residentName,
    communityId: r.communityId,
    priority: r.priority,
    acknowledgedAt: isoTime(r.acknowledgedAt),
    acknowledgedBy: r.acknowledgedByName,
  };
}
