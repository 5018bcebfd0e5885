// SQL of Web Push subscriptions: one row per browser (endpoint), owned by the responder or the
// family member who last subscribed on it.
import type { PushLanguage } from "../../protocol/index.ts";
import type { Queryable, Tx } from "../db/sql.ts";

/** Whose notifications a browser gets: a responder's phone, or a family user's. */
export type PushOwner = { responderId: number } | { familyUserId: number };

export interface SubscriptionRow {
  id: number;
  responderId: number | null;
  userId: number | null;
  endpoint: string;
  p256dh: string;
  auth: string;
  lang: PushLanguage;
}

export interface NewSubscription {
  endpoint: string;
  p256dh: string;
  auth: string;
  lang: PushLanguage;
}

const ownerColumns = (owner: PushOwner): [number | null, number | null] =>
  "responderId" in owner ? [owner.responderId, null] : [null, owner.familyUserId];

const ownerWhere = (owner: PushOwner): { sql: string; id: number } =>
  "responderId" in owner
    ? { sql: `"responderId" = ?`, id: owner.responderId }
    : { sql: `"userId" = ?`, id: owner.familyUserId };

/** The same browser subscribing again (or for someone else after a new login) replaces its row. */
export async function upsertSubscription(
  tx: Tx,
  owner: PushOwner,
  s: NewSubscription,
  at: number,
): Promise<void> {
  await tx.run(
    `INSERT INTO "PushSubscription" ("responderId", "userId", endpoint, p256dh, auth, lang, "createdAt", failures)
     VALUES (?, ?, ?, ?, ?, ?, ?, 0)
     ON CONFLICT (endpoint) DO UPDATE SET "responderId" = excluded."responderId",
       "userId" = excluded."userId", p256dh = excluded.p256dh, auth = excluded.auth,
       lang = excluded.lang, failures = 0`,
    [...ownerColumns(owner), s.endpoint, s.p256dh, s.auth, s.lang, at],
  );
}

export async function deleteSubscription(tx: Tx, endpoint: string, owner: PushOwner): Promise<void> {
  const where = ownerWhere(owner);
  await tx.run(`DELETE FROM "PushSubscription" WHERE endpoint = ? AND ${where.sql}`, [endpoint, where.id]);
}

export function subscriptionsOf(q: Queryable, owner: PushOwner): Promise<SubscriptionRow[]> {
  const where = ownerWhere(owner);
  return q.all<SubscriptionRow>(
    `SELECT id, "responderId", "userId", endpoint, p256dh, auth, lang FROM "PushSubscription"
     WHERE ${where.sql}`,
    [where.id],
  );
}

/** Responders' browsers only: presence counts a push-only phone as reachable. */
export function subscriptionCounts(q: Queryable): Promise<{ responderId: number; n: number }[]> {
  return q.all<{ responderId: number; n: number }>(
    `SELECT "responderId", COUNT(*) AS n FROM "PushSubscription" WHERE "responderId" IS NOT NULL
     GROUP BY "responderId"`,
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
