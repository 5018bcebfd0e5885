// SQL of coverage alerts.
import { CoverageAlertResolutionSchema, type CoverageAlert } from "../../protocol/index.ts";
import { acknowledgeOnce, isoTime, scopeCondition, type Queryable, type Tx } from "../db/sql.ts";

interface Row {
  id: number;
  communityId: number;
  communityName: string;
  gapFrom: number;
  gapUntil: number;
  raisedAt: number;
  acknowledgedAt: number | null;
  acknowledgedByName: string | null;
  resolvedAt: number | null;
  resolution: string | null;
}

const SELECT = `SELECT a.id, a."communityId", c.name AS "communityName", a."gapFrom", a."gapUntil", a."raisedAt",
    a."acknowledgedAt", a."acknowledgedByName", a."resolvedAt", a.resolution
  FROM "CoverageAlert" a JOIN "Community" c ON c.id = a."communityId"`;

const toDto = (r: Row): CoverageAlert => ({
  id: r.id,
  communityId: r.communityId,
  communityName: r.communityName,
  from: isoTime(r.gapFrom)!,
  until: isoTime(r.gapUntil)!,
  raisedAt: isoTime(r.raisedAt)!,
  acknowledgedAt: isoTime(r.acknowledgedAt),
  acknowledgedBy: r.acknowledgedByName,
  resolvedAt: isoTime(r.resolvedAt),
  resolution: CoverageAlertResolutionSchema.nullable().parse(r.resolution),
});

export async function findAlert(q: Queryable, id: number): Promise<CoverageAlert | null> {
  const row = await q.get<Row>(`${SELECT} WHERE a.id = ?`, [id]);
  return row ? toDto(row) : null;
}

/** Newest first; `openOnly`: not resolved. */
export async function listAlerts(
  q: Queryable,
  o: { openOnly: boolean; scope: readonly number[] | null; limit: number },
): Promise<CoverageAlert[]> {
  const where: string[] = [];
  const params: number[] = [];
  if (o.openOnly) where.push(`a."resolvedAt" IS NULL`);
  const s = scopeCondition(`a."communityId"`, o.scope);
  if (s) {
    where.push(s.sql);
    params.push(...s.params);
  }
  const rows = await q.all<Row>(
    `${SELECT} ${where.length ? `WHERE ${where.join(" AND ")}` : ""} ORDER BY a."raisedAt" DESC, a.id DESC LIMIT ?`,
    [...params, o.limit],
  );
  return rows.map(toDto);
}

/** Every open alert, for the sweep. */
export function openAlerts(
  q: Queryable,
): Promise<{ id: number; communityId: number; from: number; until: number }[]> {
  return q.all(
    `SELECT id, "communityId", "gapFrom" AS "from", "gapUntil" AS "until" FROM "CoverageAlert" WHERE "resolvedAt" IS NULL`,
  );
}

export async function insertAlert(
  tx: Tx,
  a: { communityId: number; from: number; until: number; at: number },
): Promise<number> {
  const row = await tx.get<{ id: number }>(
    `INSERT INTO "CoverageAlert" ("communityId", "gapFrom", "gapUntil", "raisedAt") VALUES (?, ?, ?, ?) RETURNING id`,
    [a.communityId, a.from, a.until, a.at],
  );
  return row!.id;
}

export async function moveAlert(tx: Tx, id: number, from: number, until: number): Promise<void> {
  await tx.run(`UPDATE "CoverageAlert" SET "gapFrom" = ?, "gapUntil" = ? WHERE id = ?`, [from, until, id]);
}

export async function resolveAlert(tx: Tx, id: number, resolution: string, at: number): Promise<void> {
  await tx.run(
    `UPDATE "CoverageAlert" SET "resolvedAt" = ?, resolution = ? WHERE id = ? AND "resolvedAt" IS NULL`,
    [at, resolution, id],
  );
}

/** Who saw it, once; 0 when it was already acknowledged. */
export const acknowledge = (tx: Tx, id: number, by: { at: number; userId: number; name: string }) =>
  acknowledgeOnce(tx, "CoverageAlert", id, by);
