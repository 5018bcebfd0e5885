// SQL of the device register: enrol, new secret, move, retire.
import { DeviceKindSchema, type DeviceRecord } from "../../protocol/index.ts";
import { isoTime, placeholders, type Queryable, type Tx } from "../db/sql.ts";

interface DeviceRecordRow {
  id: string;
  residentId: number;
  residentName: string;
  communityId: number;
  kind: string;
  heartbeatSeconds: number;
  missedBeatsOffline: number;
  ownSupervision: number;
  online: number;
  battery: number | null;
  lastSeenAt: number | null;
  createdAt: number;
  retiredAt: number | null;
}

const RECORD_SELECT = `
  SELECT d.id, d."residentId", r.name AS "residentName", r."communityId", d.kind,
         CASE WHEN d."ownSupervision" = 1 OR p.kind IS NULL THEN d."heartbeatSeconds" ELSE p."heartbeatSeconds" END
           AS "heartbeatSeconds",
         CASE WHEN d."ownSupervision" = 1 OR p.kind IS NULL THEN d."missedBeatsOffline" ELSE p."missedBeatsOffline" END
           AS "missedBeatsOffline",
         d."ownSupervision", d.online, d.battery, d."lastSeenAt", d."createdAt", d."retiredAt"
  FROM "Device" d JOIN "Resident" r ON r.id = d."residentId" LEFT JOIN "SupervisionProfile" p ON p.kind = d.kind`;

function toRecord(d: DeviceRecordRow): DeviceRecord {
  return {
    id: d.id,
    residentId: d.residentId,
    residentName: d.residentName,
    communityId: d.communityId,
    kind: DeviceKindSchema.parse(d.kind),
    heartbeatSeconds: d.heartbeatSeconds,
    missedBeatsOffline: d.missedBeatsOffline,
    ownSupervision: d.ownSupervision === 1,
    online: d.online === 1,
    battery: d.battery,
    lastSeenAt: isoTime(d.lastSeenAt),
    createdAt: isoTime(d.createdAt)!,
    retiredAt: isoTime(d.retiredAt),
  };
}

export async function findRecord(q: Queryable, id: string): Promise<DeviceRecord | null> {
  const row = await q.get<DeviceRecordRow>(`${RECORD_SELECT} WHERE d.id = ?`, [id]);
  return row ? toRecord(row) : null;
}

/** The devices of these residents, in service first, newest first. */
export async function recordsOf(q: Queryable, residentIds: readonly number[]): Promise<DeviceRecord[]> {
  if (residentIds.length === 0) return [];
  const rows = await q.all<DeviceRecordRow>(
    `${RECORD_SELECT} WHERE d."residentId" IN (${placeholders(residentIds.length)})
     ORDER BY CASE WHEN d."retiredAt" IS NULL THEN 0 ELSE 1 END, d."createdAt" DESC, d.id`,
    residentIds,
  );
  return rows.map(toRecord);
}

/** Any device with this id, retired or not: an id is never given out twice. */
export async function idTaken(q: Queryable, id: string): Promise<boolean> {
  return (await q.get(`SELECT 1 AS yes FROM "Device" WHERE id = ?`, [id])) !== undefined;
}

export function findResident(
  q: Queryable,
  id: number,
): Promise<{ id: number; communityId: number; retiredAt: number | null } | undefined> {
  return q.get(`SELECT id, "communityId", "retiredAt" FROM "Resident" WHERE id = ?`, [id]);
}

export async function insertDevice(
  tx: Tx,
  d: {
    id: string;
    residentId: number;
    kind: string;
    secretHash: string;
    heartbeatSeconds: number;
    missedBeatsOffline: number;
    ownSupervision: boolean;
    at: number;
  },
): Promise<void> {
  await tx.run(
    `INSERT INTO "Device" (id, "residentId", kind, "secretHash", "heartbeatSeconds", "missedBeatsOffline",
       "ownSupervision", online, "createdAt")
     VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?)`,
    [
      d.id,
      d.residentId,
      d.kind,
      d.secretHash,
      d.heartbeatSeconds,
      d.missedBeatsOffline,
      d.ownSupervision ? 1 : 0,
      d.at,
    ],
  );
}

export async function setSecretHash(tx: Tx, id: string, secretHash: string): Promise<void> {
  await tx.run(`UPDATE "Device" SET "secretHash" = ? WHERE id = ?`, [secretHash, id]);
}

export async function updateDevice(
  tx: Tx,
  id: string,
  d: {
    residentId: number;
    kind: string;
    heartbeatSeconds: number;
    missedBeatsOffline: number;
    ownSupervision: boolean;
  },
): Promise<void> {
  await tx.run(
    `UPDATE "Device" SET "residentId" = ?, kind = ?, "heartbeatSeconds" = ?, "missedBeatsOffline" = ?,
       "ownSupervision" = ? WHERE id = ?`,
    [d.residentId, d.kind, d.heartbeatSeconds, d.missedBeatsOffline, d.ownSupervision ? 1 : 0, id],
  );
}

/** Retired devices are shown offline: nobody should wait for them to come back. */
export async function retireDevice(tx: Tx, id: string, at: number): Promise<void> {
  await tx.run(`UPDATE "Device" SET "retiredAt" = ?, online = 0 WHERE id = ?`, [at, id]);
}

export async function activeDevicesOf(q: Queryable, residentId: number): Promise<string[]> {
  const rows = await q.all<{ id: string }>(
    `SELECT id FROM "Device" WHERE "residentId" = ? AND "retiredAt" IS NULL ORDER BY id`,
    [residentId],
  );
  return rows.map((r) => r.id);
}
