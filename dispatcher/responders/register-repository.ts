// SQL of the responder register: records, search, enrolment, changes, retirement.
import {
  ResponderRoleSchema,
  SkillSchema,
  TransportModeSchema,
  type RecordStatus,
  type ResponderRecord,
  type ResponderRole,
} from "../../protocol/index.ts";
import {
  LIKE_ESCAPE,
  isoTime,
  likePattern,
  scopeCondition,
  type Queryable,
  type SqlValue,
  type Tx,
} from "../db/sql.ts";

interface Row {
  id: number;
  name: string;
  phone: string;
  role: string;
  skills: string;
  transport: string;
  communityId: number;
  communityName: string;
  volunteerHours: number;
  onDuty: number;
  createdAt: number;
  retiredAt: number | null;
}

const SELECT = `
  SELECT p.id, p.name, p.phone, p.role, p.skills, p.transport, p."communityId", c.name AS "communityName",
         p."volunteerHours", p."onDuty", p."createdAt", p."retiredAt"
  FROM "Responder" p JOIN "Community" c ON c.id = p."communityId"`;

/** A responder's own fields; the register adds the login and the paired households. */
export type ResponderBase = Omit<ResponderRecord, "account" | "pairedResidents">;

function toBase(r: Row): ResponderBase {
  return {
    id: r.id,
    name: r.name,
    phone: r.phone,
    role: ResponderRoleSchema.parse(r.role),
    skills: SkillSchema.array().parse(JSON.parse(r.skills)),
    transport: TransportModeSchema.parse(r.transport),
    communityId: r.communityId,
    communityName: r.communityName,
    volunteerHours: r.volunteerHours,
    onDuty: r.onDuty === 1,
    createdAt: isoTime(r.createdAt)!,
    retiredAt: isoTime(r.retiredAt),
  };
}

export async function findBase(q: Queryable, id: number): Promise<ResponderBase | null> {
  const row = await q.get<Row>(`${SELECT} WHERE p.id = ?`, [id]);
  return row ? toBase(row) : null;
}

export async function search(
  q: Queryable,
  f: {
    term: string | null;
    communityId: number | null;
    role: ResponderRole | null;
    status: RecordStatus;
    scope: readonly number[] | null;
    limit: number;
    offset: number;
  },
): Promise<{ items: ResponderBase[]; total: number }> {
  const where: string[] = [];
  const params: SqlValue[] = [];
  if (f.term !== null) {
    where.push(`(lower(p.name) LIKE ? ${LIKE_ESCAPE} OR p.phone LIKE ? ${LIKE_ESCAPE})`);
    params.push(likePattern(f.term), likePattern(f.term));
  }
  if (f.communityId !== null) {
    where.push(`p."communityId" = ?`);
    params.push(f.communityId);
  }
  if (f.role !== null) {
    where.push(`p.role = ?`);
    params.push(f.role);
  }
  if (f.status !== "all") where.push(`p."retiredAt" IS ${f.status === "retired" ? "NOT NULL" : "NULL"}`);
  const scope = scopeCondition(`p."communityId"`, f.scope);
  if (scope) {
    where.push(scope.sql);
    params.push(...scope.params);
  }
  const cond = where.length ? `WHERE ${where.join(" AND ")}` : "";
  const total = Number(
    (await q.get<{ n: number }>(`SELECT COUNT(*) AS n FROM "Responder" p ${cond}`, params))?.n ?? 0,
  );
  const rows = await q.all<Row>(`${SELECT} ${cond} ORDER BY p.id DESC LIMIT ? OFFSET ?`, [
    ...params,
    f.limit,
    f.offset,
  ]);
  return { items: rows.map(toBase), total };
}

export interface ResponderFields {
  name: string;
  phone: string;
  role: ResponderRole;
  skills: string[];
  transport: string;
  communityId: number;
}

export async function insertResponder(tx: Tx, f: ResponderFields, at: number): Promise<number> {
  const row = await tx.get<{ id: number }>(
    `INSERT INTO "Responder" (name, phone, role, "communityId", skills, transport, "onDuty", "volunteerHours", "createdAt")
     VALUES (?, ?, ?, ?, ?, ?, 0, 0, ?) RETURNING id`,
    [f.name, f.phone, f.role, f.communityId, JSON.stringify(f.skills), f.transport, at],
  );
  return row!.id;
}

export async function updateResponder(tx: Tx, id: number, f: ResponderFields): Promise<void> {
  await tx.run(
    `UPDATE "Responder" SET name = ?, phone = ?, role = ?, "communityId" = ?, skills = ?, transport = ? WHERE id = ?`,
    [f.name, f.phone, f.role, f.communityId, JSON.stringify(f.skills), f.transport, id],
  );
}

/** Off duty for good: matching never sees them again. */
export async function retireResponder(tx: Tx, id: number, at: number): Promise<void> {
  await tx.run(`UPDATE "Responder" SET "retiredAt" = ?, "onDuty" = 0 WHERE id = ?`, [at, id]);
}

export async function communityExists(q: Queryable, id: number): Promise<boolean> {
  return (await q.get(`SELECT 1 AS yes FROM "Community" WHERE id = ?`, [id])) !== undefined;
}
