// SQL of cases, their offers and their timeline. Writes take the transaction they belong to;
// reads take any Queryable (the database for committed data, or the transaction itself).
import {
  ACTIVE_CASE_STATUSES,
  ASSIGNED_CASE_STATUSES,
  sqlList,
  type CaseKind,
  type CaseStatus,
  type CaseType,
  type LivingSituation,
  type ServiceLogKind,
  type OfferStatus,
  ActorTypeSchema,
  CallDirectionSchema,
  CallOutcomeSchema,
  CallPartySchema,
  type CallDto,
} from "../../protocol/index.ts";
import { isoTime, placeholders, type Queryable, type SqlValue, type Tx } from "../db/sql.ts";
import type { CaseSite } from "./dispatch-model.ts";
import type { ResponderWork } from "../responders/registry.ts";
import type { Actor, CallRecord, CaseState, OfferState } from "./state.ts";

const CASE_COLUMNS = [
  "type",
  "kind",
  "priority",
  "status",
  "escalated",
  "escalationReason",
  "service",
  "residentId",
  "deviceId",
  "openingEventId",
  "communityId",
  "responderId",
  "assignedByStaff",
  "etaSeconds",
  "pressCount",
  "offerRound",
  "createdAt",
  "updatedAt",
  "acceptedAt",
  "arrivedAt",
  "resolvedAt",
  "closedAt",
  "cancelledAt",
  "offerDeadline",
  "escalationDeadline",
  "staffAckAt",
  "resolutionNote",
  "lat",
  "lng",
  "locationAccuracy",
  "locationFixAt",
  "away",
] as const satisfies readonly (keyof CaseState)[];

const quoted = CASE_COLUMNS.map((c) => `"${c}"`);
const INSERT_CASE = `INSERT INTO "Case" (${quoted.join(", ")}) VALUES (${placeholders(quoted.length)}) RETURNING id`;
const UPDATE_CASE = `UPDATE "Case" SET ${quoted.map((c) => `${c} = ?`).join(", ")} WHERE id = ?`;
const OFFER_COLUMNS = `id, "caseId", "responderId", status, "etaSeconds", "distanceMeters", "createdAt", deadline, "respondedAt"`;

export type CaseRow = Omit<CaseState, "offers" | "escalated" | "away" | "assignedByStaff"> & {
  escalated: number;
  away: number;
  assignedByStaff: number;
};
type OfferRow = OfferState & { id: number; caseId: number };

export async function insertCase(tx: Tx, state: CaseState): Promise<number> {
  const row = await tx.get<{ id: number }>(INSERT_CASE, caseValues(state));
  const id = row!.id;
  await saveOffers(tx, id, state.offers);
  return id;
}

export async function saveCase(tx: Tx, state: CaseState): Promise<void> {
  await tx.run(UPDATE_CASE, [...caseValues(state), state.id]);
  await saveOffers(tx, state.id, state.offers);
}

