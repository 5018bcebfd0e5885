// SQL of Web Push subscriptions: one row per browser (endpoint), owned by the responder who last
// subscribed on it.
import type { PushLanguage } from "../../protocol/index.ts";
import type { Queryable, Tx } from "../db/sql.ts";

export interface SubscriptionRow {
  id: number;
  responderId: number;
  endpoint: string;
  p256dh: string;
  auth: string;
  lang: PushLanguage;
}

/** The same browser subscribing again (or for another responder after a new login) replaces its row. */
export async function upsertSubscription(tx: Tx, s: Omit<SubscriptionRow, "id">, at: number): Promise<void> {
  await tx.run(
    `INSERT INTO "PushSubscription" ("responderId", endpoint, p256dh, auth, lang, "createdAt", failures)
     VALUES (?, ?, ?, ?, ?, ?, 0)
     ON CONFLICT (endpoint) DO UPDATE SET "responderId" = excluded."responderId",
       p256dh = excluded.p256dh, auth = excluded.auth, lang = excluded.lang, failures = 0`,
    [s.responderId, s.endpoint, s.p256dh, s.auth, s.lang, at],
  );
}

export async function deleteSubscription(
  tx: Tx,
  where: { endpoint: string; responderId?: number },
): Promise<void> {
  if (where.responderId === undefined) {
    await tx.run(`DELETE FROM "PushSubscription" WHERE endpoint = ?`, [where.endpoint]);
  } else {
    await tx.run(`DELETE FROM "PushSubscription" WHERE endpoint = ? AND "responderId" = ?`, [
      where.endpoint,
      where.responderId,
    ]);
  }
}

export function subscriptionsOf(q: Queryable, responderId: number): Promise<SubscriptionRow[]> {
  return q.all<SubscriptionRow>(
    `SELECT id, "responderId", endpoint, p256dh, auth, lang FROM "PushSubscription" WHERE "responderId" = ?`,
    [responderId],
  );
}

export function subscriptionCounts(q: Queryable): Promise<{ responderId: number; n: number }[]> {
  return q.all<{ responderId: number; n: number }>(
    `SELECT "responderId", COUNT(*) AS n FROM "PushSubscription" GROUP BY "responderId"`,
  );
}

export async function markDelivered(tx: Tx, id: number, at: number): Promise<void> {
  await tx.run(`UPDATE "PushSubscription" SET "lastSuccessAt" = ?, failures = 0 WHERE id = ?`, [at, id]);
}

export async function markFailed(tx: Tx, id: number): Promise<void> {
  await tx.run(`UPDATE "PushSubscription" SET failures = failures + 1 WHERE id = ?`, [id]);
}

/** The push service said the subscription is gone (404/410): it will never deliver again. */
export async function deleteById(tx: Tx, id: number): Promise<void> {
  await tx.run(`DELETE FROM "PushSubscription" WHERE id = ?`, [id]);
}
