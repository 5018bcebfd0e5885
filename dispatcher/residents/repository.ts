// SQL of the resident register: records, their search rows, communities and grids.
import { z } from "zod";
import {
  ContactSchema,
  type Contact,
  GenderSchema,
  LivingSituationSchema,
  type CommunityDto,
  type ResidentInput,
  type ResidentListItem,
  type ResidentRecord,
  type RecordStatus,
} from "../../protocol/index.ts";
import {
  LIKE_ESCAPE,
  isoTime,
  likePattern,
  parseJson,
  placeholders,
  scopeCondition,
  type Queryable,
  type SqlValue,
  type Tx,
} from "../db/sql.ts";

/** The stored fields of a resident, as the register writes them (and the audit compares them). */
export type ResidentFields = ResidentInput;

interface ResidentRow {
  id: number;
  name: string;
  gender: string;
  birthDate: string | null;
  birthYear: number;
  phone: string;
  address: string;
  lat: number;
  lng: number;
  communityId: number;
  communityName: string;
  gridId: number;
  gridName: string;
  livingSituation: string;
  conditions: string;
  medicines: string;
  emergencyContacts: string;
  keyHolder: string | null;
  pairedVolunteerId: number | null;
  pairedName: string | null;
  pairedPhone: string | null;
  createdAt: number;
  retiredAt: number | null;
}

const RESIDENT_SELECT = `
  SELECT r.id, r.name, r.gender, r."birthDate", r."birthYear", r.phone, r.address, r.lat, r.lng,
         r."communityId", cm.name AS "communityName", r."gridId", g.name AS "gridName", r."livingSituation",
         r.conditions, r.medicines, r."emergencyContacts", r."keyHolder", r."pairedVolunteerId",
         v.name AS "pairedName", v.phone AS "pairedPhone", r."createdAt", r."retiredAt"
  FROM "Resident" r
  JOIN "Community" cm ON cm.id = r."communityId"
  JOIN "Grid" g ON g.id = r."gridId"
  LEFT JOIN "Responder" v ON v.id = r."pairedVolunteerId"`;

const strings = z.array(z.string());
const contacts = z.array(ContactSchema);

/** A resident with community and grid names; `devices` are filled by the caller. */
export type ResidentRecordRow = Omit<ResidentRecord, "devices">;

function toRecord(r: ResidentRow): ResidentRecordRow {
  return {
    id: r.id,
    name: r.name,
    gender: GenderSchema.parse(r.gender),
    birthDate: r.birthDate,
    birthYear: r.birthYear,
    phone: r.phone,
    address: r.address,
    lat: r.lat,
    lng: r.lng,
    communityId: r.communityId,
    communityName: r.communityName,
    gridId: r.gridId,
    gridName: r.gridName,
    livingSituation: LivingSituationSchema.parse(r.livingSituation),
    conditions: strings.parse(parseJson(r.conditions)),
    medicines: strings.parse(parseJson(r.medicines)),
    emergencyContacts: contacts.parse(parseJson(r.emergencyContacts)),
    keyHolder: r.keyHolder,
    pairedVolunteer:
      r.pairedVolunteerId === null
        ? null
        : { id: r.pairedVolunteerId, name: r.pairedName ?? "", phone: r.pairedPhone ?? "" },
    createdAt: isoTime(r.createdAt)!,
    retiredAt: isoTime(r.retiredAt),
  };
}

/** A record of the register (a hotline caller's ad-hoc record is not one). */
export async function findRecord(q: Queryable, id: number): Promise<ResidentRecordRow | null> {
  const row = await q.get<ResidentRow>(`${RESIDENT_SELECT} WHERE r.id = ? AND r.unregistered = 0`, [id]);
  return row ? toRecord(row) : null;
}

/** The register's fields of a record, for changes and their audit. */
export function fieldsOf(r: ResidentRecordRow): ResidentFields {
  return {
    name: r.name,
    gender: r.gender,
    birthDate: r.birthDate ?? "",
    phone: r.phone,
    address: r.address,
    lat: r.lat,
    lng: r.lng,
    communityId: r.communityId,
    gridId: r.gridId,
    livingSituation: r.livingSituation,
    conditions: r.conditions,
    medicines: r.medicines,
    emergencyContacts: r.emergencyContacts,
    keyHolder: r.keyHolder,
    pairedVolunteerId: r.pairedVolunteer?.id ?? null,
  };
}

