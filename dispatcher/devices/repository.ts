// SQL of call devices: their events (the ingest's idempotency key), health and supervision.
import { z } from "zod";
import {
  DEVICE_FILTERS,
  DeviceFaultSchema,
  DeviceKindSchema,
  type DeviceKind,
  EventRejectReasonSchema,
  LOW_BATTERY_PERCENT,
  type DeviceFault,
  type DeviceFilter,
  type DeviceSort,
  type DeviceSummary,
  type SortDirection,
} from "../../protocol/index.ts";
import {
  isoTime,
  LIKE_ESCAPE,
  likePattern,
  parseJson,
  scopeCondition,
  type Queryable,
  type SqlValue,
  type Tx,
} from "../db/sql.ts";

/**
 * The device's stored secret hash, for the broker; null for an unknown or retired device (a
 * retired resident's devices are retired with them).
 */
export async function findCredential(q: Queryable, deviceId: string): Promise<{ secretHash: string } | null> {
  return (
    (await q.get<{ secretHash: string }>(
      `SELECT "secretHash" FROM "Device" WHERE id = ? AND "retiredAt" IS NULL`,
      [deviceId],
    )) ?? null
  );
}

/** A device event seen before: what it was, and the answer it got. */
export interface StoredEvent {
  type: string;
  deviceAt: number;
  faults: DeviceFault[];
  outcome: string;
  caseId: number | null;
}

const RejectReasonSchema = EventRejectReasonSchema.nullable().catch(null);
const FaultsSchema = z.array(DeviceFaultSchema.catch("bad_at")).nullable().catch(null);

export async function findEvent(
  q: Queryable,
  deviceId: string,
  eventId: string,
): Promise<StoredEvent | null> {
  const row = await q.get<Omit<StoredEvent, "faults"> & { faults: string | null }>(
    `SELECT type, "deviceAt", faults, outcome, "caseId" FROM "DeviceEvent" WHERE "deviceId" = ? AND "eventId" = ?`,
    [deviceId, eventId],
  );
  return row ? { ...row, faults: FaultsSchema.parse(parseJson(row.faults)) ?? [] } : null;
}

/** One more unusable event from the device, for staff on the device-health view. */
export async function countRejected(tx: Tx, deviceId: string, at: number, reason: string): Promise<void> {
  await tx.run(
    `UPDATE "Device" SET "rejectedEvents" = "rejectedEvents" + 1, "lastRejectedAt" = ?, "lastRejectReason" = ?
     WHERE id = ?`,
    [at, reason, deviceId],
  );
}

/** The device's resident and community; undefined for an unknown device. */
export interface FoundHome {
  deviceId: string;
  residentId: number;
  communityId: number;
  kind: DeviceKind;
  /** The resident's home, to tell a mobile device's fix away from it. */
  home: { lat: number; lng: number };
  retired: boolean;
}

export async function findHome(q: Queryable, deviceId: string): Promise<FoundHome | undefined> {
  const row = await q.get<{
    deviceId: string;
    residentId: number;
    communityId: number;
    kind: string;
    lat: number;
    lng: number;
    retired: number;
  }>(
    `SELECT d.id AS "deviceId", d."residentId", r."communityId", d.kind, r.lat, r.lng,
       CASE WHEN d."retiredAt" IS NULL AND r."retiredAt" IS NULL THEN 0 ELSE 1 END AS retired
     FROM "Device" d JOIN "Resident" r ON r.id = d."residentId" WHERE d.id = ?`,
    [deviceId],
  );
  if (!row) return undefined;
  return {
    deviceId: row.deviceId,
    residentId: row.residentId,
    communityId: row.communityId,
    kind: DeviceKindSchema.parse(row.kind),
    home: { lat: row.lat, lng: row.lng },
    retired: row.retired === 1,
  };
}

