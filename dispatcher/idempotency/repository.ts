// SQL of idempotency keys: which answer a user's request with a given key got.
import type { Queryable, Tx } from "../db/sql.ts";

export interface KeyRow {
  fingerprint: string;
  /** null while the first request is still being answered. */
  status: number | null;
  body: string | null;
  createdAt: number;
}

export function findKey(q: Queryable, userId: number, key: string): Promise<KeyRow | undefined> {
  return q.get<KeyRow>(
    `SELECT fingerprint, status, body, "createdAt" FROM "IdempotencyKey" WHERE "userId" = ? AND key = ?`,
    [userId, key],
  );
}

/** Claims the key; false if another request holds it already. */
export async function claimKey(
  tx: Tx,
  userId: number,
  key: string,
  fingerprint: string,
  at: number,
): Promise<boolean> {
  const row = await tx.get<{ userId: number }>(
    `INSERT INTO "IdempotencyKey" ("userId", key, fingerprint, "createdAt") VALUES (?, ?, ?, ?)
     ON CONFLICT ("userId", key) DO NOTHING RETURNING "userId"`,
    [userId, key, fingerprint, at],
  );
  return row !== undefined;
}

export async function storeAnswer(
  tx: Tx,
  userId: number,
  key: string,
  status: number,
  body: string | null,
): Promise<void> {
  await tx.run(`UPDATE "IdempotencyKey" SET status = ?, body = ? WHERE "userId" = ? AND key = ?`, [
    status,
    body,
    userId,
    key,
  ]);
}

export async function releaseKey(tx: Tx, userId: number, key: string): Promise<void> {
  await tx.run(`DELETE FROM "IdempotencyKey" WHERE "userId" = ? AND key = ?`, [userId, key]);
}

export async function purgeBefore(tx: Tx, before: number): Promise<number> {
  const r = await tx.run(`DELETE FROM "IdempotencyKey" WHERE "createdAt" < ?`, [before]);
  return r.changes;
}