// ---- search ----

export interface ResidentFilter {
  /** Lower-case term (rules.ts searchTerm), matched anywhere in the search text. */
  term: string | null;
  communityId: number | null;
  gridId: number | null;
  status: RecordStatus;
  scope: readonly number[] | null;
  limit: number;
  offset: number;
}

/** Matching ids of one page (exact name, then name prefix, then the rest; newest first) and the total. */
export async function search(q: Queryable, f: ResidentFilter): Promise<{ ids: number[]; total: number }> {
  const where: string[] = [];
  const params: SqlValue[] = [];
  if (f.term !== null) {
    // Device ids are matched in the device table itself, so the devices feature never has to
    // touch this search table.
    where.push(`(s.text LIKE ? ${LIKE_ESCAPE} OR s."residentId" IN (
      SELECT "residentId" FROM "Device" WHERE "retiredAt" IS NULL AND lower(id) LIKE ? ${LIKE_ESCAPE}))`);
    const like = likePattern(f.term);
    params.push(like, like);
  }
  if (f.status !== "all") where.push(`s.retired = ${f.status === "retired" ? 1 : 0}`);
  if (f.communityId !== null) {
    where.push(`s."communityId" = ?`);
    params.push(f.communityId);
  }
  if (f.gridId !== null) {
    where.push(`s."gridId" = ?`);
    params.push(f.gridId);
  }
  const scope = scopeCondition(`s."communityId"`, f.scope);
  if (scope) {
    where.push(scope.sql);
    params.push(...scope.params);
  }
  const cond = where.length ? `WHERE ${where.join(" AND ")}` : "";
  const total = Number(
    (await q.get<{ n: number }>(`SELECT COUNT(*) AS n FROM "ResidentSearch" s ${cond}`, params))?.n ?? 0,
  );
  if (total === 0) return { ids: [], total };
  const rows =
    f.term === null
      ? await q.all<{ id: number }>(
          `SELECT s."residentId" AS id FROM "ResidentSearch" s ${cond} ORDER BY s."residentId" DESC LIMIT ? OFFSET ?`,
          [...params, f.limit, f.offset],
        )
      : await q.all<{ id: number }>(
          `SELECT s."residentId" AS id FROM "ResidentSearch" s JOIN "Resident" r ON r.id = s."residentId" ${cond}
           ORDER BY CASE WHEN lower(r.name) = ? THEN 0 WHEN lower(r.name) LIKE ? ${LIKE_ESCAPE} THEN 1 ELSE 2 END,
                    s."residentId" DESC
           LIMIT ? OFFSET ?`,
          [...params, f.term, likePattern(f.term, "prefix"), f.limit, f.offset],
        );
  return { ids: rows.map((r) => r.id), total };
}

/** Rows of the register table, in the order of `ids`. */
export async function listItems(q: Queryable, ids: readonly number[]): Promise<ResidentListItem[]> {
  if (ids.length === 0) return [];
  const rows = await q.all<ResidentRow>(
    `${RESIDENT_SELECT} WHERE r.id IN (${placeholders(ids.length)})`,
    ids,
  );
  const devices = await q.all<{ residentId: number; id: string }>(
    `SELECT "residentId", id FROM "Device" WHERE "retiredAt" IS NULL AND "residentId" IN (${placeholders(ids.length)}) ORDER BY id`,
    ids,
  );
  const byId = new Map(rows.map((r) => [r.id, toRecord(r)]));
  return ids.flatMap((id) => {
    const r = byId.get(id);
    if (!r) return [];
    return [
      {
        id: r.id,
        name: r.name,
        gender: r.gender,
        birthDate: r.birthDate,
        birthYear: r.birthYear,
        phone: r.phone,
        address: r.address,
        communityId: r.communityId,
        communityName: r.communityName,
        gridId: r.gridId,
        gridName: r.gridName,
        livingSituation: r.livingSituation,
        retiredAt: r.retiredAt,
        deviceIds: devices.filter((d) => d.residentId === id).map((d) => d.id),
      },
    ];
  });
}

/** What a resident's search row is made from. */
export interface SearchSource {
  id: number;
  name: string;
  phone: string;
  address: string;
  communityId: number;
  gridId: number;
  retired: boolean;
  contactPhones: string[];
}

