// The audit log: who changed what, when. Each entry is written in the same transaction as the
// change it records, so the log can never claim a change that did not happen (or miss one).
import { ActorTypeSchema, type ActorType } from "../../protocol/index.ts";
import { HIDDEN } from "../../protocol/process.ts";
import { isoTime, parseJson, type Queryable, type SqlValue, type Tx } from "../db/sql.ts";

/** {field: [before, after]} — secrets and password hashes never appear here. */
export type AuditChanges = Record<string, readonly [unknown, unknown]>;

export interface AuditInput {
  at: number;
  actor: { type: ActorType; id: string | null; name: string | null };
  action: string;
  entity: string;
  entityId: string | null;
  changes?: AuditChanges | null;
  ip?: string | null;
}

export interface AuditRecord {
  id: number;
  at: string;
  actorType: ActorType;
  actorId: string | null;
  actorName: string | null;
  action: string;
  entity: string;
  entityId: string | null;
  changes: AuditChanges | null;
  ip: string | null;
}

export async function recordAudit(tx: Tx, e: AuditInput): Promise<void> {
  await tx.run(
    `INSERT INTO "AuditEntry" (at, "actorType", "actorId", "actorName", action, entity, "entityId", changes, ip)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [
      e.at,
      e.actor.type,
      e.actor.id,
      e.actor.name,
      e.action,
      e.entity,
      e.entityId,
      e.changes ? JSON.stringify(e.changes) : null,
      e.ip ?? null,
    ],
  );
}

interface AuditRow {
  id: number;
  at: number;
  actorType: string;
  actorId: string | null;
  actorName: string | null;
  action: string;
  entity: string;
  entityId: string | null;
  changes: string | null;
  ip: string | null;
}

interface AuditFilter {
  entity?: string;
  entityId?: string;
}

function whereOf(filter: AuditFilter): { sql: string; params: SqlValue[] } {
  const where: string[] = [];
  const params: SqlValue[] = [];
  if (filter.entity !== undefined) {
    where.push("entity = ?");
    params.push(filter.entity);
  }
  if (filter.entityId !== undefined) {
    where.push(`"entityId" = ?`);
    params.push(filter.entityId);
  }
  return { sql: where.length ? `WHERE ${where.join(" AND ")}` : "", params };
}

/** Newest first. */
export async function listAudit(
  q: Queryable,
  filter: AuditFilter & { limit: number; offset: number },
): Promise<AuditRecord[]> {
  const w = whereOf(filter);
  const rows = await q.all<AuditRow>(
    `SELECT id, at, "actorType", "actorId", "actorName", action, entity, "entityId", changes, ip
     FROM "AuditEntry" ${w.sql}
     ORDER BY at DESC, id DESC LIMIT ? OFFSET ?`,
    [...w.params, filter.limit, filter.offset],
  );
  return rows.map((r) => ({
    ...r,
    at: isoTime(r.at)!,
    actorType: ActorTypeSchema.parse(r.actorType),
    changes: parseJson(r.changes) as AuditChanges | null,
  }));
}

export async function countAudit(q: Queryable, filter: AuditFilter): Promise<number> {
  const w = whereOf(filter);
  const row = await q.get<{ n: number }>(`SELECT COUNT(*) AS n FROM "AuditEntry" ${w.sql}`, w.params);
  return Number(row?.n ?? 0);
}

/** A new record's fields, as audit changes from nothing. */
export function createdFields(record: object): AuditChanges {
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, [null, v ?? null] as const]));
}

/** The fields whose values differ between two versions of a record, as audit changes. */
export function diffFields<T extends object>(
  before: T,
  after: T,
  secret: readonly (keyof T)[] = [],
): AuditChanges {
  const changes: Record<string, readonly [unknown, unknown]> = {};
  for (const key of Object.keys(after) as (keyof T)[]) {
    const a = before[key];
    const b = after[key];
    if (JSON.stringify(a) === JSON.stringify(b)) continue;
    changes[String(key)] = secret.includes(key) ? [HIDDEN, HIDDEN] : [a ?? null, b ?? null];
  }
  return changes;
}
