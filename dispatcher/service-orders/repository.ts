// SQL of service orders, and of the service log entry and volunteer hours a finished one writes.
import {
  REQUEST_ORIGINS,
  type OrderOrigin,
  type ServiceKind,
  type ServiceOrderStatus,
} from "../../protocol/index.ts";
import { placeholders, scopeCondition, type Queryable, type Tx } from "../db/sql.ts";

export interface OrderRow {
  id: number;
  residentId: number;
  residentName: string;
  residentPhone: string;
  address: string;
  communityId: number;
  communityName: string;
  service: ServiceKind;
  windowFrom: number;
  windowTo: number;
  notes: string;
  origin: OrderOrigin;
  caseId: number | null;
  status: ServiceOrderStatus;
  responderId: number | null;
  responderName: string | null;
  claimed: boolean;
  minutes: number | null;
  report: string | null;
  cancelReason: string | null;
  createdAt: number;
  remindedAt: number | null;
  doneAt: number | null;
  requests: number;
  lastRequestAt: number | null;
}

const SELECT = `SELECT o.id, o."residentId", r.name AS "residentName", r.phone AS "residentPhone", r.address,
  o."communityId", cm.name AS "communityName", o.service, o."windowFrom", o."windowTo", o.notes, o.origin,
  o."caseId", o.status, o."responderId", p.name AS "responderName", o.claimed, o.minutes, o.report,
  o."cancelReason", o."createdAt", o."remindedAt", o."doneAt", o.requests, o."lastRequestAt"
  FROM "ServiceOrder" o JOIN "Resident" r ON r.id = o."residentId" JOIN "Community" cm ON cm.id = o."communityId"
  LEFT JOIN "Responder" p ON p.id = o."responderId"`;

type Raw = Omit<OrderRow, "claimed"> & { claimed: number };
const fromRaw = (r: Raw): OrderRow => ({ ...r, claimed: r.claimed === 1 });

export async function findOrder(q: Queryable, id: number): Promise<OrderRow | undefined> {
  const row = await q.get<Raw>(`${SELECT} WHERE o.id = ?`, [id]);
  return row && fromRaw(row);
}

export async function listOrders(
  q: Queryable,
  o: { statuses: readonly ServiceOrderStatus[]; scope: readonly number[] | null; limit: number },
): Promise<OrderRow[]> {
  const s = scopeCondition(`o."communityId"`, o.scope);
  const rows = await q.all<Raw>(
    `${SELECT} WHERE o.status IN (${placeholders(o.statuses.length)})${s ? ` AND ${s.sql}` : ""}
     ORDER BY o."windowFrom", o.id LIMIT ?`,
    [...o.statuses, ...(s?.params ?? []), o.limit],
  );
  return rows.map(fromRaw);
}

/** Published orders of a community, soonest window first. */
export async function publishedIn(q: Queryable, communityId: number): Promise<OrderRow[]> {
  const rows = await q.all<Raw>(
    `${SELECT} WHERE o.status = ? AND o."communityId" = ? ORDER BY o."windowFrom", o.id LIMIT 100`,
    ["published", communityId],
  );
  return rows.map(fromRaw);
}

export async function ordersOf(q: Queryable, responderId: number, statuses: readonly ServiceOrderStatus[]) {
  const rows = await q.all<Raw>(
    `${SELECT} WHERE o."responderId" = ? AND o.status IN (${placeholders(statuses.length)})
     ORDER BY o."windowFrom", o.id LIMIT 100`,
    [responderId, ...statuses],
  );
  return rows.map(fromRaw);
}

/** Orders whose responder is to be reminded by `now`. */
export async function dueForReminder(q: Queryable, remindBeforeMs: number, now: number): Promise<OrderRow[]> {
  const rows = await q.all<Raw>(
    `${SELECT} WHERE o.status IN (?, ?) AND o."responderId" IS NOT NULL AND o."remindedAt" IS NULL
       AND o."windowFrom" <= ? ORDER BY o."windowFrom" LIMIT 500`,
    ["assigned", "confirmed", now + remindBeforeMs],
  );
  return rows.map(fromRaw);
}

/**
 * The resident's newest open order they asked for themselves (by a press or a call) for
 * `service`: the one a further request joins.
 */