/** Inserts new offers (filling in their ids) and updates the answered ones. */
async function saveOffers(tx: Tx, caseId: number, offers: OfferState[]): Promise<void> {
  for (const o of offers) {
    if (o.id === null) {
      const row = await tx.get<{ id: number }>(
        `INSERT INTO "Offer" ("caseId", "responderId", status, "etaSeconds", "distanceMeters", "createdAt", deadline, "respondedAt")
         VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
        [
          caseId,
          o.responderId,
          o.status,
          o.etaSeconds,
          o.distanceMeters,
          o.createdAt,
          o.deadline,
          o.respondedAt,
        ],
      );
      o.id = row!.id;
    } else {
      await tx.run(`UPDATE "Offer" SET status = ?, "respondedAt" = ? WHERE id = ?`, [
        o.status,
        o.respondedAt,
        o.id,
      ]);
    }
  }
}

export async function loadCase(q: Queryable, id: number): Promise<CaseState | null> {
  const row = await q.get<CaseRow>(`SELECT * FROM "Case" WHERE id = ?`, [id]);
  if (!row) return null;
  const offers = await q.all<OfferRow>(
    `SELECT ${OFFER_COLUMNS} FROM "Offer" WHERE "caseId" = ? ORDER BY id`,
    [id],
  );
  return {
    ...row,
    escalated: row.escalated === 1,
    away: row.away === 1,
    assignedByStaff: row.assignedByStaff === 1,
    offers: offers.map(toOfferState),
  };
}

export async function addEvent(
  tx: Tx,
  caseId: number,
  e: { type: string; actor: Actor; at: number; note: string | null; data: unknown },
): Promise<void> {
  await tx.run(
    `INSERT INTO "CaseEvent" ("caseId", type, "actorType", "actorId", "actorName", at, note, data)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    [
      caseId,
      e.type,
      e.actor.type,
      e.actor.id,
      e.actor.name,
      e.at,
      e.note,
      e.data === null ? null : JSON.stringify(e.data),
    ],
  );
}

export async function addFollowUp(
  tx: Tx,
  f: { caseId: number; staffId: number | null; at: number; outcome: string; note: string | null },
): Promise<void> {
  await tx.run(`INSERT INTO "FollowUp" ("caseId", "staffId", at, outcome, note) VALUES (?, ?, ?, ?, ?)`, [
    f.caseId,
    f.staffId,
    f.at,
    f.outcome,
    f.note,
  ]);
}

export async function addCall(
  tx: Tx,
  c: { caseId: number; at: number; call: CallRecord; actor: Actor },
): Promise<void> {
  await tx.run(
    `INSERT INTO "CaseCall" ("caseId", at, direction, party, number, name, outcome, note, "actorType", "actorId", "actorName")
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [
      c.caseId,
      c.at,
      c.call.direction,
      c.call.party,
      c.call.number,
      c.call.name,
      c.call.outcome,
      c.call.note,
      c.actor.type,
      c.actor.id,
      c.actor.name,
    ],
  );
}

interface CallRow {
  id: number;
  caseId: number;
  at: number;
  direction: string;
  party: string;
  number: string | null;
  name: string | null;
  outcome: string;
  note: string | null;
  actorType: string;
  actorId: string | null;
  actorName: string | null;
}

/** The case's phone log, oldest first. */
export async function listCalls(q: Queryable, caseId: number): Promise<CallDto[]> {
  const rows = await q.all<CallRow>(
    `SELECT id, "caseId", at, direction, party, number, name, outcome, note, "actorType", "actorId", "actorName"
     FROM "CaseCall" WHERE "caseId" = ? ORDER BY at, id`,
    [caseId],
  );
  return rows.map((r) => ({
    id: r.id,
    caseId: r.caseId,
    at: isoTime(r.at)!,
    direction: CallDirectionSchema.parse(r.direction),
    party: CallPartySchema.parse(r.party),
    number: r.number,
    name: r.name,
    outcome: CallOutcomeSchema.parse(r.outcome),
    note: r.note,
    actorType: ActorTypeSchema.parse(r.actorType),
    actorId: r.actorId,
    actorName: r.actorName,
  }));
}

/** 民情日记: the service given, at the resident's address. */
export async function addServiceLog(
  tx: Tx,
  s: {
    caseId: number;
    responderId: number | null;
    at: number;
    content: string;
    durationMinutes: number | null;
    kind: ServiceLogKind;
  },
): Promise<void> {
  await tx.run(
    `INSERT INTO "ServiceLog" ("caseId", "residentId", "responderId", at, place, content, "durationMinutes", kind)
     SELECT c.id, c."residentId", ?, ?, r.address, ?, ?, ? FROM "Case" c JOIN "Resident" r ON r.id = c."residentId" WHERE c.id = ?`,
    [s.responderId, s.at, s.content, s.durationMinutes, s.kind, s.caseId],
  );
}

/** The resident's cases someone still has to act on, newest first. */
export function activeCasesOf(
  q: Queryable,
  residentId: number,
): Promise<{ id: number; kind: CaseKind; type: CaseType }[]> {
  return q.all(
    `SELECT id, kind, type FROM "Case" WHERE "residentId" = ? AND status IN (${sqlList(ACTIVE_CASE_STATUSES)})
     ORDER BY id DESC`,
    [residentId],
  );
}

/**
 * A resident whose device failing is an emergency in itself: bedridden (失能), or with an
 * emergency of the top priority open right now.
 */
export async function isHighRisk(q: Queryable, residentId: number): Promise<boolean> {
  const disabled: LivingSituation = "disabled";
  const emergency: CaseKind = "emergency";
  const row = await q.get<{ risk: number }>(
    `SELECT CASE WHEN r."livingSituation" = ? OR EXISTS (
       SELECT 1 FROM "Case" c WHERE c."residentId" = r.id AND c.kind = ? AND c.priority = 1
         AND c.status IN (${sqlList(ACTIVE_CASE_STATUSES)})
     ) THEN 1 ELSE 0 END AS risk FROM "Resident" r WHERE r.id = ?`,
    [disabled, emergency, residentId],
  );
  return row?.risk === 1;
}

/** The case of an offer made to this responder. */
export async function caseOfOffer(
  q: Queryable,
  offerId: number,
  responderId: number,
): Promise<number | null> {
  const row = await q.get<{ caseId: number }>(
    `SELECT "caseId" FROM "Offer" WHERE id = ? AND "responderId" = ?`,
    [offerId, responderId],
  );
  return row?.caseId ?? null;
}

const CLOSED: CaseStatus = "closed";

export async function openCaseIds(q: Queryable): Promise<number[]> {
  return (await q.all<{ id: number }>(`SELECT id FROM "Case" WHERE status <> ?`, [CLOSED])).map((r) => r.id);
}

/** The offers a responder has yet to answer. */
export async function pendingOffersFor(
  q: Queryable,
  responderId: number,
): Promise<(OfferState & { caseId: number })[]> {
  const pending: OfferStatus = "pending";
  const rows = await q.all<OfferRow>(
    `SELECT ${OFFER_COLUMNS} FROM "Offer" WHERE "responderId" = ? AND status = ? ORDER BY id`,
    [responderId, pending],
  );
  return rows.map((o) => ({ ...toOfferState(o), caseId: o.caseId }));
}

/**
 * Who holds an offer or works a case, straight from the cases so it can never drift;
 * `responderIds` limits it to those (indexed lookups), otherwise everyone.
 */
export async function responderWork(
  q: Queryable,
  responderIds?: readonly number[],
): Promise<Map<number, ResponderWork>> {
  if (responderIds?.length === 0) return new Map();
  const only = responderIds ? ` AND "responderId" IN (${placeholders(responderIds.length)})` : "";
  const ids = responderIds ?? [];
  const pending: OfferStatus = "pending";
  const offered = await q.all<{ responderId: number; caseId: number }>(
    `SELECT "responderId", "caseId" FROM "Offer" WHERE status = ?${only}`,
    [pending, ...ids],
  );
  const assigned = await q.all<{ responderId: number; caseId: number; status: ResponderWork["activity"] }>(
    `SELECT "responderId", id AS "caseId", status FROM "Case"
     WHERE "responderId" IS NOT NULL AND status IN (${sqlList(ASSIGNED_CASE_STATUSES)})${only}`,
    ids,
  );
  const work = new Map<number, ResponderWork>();
  for (const o of offered) work.set(o.responderId, { activity: "offered", caseId: o.caseId });
  // Working a case outranks holding another offer.
  for (const c of assigned) work.set(c.responderId, { activity: c.status, caseId: c.caseId });
  return work;
}

/** Where a case is and who the resident's paired volunteer is: what matching needs besides its state. */
export function siteOf(q: Queryable, caseId: number): Promise<CaseSite | undefined> {
  return q.get<CaseSite>(
    `SELECT COALESCE(c.lat, r.lat) AS lat, COALESCE(c.lng, r.lng) AS lng, c."communityId", r."pairedVolunteerId", c.service
     FROM "Case" c JOIN "Resident" r ON r.id = c."residentId" WHERE c.id = ?`,
    [caseId],
  );
}

function caseValues(s: CaseState): SqlValue[] {
  return CASE_COLUMNS.map((c) => {
    const v = s[c];
    return typeof v === "boolean" ? (v ? 1 : 0) : v;
  });
}

function toOfferState(o: OfferRow): OfferState {
  return {
    id: o.id,
    responderId: o.responderId,
    status: o.status,
    etaSeconds: o.etaSeconds,
    distanceMeters: o.distanceMeters,
    createdAt: o.createdAt,
    deadline: o.deadline,
    respondedAt: o.respondedAt,
  };
}
