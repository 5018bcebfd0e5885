// SQL of logins and sessions.
import type { Queryable, Tx } from "../db/sql.ts";

export interface UserRow {
  id: number;
  username: string;
  displayName: string;
  passwordHash: string;
  role: string;
  responderId: number | null;
  disabled: number;
  /** JSON text of number[], or null. */
  communityIds: string | null;
}

const USER_COLUMNS = `u.id, u.username, u."displayName", u."passwordHash", u.role, u."responderId",
  u.disabled, u."communityIds"`;

export function findUser(q: Queryable, username: string): Promise<UserRow | undefined> {
  return q.get<UserRow>(`SELECT ${USER_COLUMNS} FROM "User" u WHERE u.username = ?`, [username]);
}

export async function insertSession(
  tx: Tx,
  s: { id: string; userId: number; createdAt: number; expiresAt: number },
): Promise<void> {
  await tx.run(`INSERT INTO "Session" (id, "userId", "createdAt", "expiresAt") VALUES (?, ?, ?, ?)`, [
    s.id,
    s.userId,
    s.createdAt,
    s.expiresAt,
  ]);
}

export function findSession(
  q: Queryable,
  id: string,
): Promise<(UserRow & { expiresAt: number }) | undefined> {
  return q.get(
    `SELECT ${USER_COLUMNS}, s."expiresAt" FROM "Session" s JOIN "User" u ON u.id = s."userId" WHERE s.id = ?`,
    [id],
  );
}

export async function deleteSession(tx: Tx, id: string): Promise<void> {
  await tx.run(`DELETE FROM "Session" WHERE id = ?`, [id]);
}

/** Every session of the user but `keep` (a session id, or null for none). */
export async function deleteSessionsOf(tx: Tx, userId: number, keep: string | null): Promise<void> {
  await tx.run(`DELETE FROM "Session" WHERE "userId" = ? AND id <> ?`, [userId, keep ?? ""]);
}
