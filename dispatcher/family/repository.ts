// SQL of the family circle: members (a resident's emergency contacts who were invited), their
// one-time sign-in codes, the notices they were sent, and the family user accounts themselves
// (role `family`, no password: they sign in with a code sent to their phone).
import { z } from "zod";
import {
  ContactSchema,
  DEFAULT_FAMILY_NOTIFY,
  FamilyNotifySchema,
  type Contact,
  type FamilyMember,
  type FamilyNotify,
  type FamilyStage,
} from "../../protocol/index.ts";
import { isoTime, parseJson, type Queryable, type Tx } from "../db/sql.ts";

interface MemberRow {
  id: number;
  residentId: number;
  userId: number | null;
  name: string;
  relation: string;
  phone: string;
  medicalConsent: number;
  notify: string;
  invitedAt: number;
  joinedAt: number | null;
  revokedAt: number | null;
}

const MEMBER_COLUMNS = `id, "residentId", "userId", name, relation, phone, "medicalConsent", notify, "invitedAt", "joinedAt", "revokedAt"`;

function toMember(r: MemberRow): FamilyMember {
  const notify = FamilyNotifySchema.safeParse(parseJson(r.notify));
  return {
    id: r.id,
    residentId: r.residentId,
    userId: r.userId,
    name: r.name,
    relation: r.relation,
    phone: r.phone,
    medicalConsent: r.medicalConsent === 1,
    notify: notify.success ? notify.data : DEFAULT_FAMILY_NOTIFY,
    invitedAt: isoTime(r.invitedAt)!,
    joinedAt: isoTime(r.joinedAt),
    revokedAt: isoTime(r.revokedAt),
  };
}

export async function membersOfResident(q: Queryable, residentId: number): Promise<FamilyMember[]> {
  const rows = await q.all<MemberRow>(
    `SELECT ${MEMBER_COLUMNS} FROM "FamilyMember" WHERE "residentId" = ? ORDER BY id`,
    [residentId],
  );
  return rows.map(toMember);
}

export async function findMember(q: Queryable, id: number): Promise<FamilyMember | null> {
  const row = await q.get<MemberRow>(`SELECT ${MEMBER_COLUMNS} FROM "FamilyMember" WHERE id = ?`, [id]);
  return row ? toMember(row) : null;
}

/** The circles a family user belongs to (not revoked). */
export async function membershipsOf(q: Queryable, userId: number): Promise<FamilyMember[]> {
  const rows = await q.all<MemberRow>(
    `SELECT ${MEMBER_COLUMNS} FROM "FamilyMember" WHERE "userId" = ? AND "revokedAt" IS NULL ORDER BY id`,
    [userId],
  );
  return rows.map(toMember);
}

/** Invited, not revoked members with this phone (one phone may be a contact of two residents). */
export async function invitedWithPhone(q: Queryable, phone: string): Promise<FamilyMember[]> {
  const rows = await q.all<MemberRow>(
    `SELECT ${MEMBER_COLUMNS} FROM "FamilyMember" WHERE phone = ? AND "revokedAt" IS NULL ORDER BY id`,
    [phone],
  );
  return rows.map(toMember);
}

/** Inviting again keeps the member's choices and consent, and lifts a revocation. */
export async function upsertMember(
  tx: Tx,
  m: { residentId: number; contact: Contact; phone: string; at: number },
): Promise<number> {
  const row = await tx.get<{ id: number }>(
    `INSERT INTO "FamilyMember" ("residentId", name, relation, phone, "medicalConsent", notify, "invitedAt")
     VALUES (?, ?, ?, ?, 0, ?, ?)
     ON CONFLICT ("residentId", phone) DO UPDATE SET name = excluded.name, relation = excluded.relation,
       "invitedAt" = excluded."invitedAt", "revokedAt" = NULL
     RETURNING id`,
    [m.residentId, m.contact.name, m.contact.relation, m.phone, JSON.stringify(DEFAULT_FAMILY_NOTIFY), m.at],
  );
  return row!.id;
}

export async function updateMember(
  tx: Tx,
  id: number,
  p: { medicalConsent?: boolean; notify?: FamilyNotify; revokedAt?: number },
): Promise<void> {
  if (p.medicalConsent !== undefined) {
    await tx.run(`UPDATE "FamilyMember" SET "medicalConsent" = ? WHERE id = ?`, [
      p.medicalConsent ? 1 : 0,
      id,
    ]);
  }
  if (p.notify !== undefined) {
    await tx.run(`UPDATE "FamilyMember" SET notify = ? WHERE id = ?`, [JSON.stringify(p.notify), id]);
  }
  if (p.revokedAt !== undefined) {
    await tx.run(`UPDATE "FamilyMember" SET "revokedAt" = ? WHERE id = ?`, [p.revokedAt, id]);
  }
}