export async function searchSources(q: Queryable, ids: readonly number[]): Promise<SearchSource[]> {
  if (ids.length === 0) return [];
  const rows = await q.all<{
    id: number;
    name: string;
    phone: string;
    address: string;
    communityId: number;
    gridId: number;
    retiredAt: number | null;
    emergencyContacts: string;
  }>(
    `SELECT id, name, phone, address, "communityId", "gridId", "retiredAt", "emergencyContacts"
     FROM "Resident" WHERE id IN (${placeholders(ids.length)})`,
    ids,
  );
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    phone: r.phone,
    address: r.address,
    communityId: r.communityId,
    gridId: r.gridId,
    retired: r.retiredAt !== null,
    contactPhones: contacts.parse(parseJson(r.emergencyContacts)).map((c) => c.phone),
  }));
}

export async function saveSearchRow(
  tx: Tx,
  row: { residentId: number; communityId: number; gridId: number; retired: boolean; text: string },
): Promise<void> {
  await tx.run(
    `INSERT INTO "ResidentSearch" ("residentId", "communityId", "gridId", retired, text) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT ("residentId") DO UPDATE SET "communityId" = excluded."communityId", "gridId" = excluded."gridId",
       retired = excluded.retired, text = excluded.text`,
    [row.residentId, row.communityId, row.gridId, row.retired ? 1 : 0, row.text],
  );
}

/** Residents that have no search row yet (seeded, or enrolled before the search table existed). */
export async function unindexed(q: Queryable, limit: number): Promise<number[]> {
  const rows = await q.all<{ id: number }>(
    `SELECT r.id FROM "Resident" r LEFT JOIN "ResidentSearch" s ON s."residentId" = r.id
     WHERE s."residentId" IS NULL AND r.unregistered = 0 ORDER BY r.id LIMIT ?`,
    [limit],
  );
  return rows.map((r) => r.id);
}

// ---- duplicates ----

/** Residents in service with this name and birth date (the address is compared by the caller). */
export function sameNameAndBirthDate(
  q: Queryable,
  name: string,
  birthDate: string,
): Promise<{ id: number; address: string }[]> {
  return q.all(
    `SELECT id, address FROM "Resident" WHERE name = ? AND "birthDate" = ? AND "retiredAt" IS NULL`,
    [name, birthDate],
  );
}

// ---- writes ----

const birthYearOf = (f: ResidentFields) => Number(f.birthDate.slice(0, 4));

