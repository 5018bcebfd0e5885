// SQL of the user register: staff and responder logins.
import { z } from "zod";
import { UserRoleSchema, type UserRecord, type UserRole } from "../../protocol/index.ts";
import {
  LIKE_ESCAPE,
  isoTime,
  likePattern,
  parseJson,
  placeholders,
  type Queryable,
  type SqlValue,
  type Tx,
} from "../db/sql.ts";

interface UserRow {
  id: number;
  username: string;
  displayName: string;
  role: string;
  responderId: number | null;
  communityIds: string | null;
  disabled: number;
  createdAt: number;
  passwordHash: string;
}

const COLUMNS = `id, username, "displayName", role, "responderId", "communityIds", disabled, "createdAt", "passwordHash"`;
const CommunityIds = z.array(z.number().int()).nullable();

export type UserWithHash = UserRecord & { passwordHash: string };

function toRecord(r: UserRow): UserWithHash {
  return {
    id: r.id,
    username: r.username,
    displayName: r.displayName,
    role: UserRoleSchema.parse(r.role),
    responderId: r.responderId,
    communityIds: CommunityIds.parse(parseJson(r.communityIds)),
    disabled: r.disabled === 1,
    createdAt: isoTime(r.createdAt)!,
    passwordHash: r.passwordHash,
  };
}

export async function findUser(q: Queryable, id: number): Promise<UserWithHash | null> {
  const row = await q.get<UserRow>(`SELECT ${COLUMNS} FROM "User" WHERE id = ?`, [id]);
  return row ? toRecord(row) : null;
}

export async function findByResponder(
  q: Queryable,
  responderIds: readonly number[],
): Promise<UserWithHash[]> {
  if (responderIds.length === 0) return [];
  const rows = await q.all<UserRow>(
    `SELECT ${COLUMNS} FROM "User" WHERE "responderId" IN (${placeholders(responderIds.length)})`,
    responderIds,
  );
  return rows.map(toRecord);
}

export async function usernameTaken(q: Queryable, username: string): Promise<boolean> {
  return (await q.get(`SELECT 1 AS yes FROM "User" WHERE username = ?`, [username])) !== undefined;
}

export async function search(
  q: Queryable,
  f: { term: string | null; role: UserRole | null; limit: number; offset: number },
): Promise<{ items: UserRecord[]; total: number }> {
  const where: string[] = [];
  const params: SqlValue[] = [];
  if (f.term !== null) {
    where.push(`(lower(username) LIKE ? ${LIKE_ESCAPE} OR lower("displayName") LIKE ? ${LIKE_ESCAPE})`);
    params.push(likePattern(f.term), likePattern(f.term));
  }
  if (f.role !== null) {
    where.push(`role = ?`);
    params.push(f.role);
  }
  const cond = where.length ? `WHERE ${where.join(" AND ")}` : "";
  const total = Number(
    (await q.get<{ n: number }>(`SELECT COUNT(*) AS n FROM "User" ${cond}`, params))?.n ?? 0,
  );
  const rows = await q.all<UserRow>(`SELECT ${COLUMNS} FROM "User" ${cond} ORDER BY id LIMIT ? OFFSET ?`, [
    ...params,
    f.limit,
    f.offset,
  ]);
  return { items: rows.map((r) => withoutHash(toRecord(r))), total };
}

export function withoutHash(u: UserWithHash): UserRecord {
  const { passwordHash: _hash, ...rest } = u;
  return rest;
}

export async function insertUser(
  tx: Tx,
  u: {
    username: string;
    displayName: string;
    role: UserRole;
    passwordHash: string;
    responderId: number | null;
    communityIds: number[] | null;
    at: number;
  },
): Promise<number> {
  const row = await tx.get<{ id: number }>(
    `INSERT INTO "User" (username, "displayName", "passwordHash", role, "responderId", "communityIds", disabled, "createdAt")
     VALUES (?, ?, ?, ?, ?, ?, 0, ?) RETURNING id`,
    [
      u.username,
      u.displayName,
      u.passwordHash,
      u.role,
      u.responderId,
      u.communityIds === null ? null : JSON.stringify(u.communityIds),
      u.at,
    ],
  );
  return row!.id;
}

export async function updateUser(
  tx: Tx,
  id: number,
  u: { displayName: string; role: UserRole; communityIds: number[] | null; disabled: boolean },
): Promise<void> {
  await tx.run(
    `UPDATE "User" SET "displayName" = ?, role = ?, "communityIds" = ?, disabled = ? WHERE id = ?`,
    [
      u.displayName,
      u.role,
      u.communityIds === null ? null : JSON.stringify(u.communityIds),
      u.disabled ? 1 : 0,
      id,
    ],
  );
}

export async function setPasswordHash(tx: Tx, id: number, passwordHash: string): Promise<void> {
  await tx.run(`UPDATE "User" SET "passwordHash" = ? WHERE id = ?`, [passwordHash, id]);
}

/** The ids among `ids` that are communities. */
export async function existingCommunities(q: Queryable, ids: readonly number[]): Promise<number[]> {
  if (ids.length === 0) return [];
  const rows = await q.all<{ id: number }>(
    `SELECT id FROM "Community" WHERE id IN (${placeholders(ids.length)})`,
    ids,
  );
  return rows.map((r) => r.id);
}

/** Admins who can still log in: the last one may not lock themselves out. */
export async function activeAdmins(q: Queryable): Promise<number> {
  const row = await q.get<{ n: number }>(
    `SELECT COUNT(*) AS n FROM "User" WHERE role = 'admin' AND disabled = 0`,
  );
  return Number(row?.n ?? 0);
}
