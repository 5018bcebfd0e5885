// The audit log: who changed what, when. Each entry is written in the same transaction as the
// change it records, so the log can never claim a change that did not happen (or miss one).
import { ActorTypeSchema, type ActorType } from "../../protocol/index.ts";
import { isoTime, parseJson, type Queryable, type Tx } from "../db/sql.ts";

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

/** Newest first. */
export async function listAudit(
  q: Queryable,
  filter: { entity?: string; entityId?: string; limit: number; offset: number },
): Promise<AuditRecord[]> {
  const where: string[] = [];
  const params: (string | number)[] = [];
  if (filter.entity !== undefined) {
    where.push("entity = ?");
    params.push(filter.entity);
  }
  if (filter.entityId !== undefined) {
    where.push(`"entityId" = ?`);
    params.push(filter.entityId);
  }
  const rows = await q.all<AuditRow>(
    `SELECT id, at, "actorType", "actorId", "actorName", action, entity, "entityId", changes, ip
     FROM "AuditEntry" ${where.length ? `WHERE ${where.join(" AND ")}` : ""}
     ORDER BY at DESC, id DESC LIMIT ? OFFSET ?`,
    [...params, filter.limit, filter.offset],
  );
  return rows.map((r) => ({
    ...r,
    at: isoTime(r.at)!,
    actorType: ActorTypeSchema.parse(r.actorType),
    changes: parseJson(r.changes) as AuditChanges | null,
  }));
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
    changes[String(key)] = secret.includes(key) ? ["(hidden)", "(hidden)"] : [a ?? null, b ?? null];
  }
  return changes;
}