export async function insertResident(tx: Tx, f: ResidentFields, at: number): Promise<number> {
  const row = await tx.get<{ id: number }>(
    `INSERT INTO "Resident" (name, gender, "birthDate", "birthYear", phone, address, lat, lng, "communityId", "gridId",
       "livingSituation", conditions, medicines, "emergencyContacts", "keyHolder", "pairedVolunteerId", "createdAt")
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
    [
      f.name,
      f.gender,
      f.birthDate,
      birthYearOf(f),
      f.phone,
      f.address,
      f.lat,
      f.lng,
      f.communityId,
      f.gridId,
      f.livingSituation,
      JSON.stringify(f.conditions),
      JSON.stringify(f.medicines),
      JSON.stringify(f.emergencyContacts),
      f.keyHolder,
      f.pairedVolunteerId,
      at,
    ],
  );
  return row!.id;
}

// ---- the hotline intake ----

/** What the intake needs to know of the resident a call names. */
export function intakeResident(
  q: Queryable,
  id: number,
): Promise<{ id: number; communityId: number; retiredAt: number | null; unregistered: number } | undefined> {
  return q.get(`SELECT id, "communityId", "retiredAt", unregistered FROM "Resident" WHERE id = ?`, [id]);
}

/** The community's first grid: the one a place without a known grid is filed under. */
export function firstGridOf(q: Queryable, communityId: number): Promise<{ id: number } | undefined> {
  return q.get(`SELECT id FROM "Grid" WHERE "communityId" = ? ORDER BY id LIMIT 1`, [communityId]);
}

/**
 * A hotline caller not in the register: a name, a place and who to ring back. The columns the
 * register requires but nobody asked (gender, birth year, living situation) hold "unknown" and 0;
 * readers of such a record look at `unregistered` first.
 */
export async function insertUnregistered(
  tx: Tx,
  r: {
    name: string;
    phone: string;
    address: string;
    lat: number;
    lng: number;
    communityId: number;
    gridId: number;
    emergencyContacts: Contact[];
    at: number;
  },
): Promise<number> {
  const row = await tx.get<{ id: number }>(
    `INSERT INTO "Resident" (name, gender, "birthYear", phone, address, lat, lng, "communityId", "gridId",
       "livingSituation", conditions, medicines, "emergencyContacts", "createdAt", unregistered)
     VALUES (?, 'unknown', 0, ?, ?, ?, ?, ?, ?, 'unknown', '[]', '[]', ?, ?, 1) RETURNING id`,
    [
      r.name,
      r.phone,
      r.address,
      r.lat,
      r.lng,
      r.communityId,
      r.gridId,
      JSON.stringify(r.emergencyContacts),
      r.at,
    ],
  );
  return row!.id;
}

export async function updateResident(tx: Tx, id: number, f: ResidentFields): Promise<void> {
  await tx.run(
    `UPDATE "Resident" SET name = ?, gender = ?, "birthDate" = ?, "birthYear" = COALESCE(?, "birthYear"), phone = ?, address = ?, lat = ?,
       lng = ?, "communityId" = ?, "gridId" = ?, "livingSituation" = ?, conditions = ?, medicines = ?,
       "emergencyContacts" = ?, "keyHolder" = ?, "pairedVolunteerId" = ?
     WHERE id = ?`,
    [
      f.name,
      f.gender,
      f.birthDate === "" ? null : f.birthDate,
      // A resident enrolled before birth dates were kept keeps the year it had.
      f.birthDate === "" ? null : birthYearOf(f),
      f.phone,
      f.address,
      f.lat,
      f.lng,
      f.communityId,
      f.gridId,
      f.livingSituation,
      JSON.stringify(f.conditions),
      JSON.stringify(f.medicines),
      JSON.stringify(f.emergencyContacts),
      f.keyHolder,
      f.pairedVolunteerId,
      id,
    ],
  );
}

export async function retireResident(tx: Tx, id: number, at: number): Promise<void> {
  await tx.run(`UPDATE "Resident" SET "retiredAt" = ?, "pairedVolunteerId" = NULL WHERE id = ?`, [at, id]);
}

// ---- pairing ----

export async function pairedWith(
  q: Queryable,
  responderIds: readonly number[],
): Promise<{ id: number; name: string; address: string; pairedVolunteerId: number }[]> {
  if (responderIds.length === 0) return [];
  return q.all(
    `SELECT id, name, address, "pairedVolunteerId" FROM "Resident"
     WHERE "retiredAt" IS NULL AND "pairedVolunteerId" IN (${placeholders(responderIds.length)}) ORDER BY id`,
    responderIds,
  );
}

export async function setPairing(tx: Tx, residentId: number, volunteerId: number | null): Promise<void> {
  await tx.run(`UPDATE "Resident" SET "pairedVolunteerId" = ? WHERE id = ?`, [volunteerId, residentId]);
}

// ---- communities, grids, volunteers ----

export async function communities(q: Queryable, scope: readonly number[] | null): Promise<CommunityDto[]> {
  const s = scopeCondition("c.id", scope);
  const rows = await q.all<{ id: number; name: string; district: string; lat: number; lng: number }>(
    `SELECT c.id, c.name, c.district, c.lat, c.lng FROM "Community" c ${s ? `WHERE ${s.sql}` : ""} ORDER BY c.id`,
    s?.params ?? [],
  );
  const grids = await q.all<{ id: number; communityId: number; name: string }>(
    `SELECT id, "communityId", name FROM "Grid" ORDER BY id`,
  );
  return rows.map((c) => ({
    ...c,
    grids: grids.filter((g) => g.communityId === c.id).map((g) => ({ id: g.id, name: g.name })),
  }));
}

/** Every community centre, whatever the caller's scope: the service area is the platform's. */
export function communityCentres(q: Queryable): Promise<{ id: number; lat: number; lng: number }[]> {
  return q.all(`SELECT id, lat, lng FROM "Community"`);
}

export function findGrid(
  q: Queryable,
  gridId: number,
): Promise<{ id: number; communityId: number } | undefined> {
  return q.get(`SELECT id, "communityId" FROM "Grid" WHERE id = ?`, [gridId]);
}

export function findResponder(
  q: Queryable,
  id: number,
): Promise<{ id: number; communityId: number; retiredAt: number | null } | undefined> {
  return q.get(`SELECT id, "communityId", "retiredAt" FROM "Responder" WHERE id = ?`, [id]);
}