export async function openRequestOf(
  q: Queryable,
  residentId: number,
  service: ServiceKind,
  openStatuses: readonly ServiceOrderStatus[],
): Promise<OrderRow | undefined> {
  const row = await q.get<Raw>(
    `${SELECT} WHERE o."residentId" = ? AND o.service = ? AND o.origin IN (${placeholders(REQUEST_ORIGINS.length)})
       AND o.status IN (${placeholders(openStatuses.length)}) ORDER BY o.id DESC LIMIT 1`,
    [residentId, service, ...REQUEST_ORIGINS, ...openStatuses],
  );
  return row && fromRaw(row);
}

/** One more request joined the order; `note` (the caller's words) is added to its notes. */
export async function addRequest(tx: Tx, id: number, at: number, note: string): Promise<void> {
  await tx.run(
    `UPDATE "ServiceOrder" SET requests = requests + 1, "lastRequestAt" = ?, "updatedAt" = ?,
       notes = CASE WHEN ? = '' THEN notes WHEN notes = '' THEN ? ELSE notes || ? END
     WHERE id = ?`,
    [at, at, note, note, `\n${note}`, id],
  );
}

export function residentHome(
  q: Queryable,
  residentId: number,
): Promise<{ communityId: number; retiredAt: number | null } | undefined> {
  return q.get(`SELECT "communityId", "retiredAt" FROM "Resident" WHERE id = ?`, [residentId]);
}

export async function insertOrder(
  tx: Tx,
  o: {
    residentId: number;
    communityId: number;
    service: ServiceKind;
    windowFrom: number;
    windowTo: number;
    notes: string;
    origin: OrderOrigin;
    caseId: number | null;
    createdById: number | null;
    at: number;
  },
): Promise<number> {
  const row = await tx.get<{ id: number }>(
    `INSERT INTO "ServiceOrder" ("residentId", "communityId", service, "windowFrom", "windowTo", notes, origin,
       "caseId", status, claimed, "createdById", "createdAt", "updatedAt")
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?) RETURNING id`,
    [
      o.residentId,
      o.communityId,
      o.service,
      o.windowFrom,
      o.windowTo,
      o.notes,
      o.origin,
      o.caseId,
      "queued",
      o.createdById,
      o.at,
      o.at,
    ],
  );
  return row!.id;
}

/**
 * Moves an order on, only if it is still in the state the decision was taken from (another
 * volunteer may have claimed it a moment earlier): answers whether it moved.
 */
export async function moveOrder(
  tx: Tx,
  id: number,
  from: { status: ServiceOrderStatus; responderId: number | null },
  to: {
    status: ServiceOrderStatus;
    responderId: number | null;
    claimed: boolean;
    at: number;
    minutes?: number;
    report?: string;
    cancelReason?: string;
  },
): Promise<boolean> {
  const r = await tx.run(
    `UPDATE "ServiceOrder" SET status = ?, "responderId" = ?, claimed = ?, "updatedAt" = ?,
       minutes = COALESCE(?, minutes), report = COALESCE(?, report), "cancelReason" = COALESCE(?, "cancelReason"),
       "doneAt" = CASE WHEN ? = 'done' THEN ? ELSE "doneAt" END,
       "remindedAt" = CASE WHEN ? = "responderId" THEN "remindedAt" ELSE NULL END
     WHERE id = ? AND status = ? AND COALESCE("responderId", 0) = ?`,
    [
      to.status,
      to.responderId,
      to.claimed ? 1 : 0,
      to.at,
      to.minutes ?? null,
      to.report ?? null,
      to.cancelReason ?? null,
      to.status,
      to.at,
      to.responderId,
      id,
      from.status,
      from.responderId ?? 0,
    ],
  );
  return r.changes === 1;
}

export async function markReminded(tx: Tx, id: number, at: number): Promise<void> {
  await tx.run(`UPDATE "ServiceOrder" SET "remindedAt" = ? WHERE id = ?`, [at, id]);
}

/** 民情日记 of a finished order, and its hours on the responder's record. */
export async function logServiceDone(
  tx: Tx,
  o: {
    orderId: number;
    residentId: number;
    responderId: number;
    at: number;
    content: string;
    minutes: number;
  },
): Promise<void> {
  await tx.run(
    `INSERT INTO "ServiceLog" ("residentId", "responderId", at, place, content, "durationMinutes", kind, "serviceOrderId")
     SELECT r.id, ?, ?, r.address, ?, ?, ?, ? FROM "Resident" r WHERE r.id = ?`,
    [o.responderId, o.at, o.content, o.minutes, "service_order", o.orderId, o.residentId],
  );
  await tx.run(`UPDATE "Responder" SET "volunteerHours" = "volunteerHours" + ? WHERE id = ?`, [
    o.minutes / 60,
    o.responderId,
  ]);
}