export async function joinMembers(tx: Tx, phone: string, userId: number, at: number): Promise<void> {
  await tx.run(
    `UPDATE "FamilyMember" SET "userId" = ?, "joinedAt" = COALESCE("joinedAt", ?) WHERE phone = ? AND "revokedAt" IS NULL`,
    [userId, at, phone],
  );
}

// ---- the family user account ----

/** Family logins are named after their phone; they have no password (codes only). */
export const familyUsername = (phone: string): string => `family-${phone}`;
const NO_PASSWORD = "code-only";

export async function familyUserOf(
  q: Queryable,
  phone: string,
): Promise<{ id: number; displayName: string; disabled: number } | undefined> {
  return q.get(`SELECT id, "displayName", disabled FROM "User" WHERE username = ? AND role = 'family'`, [
    familyUsername(phone),
  ]);
}

export async function insertFamilyUser(
  tx: Tx,
  phone: string,
  displayName: string,
  at: number,
): Promise<number> {
  const row = await tx.get<{ id: number }>(
    `INSERT INTO "User" (username, "displayName", "passwordHash", role, "createdAt", disabled)
     VALUES (?, ?, ?, 'family', ?, 0) RETURNING id`,
    [familyUsername(phone), displayName, NO_PASSWORD, at],
  );
  return row!.id;
}

// ---- one-time codes ----

export async function insertCode(
  tx: Tx,
  c: { phone: string; codeHash: string; at: number; expiresAt: number },
): Promise<void> {
  // A new code replaces any earlier one of the phone.
  await tx.run(`UPDATE "FamilyCode" SET "usedAt" = ? WHERE phone = ? AND "usedAt" IS NULL`, [c.at, c.phone]);
  await tx.run(
    `INSERT INTO "FamilyCode" (phone, "codeHash", "createdAt", "expiresAt", attempts) VALUES (?, ?, ?, ?, 0)`,
    [c.phone, c.codeHash, c.at, c.expiresAt],
  );
}

export interface CodeRow {
  id: number;
  codeHash: string;
  expiresAt: number;
  attempts: number;
}

/** The phone's live code: not used, not expired. */
export function liveCode(q: Queryable, phone: string, now: number): Promise<CodeRow | undefined> {
  return q.get<CodeRow>(
    `SELECT id, "codeHash", "expiresAt", attempts FROM "FamilyCode"
     WHERE phone = ? AND "usedAt" IS NULL AND "expiresAt" > ? ORDER BY id DESC LIMIT 1`,
    [phone, now],
  );
}

export async function countAttempt(tx: Tx, id: number): Promise<void> {
  await tx.run(`UPDATE "FamilyCode" SET attempts = attempts + 1 WHERE id = ?`, [id]);
}

export async function useCode(tx: Tx, id: number, at: number): Promise<void> {
  await tx.run(`UPDATE "FamilyCode" SET "usedAt" = ? WHERE id = ?`, [at, id]);
}

// ---- notices ----

/** True when this stage of the case was not told to the member before (and now is recorded). */
export async function claimNotice(
  tx: Tx,
  caseId: number,
  memberId: number,
  stage: FamilyStage,
  at: number,
): Promise<boolean> {
  const row = await tx.get<{ stage: string }>(
    `INSERT INTO "FamilyNotice" ("caseId", "memberId", stage, at) VALUES (?, ?, ?, ?)
     ON CONFLICT ("caseId", "memberId", stage) DO NOTHING RETURNING stage`,
    [caseId, memberId, stage, at],
  );
  return row !== undefined;
}

// ---- what family may see of the resident ----

export interface ResidentFacts {
  id: number;
  name: string;
  communityId: number;
  conditions: string[];
  medicines: string[];
  emergencyContacts: Contact[];
}

const Strings = z.array(z.string());
const Contacts = z.array(ContactSchema);

export async function residentFacts(q: Queryable, residentId: number): Promise<ResidentFacts | null> {
  const r = await q.get<{
    id: number;
    name: string;
    communityId: number;
    conditions: string;
    medicines: string;
    emergencyContacts: string;
  }>(
    `SELECT id, name, "communityId", conditions, medicines, "emergencyContacts" FROM "Resident" WHERE id = ?`,
    [residentId],
  );
  if (!r) return null;
  return {
    id: r.id,
    name: r.name,
    communityId: r.communityId,
    conditions: Strings.catch([]).parse(parseJson(r.conditions)),
    medicines: Strings.catch([]).parse(parseJson(r.medicines)),
    emergencyContacts: Contacts.catch([]).parse(parseJson(r.emergencyContacts)),
  };
}
