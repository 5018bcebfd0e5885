// SQL of responders: the roster, duty and last known positions.
import type { ResponderRole, TransportMode } from "../../protocol/index.ts";
import type { Queryable, Tx } from "../db/sql.ts";

export interface ResponderRow {
  id: number;
  name: string;
  phone: string;
  role: ResponderRole;
  /** JSON text: Skill[]. */
  skills: string;
  transport: TransportMode;
  communityId: number;
  onDuty: number;
  lat: number | null;
  lng: number | null;
  locationAt: number | null;
}

const COLUMNS = `id, name, phone, role, skills, transport, "communityId", "onDuty", lat, lng, "locationAt"`;

/** Responders in service (not retired): the roster matching sees. */
export function allResponders(q: Queryable): Promise<ResponderRow[]> {
  return q.all<ResponderRow>(`SELECT ${COLUMNS} FROM "Responder" WHERE "retiredAt" IS NULL`);
}

export function findResponder(q: Queryable, id: number): Promise<ResponderRow | undefined> {
  return q.get<ResponderRow>(`SELECT ${COLUMNS} FROM "Responder" WHERE id = ? AND "retiredAt" IS NULL`, [id]);
}

export async function setDuty(tx: Tx, id: number, onDuty: boolean): Promise<void> {
  await tx.run(`UPDATE "Responder" SET "onDuty" = ? WHERE id = ?`, [onDuty ? 1 : 0, id]);
}

export async function setLocation(
  tx: Tx,
  id: number,
  at: { lat: number | null; lng: number | null; locationAt: number | null },
): Promise<void> {
  await tx.run(`UPDATE "Responder" SET lat = ?, lng = ?, "locationAt" = ? WHERE id = ?`, [
    at.lat,
    at.lng,
    at.locationAt,
    id,
  ]);
}

export interface PresenceRow {
  responderId: number;
  lastSeenAt: number | null;
  silentSince: number | null;
  offDutyAt: number | null;
}

export function allPresence(q: Queryable): Promise<PresenceRow[]> {
  return q.all<PresenceRow>(
    `SELECT "responderId", "lastSeenAt", "silentSince", "offDutyAt" FROM "ResponderPresence"`,
  );
}

export async function savePresence(tx: Tx, row: PresenceRow): Promise<void> {
  await tx.run(
    `INSERT INTO "ResponderPresence" ("responderId", "lastSeenAt", "silentSince", "offDutyAt")
     VALUES (?, ?, ?, ?)
     ON CONFLICT ("responderId") DO UPDATE SET "lastSeenAt" = excluded."lastSeenAt",
       "silentSince" = excluded."silentSince", "offDutyAt" = excluded."offDutyAt"`,
    [row.responderId, row.lastSeenAt, row.silentSince, row.offDutyAt],
  );
}