export async function recordEvent(
  tx: Tx,
  e: {
    deviceId: string;
    eventId: string;
    type: string;
    deviceAt: number;
    receivedAt: number;
    caseId: number | null;
    serviceOrderId: number | null;
    outcome: string;
    faults: readonly DeviceFault[];
  },
): Promise<void> {
  await tx.run(
    `INSERT INTO "DeviceEvent" ("deviceId", "eventId", type, "deviceAt", "receivedAt", "caseId", "serviceOrderId",
       outcome, faults)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [
      e.deviceId,
      e.eventId,
      e.type,
      e.deviceAt,
      e.receivedAt,
      e.caseId,
      e.serviceOrderId,
      e.outcome,
      e.faults.length > 0 ? JSON.stringify(e.faults) : null,
    ],
  );
}

/** Any event shows the device alive; a test press also stamps the weekly test. */
export async function touch(
  tx: Tx,
  deviceId: string,
  at: number,
  battery: number | null,
  tested: boolean,
): Promise<void> {
  await tx.run(
    `UPDATE "Device" SET "lastSeenAt" = ?, online = 1, battery = COALESCE(?, battery),
     "lastTestAt" = CASE WHEN ? = 1 THEN ? ELSE "lastTestAt" END WHERE id = ?`,
    [at, battery, tested ? 1 : 0, at, deviceId],
  );
}

export function findHealth(
  q: Queryable,
  deviceId: string,
): Promise<{ online: number; battery: number | null } | undefined> {
  return q.get(`SELECT online, battery FROM "Device" WHERE id = ?`, [deviceId]);
}

/** A heartbeat or Last Will; only an online beat moves lastSeenAt. */
export async function saveStatus(
  tx: Tx,
  deviceId: string,
  s: { online: boolean; battery: number | null; signal: number | null; at: number },
): Promise<number> {
  const online = s.online ? 1 : 0;
  const { changes } = await tx.run(
    `UPDATE "Device" SET online = ?, battery = COALESCE(?, battery), signal = COALESCE(?, signal),
     "lastSeenAt" = CASE WHEN ? = 1 THEN ? ELSE "lastSeenAt" END WHERE id = ?`,
    [online, s.battery, s.signal, online, s.at, deviceId],
  );
  return changes;
}

/** A device whose own settings or its kind's profile say how long it may stay silent. */
const WINDOW_SECONDS = `CASE WHEN d."ownSupervision" = 1 OR p.kind IS NULL THEN d."heartbeatSeconds" * d."missedBeatsOffline"
  ELSE p."heartbeatSeconds" * p."missedBeatsOffline" END`;

export interface SilentDevice {
  id: string;
  kind: DeviceKind;
  residentId: number;
  communityId: number;
  online: number;
  lastSeenAt: number;
  windowMs: number;
  /** Its kind's profile; null for a kind without a stored profile (the default applies). */
  replaceAfterMinutes: number | null;
  /** This outage already has its device_offline case. */
  reported: number;
  /** This outage already flagged the device for replacement. */
  replaced: number;
}

/**
 * Devices silent past their supervision window (their own heartbeat × missed beats, or their
 * kind's profile) at `now`. An outage is identified by the last time the device was seen: a case
 * created since then is this outage's. The window differs per device, so the comparison stays in
 * SQL (integer arithmetic, the same in every database).
 */
export function findSilent(q: Queryable, now: number): Promise<SilentDevice[]> {
  return q.all(
    `SELECT d.id, d.kind, d."residentId", r."communityId", d.online, d."lastSeenAt", ${WINDOW_SECONDS} * 1000 AS "windowMs",
       p."replaceAfterMinutes",
       CASE WHEN EXISTS (
         SELECT 1 FROM "Case" c WHERE c."residentId" = d."residentId" AND c.type = ? AND c."createdAt" >= d."lastSeenAt"
       ) THEN 1 ELSE 0 END AS reported,
       CASE WHEN EXISTS (
         SELECT 1 FROM "Case" c WHERE c."deviceId" = d.id AND c.type = ? AND c."createdAt" >= d."lastSeenAt"
       ) THEN 1 ELSE 0 END AS replaced
     FROM "Device" d JOIN "Resident" r ON r.id = d."residentId" LEFT JOIN "SupervisionProfile" p ON p.kind = d.kind
     WHERE d."retiredAt" IS NULL AND r."retiredAt" IS NULL
       AND d."lastSeenAt" IS NOT NULL
       -- "now" compared with a BIGINT expression: PostgreSQL then types the parameter BIGINT
       -- (as "? - integer" it would be INTEGER, too small for epoch ms).
       AND d."lastSeenAt" + ${WINDOW_SECONDS} * 1000 < ?`,
    ["device_offline", "device_replacement", now],
  );
}

/**
 * Devices of `kind` enrolled before `enrolledBefore` that were never seen, and whether that
 * already raised its never_connected case (once per device: seen once, it never is again).
 */
export function findNeverConnected(
  q: Queryable,
  kind: string,
  enrolledBefore: number,
): Promise<{ id: string; residentId: number; communityId: number; reported: number }[]> {
  return q.all(
    `SELECT d.id, d."residentId", r."communityId",
       CASE WHEN EXISTS (SELECT 1 FROM "Case" c WHERE c."deviceId" = d.id AND c.type = ?) THEN 1 ELSE 0 END AS reported
     FROM "Device" d JOIN "Resident" r ON r.id = d."residentId"
     WHERE d."retiredAt" IS NULL AND r."retiredAt" IS NULL AND d."lastSeenAt" IS NULL
       AND d.kind = ? AND d."createdAt" < ?`,
    ["never_connected", kind, enrolledBefore],
  );
}

/**
 * Devices with no test press since `before` (counting from enrolment for one never tested), and
 * whether that lapse already raised its technical case.
 */
export function findTestOverdue(
  q: Queryable,
  before: number,
): Promise<{ id: string; residentId: number; communityId: number; reported: number }[]> {
  return q.all(
    `SELECT d.id, d."residentId", r."communityId",
       CASE WHEN EXISTS (
         SELECT 1 FROM "Case" c WHERE c."residentId" = d."residentId" AND c.type = ?
           AND c."createdAt" >= COALESCE(d."lastTestAt", d."createdAt")
       ) THEN 1 ELSE 0 END AS reported
     FROM "Device" d JOIN "Resident" r ON r.id = d."residentId"
     WHERE d."retiredAt" IS NULL AND r."retiredAt" IS NULL AND COALESCE(d."lastTestAt", d."createdAt") < ?`,
    ["test_overdue", before],
  );
}

export async function markOffline(tx: Tx, deviceId: string): Promise<void> {
  await tx.run(`UPDATE "Device" SET online = 0 WHERE id = ?`, [deviceId]);
}

const FROM = `FROM "Device" d JOIN "Resident" r ON r.id = d."residentId" JOIN "Community" c ON c.id = r."communityId"`;
const SUMMARY_SELECT = `SELECT d.id, d."residentId", r.name AS "residentName", r.phone AS "residentPhone",
  r."communityId", c.name AS "communityName", d.kind, d.online, d.battery, d.signal, d."lastSeenAt",
  d."lastTestAt", d."rejectedEvents", d."lastRejectedAt", d."lastRejectReason" ${FROM}`;

interface DeviceRow {
  id: string;
  residentId: number;
  residentName: string;
  residentPhone: string;
  communityId: number;
  communityName: string;
  kind: string;
  online: number;
  battery: number | null;
  signal: number | null;
  lastSeenAt: number | null;
  lastTestAt: number | null;
  rejectedEvents: number;
  lastRejectedAt: number | null;
  lastRejectReason: string | null;
}

export async function findSummary(q: Queryable, deviceId: string): Promise<DeviceSummary | null> {
  const row = await q.get<DeviceRow>(`${SUMMARY_SELECT} WHERE d.id = ?`, [deviceId]);
  return row ? toSummary(row) : null;
}

/** Each filter as a condition with its parameters; `testDueBefore` is epoch ms. */
function filterCondition(filter: DeviceFilter, testDueBefore: number): [string, SqlValue[]] {
  switch (filter) {
    case "all":
      return ["1 = 1", []];
    case "never_connected":
      return [`d."lastSeenAt" IS NULL`, []];
    case "offline":
      return [`d.online = 0 AND d."lastSeenAt" IS NOT NULL`, []];
    case "low_battery":
      return [`d.battery < ?`, [LOW_BATTERY_PERCENT]];
    case "test_overdue":
      return [`(d."lastTestAt" IS NULL OR d."lastTestAt" < ?)`, [testDueBefore]];
  }
}

const SORT_COLUMN: Record<DeviceSort, string> = {
  id: "d.id",
  resident: "r.name",
  community: "c.name",
  battery: "d.battery",
  lastSeenAt: `d."lastSeenAt"`,
  lastTestAt: `d."lastTestAt"`,
};

export interface DeviceListFilter {
  filter: DeviceFilter;
  /** A part of the device id, the resident's name or phone. */
  search: string | null;
  sort: DeviceSort;
  dir: SortDirection;
  offset: number;
  limit: number;
  /** Devices without a test press since then count as overdue. */
  testDueBefore: number;
  /** null = every community. */
  communityIds: readonly number[] | null;
}

/** One page of the filtered devices, the total, and how many each filter holds for the search. */
export async function listPage(
  q: Queryable,
  f: DeviceListFilter,
): Promise<{ items: DeviceSummary[]; total: number; counts: Record<DeviceFilter, number> }> {
  // Devices in service only: a retired resident's devices are retired with them.
  const where = [`d."retiredAt" IS NULL`];
  const params: SqlValue[] = [];
  if (f.search !== null) {
    const like = likePattern(f.search.toLowerCase());
    where.push(
      `(LOWER(d.id) LIKE ? ${LIKE_ESCAPE} OR LOWER(r.name) LIKE ? ${LIKE_ESCAPE} OR r.phone LIKE ? ${LIKE_ESCAPE})`,
    );
    params.push(like, like, like);
  }
  const scope = scopeCondition(`r."communityId"`, f.communityIds);
  if (scope) {
    where.push(scope.sql);
    params.push(...scope.params);
  }
  const searched = `WHERE ${where.join(" AND ")}`;
  const sums = DEVICE_FILTERS.map((name) => filterCondition(name, f.testDueBefore));
  const countRow = await q.get<Record<string, number | null>>(
    `SELECT ${sums.map(([cond], i) => `SUM(CASE WHEN ${cond} THEN 1 ELSE 0 END) AS n${i}`).join(", ")}
     ${FROM} ${searched}`,
    [...sums.flatMap(([, p]) => p), ...params],
  );
  const counts = Object.fromEntries(
    DEVICE_FILTERS.map((name, i) => [name, Number(countRow?.[`n${i}`] ?? 0)]),
  ) as Record<DeviceFilter, number>;
  const [cond, condParams] = filterCondition(f.filter, f.testDueBefore);
  const column = SORT_COLUMN[f.sort];
  const dir = f.dir === "desc" ? "DESC" : "ASC";
  // Devices that never reported a value sort last either way (databases disagree on NULL order).
  const rows = await q.all<DeviceRow>(
    `${SUMMARY_SELECT} ${searched} AND ${cond}
     ORDER BY CASE WHEN ${column} IS NULL THEN 1 ELSE 0 END, ${column} ${dir}, d.id LIMIT ? OFFSET ?`,
    [...params, ...condParams, f.limit, f.offset],
  );
  return { items: rows.map(toSummary), total: counts[f.filter], counts };
}

function toSummary(r: DeviceRow): DeviceSummary {
  return {
    id: r.id,
    residentId: r.residentId,
    residentName: r.residentName,
    residentPhone: r.residentPhone,
    communityId: r.communityId,
    communityName: r.communityName,
    kind: DeviceKindSchema.parse(r.kind),
    online: r.online === 1,
    battery: r.battery,
    signal: r.signal,
    lastSeenAt: isoTime(r.lastSeenAt),
    lastTestAt: isoTime(r.lastTestAt),
    rejectedEvents: r.rejectedEvents,
    lastRejectedAt: isoTime(r.lastRejectedAt),
    lastRejectReason: RejectReasonSchema.parse(r.lastRejectReason),
  };
}
