// The SQL of the leader lease (decision 0017). The lock itself is a session-level advisory lock
// on the lease's own connection; the epoch row fences the leader's writes. PostgreSQL only:
// cluster mode requires it (config), so `FOR SHARE` and the advisory lock functions are fine here.
import type pg from "pg";
import type { SqlDatabase, Tx } from "../db/sql.ts";

export const LEASE_ID = "dispatch";
/** The advisory lock key of the lease; any fixed number no other lock uses (migrations use 72707369). */
export const LEASE_LOCK_KEY = 0x110_0017;

export interface LeaderInfo {
  epoch: number;
  instance: string;
  httpUrl: string;
}

/** On the lease's own session: true when this session now holds the lock (or already did). */
export async function tryLock(session: pg.ClientBase): Promise<boolean> {
  const r = await session.query<{ ok: boolean }>(`SELECT pg_try_advisory_lock($1) AS ok`, [LEASE_LOCK_KEY]);
  return r.rows[0]?.ok === true;
}

/** The next epoch, with this instance named as its holder. Waits for the fenced writes of the last one. */
export async function takeEpoch(
  db: SqlDatabase,
  instance: string,
  httpUrl: string,
  now: number,
): Promise<number> {
  const row = await db.write((tx) =>
    tx.get<{ epoch: number }>(
      `INSERT INTO "Leadership" ("id", "epoch", "instance", "httpUrl", "since") VALUES (?, 1, ?, ?, ?)
       ON CONFLICT ("id") DO UPDATE SET "epoch" = "Leadership"."epoch" + 1, "instance" = excluded."instance",
         "httpUrl" = excluded."httpUrl", "since" = excluded."since"
       RETURNING "epoch"`,
      [LEASE_ID, instance, httpUrl, now],
    ),
  );
  if (!row) throw new Error("the lease row was not written");
  return row.epoch;
}

/**
 * The epoch as it is now, its row share-locked until the transaction ends: a takeover's epoch
 * UPDATE waits for this transaction, and a transaction after the takeover sees the new epoch.
 */
export async function currentEpoch(tx: Tx): Promise<number | null> {
  const row = await tx.get<{ epoch: number }>(`SELECT "epoch" FROM "Leadership" WHERE "id" = ? FOR SHARE`, [
    LEASE_ID,
  ]);
  return row?.epoch ?? null;
}

export async function findLeader(db: SqlDatabase): Promise<LeaderInfo | null> {
  const row = await db.get<LeaderInfo>(
    `SELECT "epoch", "instance", "httpUrl" FROM "Leadership" WHERE "id" = ?`,
    [LEASE_ID],
  );
  return row ?? null;
}
