// SQL of the sensors feature: per-resident settings of the time-based rules, and the motion watch
// (since when each resident's motion sensor has seen nobody, and which silence was already raised).
import { DEFAULT_SENSOR_SETTINGS, type SensorSettings } from "../../protocol/index.ts";
import type { Queryable, Tx } from "../db/sql.ts";

interface SettingsRow {
  residentId: number;
  inactivityDayMinutes: number;
  inactivityNightMinutes: number;
  nightStart: string;
  nightEnd: string;
  doorWatch: number;
  doorFrom: string;
  doorTo: string;
}

const toSettings = (r: SettingsRow | undefined): SensorSettings =>
  r
    ? {
        inactivityDayMinutes: r.inactivityDayMinutes,
        inactivityNightMinutes: r.inactivityNightMinutes,
        nightStart: r.nightStart,
        nightEnd: r.nightEnd,
        doorWatch: r.doorWatch === 1,
        doorFrom: r.doorFrom,
        doorTo: r.doorTo,
      }
    : { ...DEFAULT_SENSOR_SETTINGS };

/** The resident's settings, or the defaults when staff never set them. */
export async function settingsOf(q: Queryable, residentId: number): Promise<SensorSettings> {
  return toSettings(
    await q.get<SettingsRow>(`SELECT * FROM "SensorSettings" WHERE "residentId" = ?`, [residentId]),
  );
}

export async function saveSettings(tx: Tx, residentId: number, s: SensorSettings, at: number): Promise<void> {
  await tx.run(
    `INSERT INTO "SensorSettings" ("residentId", "inactivityDayMinutes", "inactivityNightMinutes", "nightStart",
       "nightEnd", "doorWatch", "doorFrom", "doorTo", "updatedAt")
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT ("residentId") DO UPDATE SET "inactivityDayMinutes" = excluded."inactivityDayMinutes",
       "inactivityNightMinutes" = excluded."inactivityNightMinutes", "nightStart" = excluded."nightStart",
       "nightEnd" = excluded."nightEnd", "doorWatch" = excluded."doorWatch", "doorFrom" = excluded."doorFrom",
       "doorTo" = excluded."doorTo", "updatedAt" = excluded."updatedAt"`,
    [
      residentId,
      s.inactivityDayMinutes,
      s.inactivityNightMinutes,
      s.nightStart,
      s.nightEnd,
      s.doorWatch ? 1 : 0,
      s.doorFrom,
      s.doorTo,
      at,
    ],
  );
}

/** Someone moved at `at`: a new silence begins (a later sign of life never moves it back). */
export async function recordMotion(tx: Tx, residentId: number, at: number): Promise<void> {
  await tx.run(
    `INSERT INTO "MotionWatch" ("residentId", "lastMotionAt") VALUES (?, ?)
     ON CONFLICT ("residentId") DO UPDATE SET "lastMotionAt" = excluded."lastMotionAt"
     WHERE "MotionWatch"."lastMotionAt" < excluded."lastMotionAt"`,
    [residentId, at],
  );
}

/** The sensor reports in without motion: the silence is counted from now if nothing was heard before. */
export async function startWatch(tx: Tx, residentId: number, at: number): Promise<void> {
  await tx.run(
    `INSERT INTO "MotionWatch" ("residentId", "lastMotionAt") VALUES (?, ?) ON CONFLICT ("residentId") DO NOTHING`,
    [residentId, at],
  );
}

/** Whether the resident is watched at all (has a motion sensor that reported). */
export async function isWatched(q: Queryable, residentId: number): Promise<boolean> {
  return (await q.get(`SELECT 1 AS x FROM "MotionWatch" WHERE "residentId" = ?`, [residentId])) !== undefined;
}

export interface WatchRow {
  residentId: number;
  communityId: number;
  lastMotionAt: number;
  alertedFor: number | null;
  settings: SensorSettings;
}

/** Silences not raised yet, of residents still in service, with their settings. */
export async function openWatches(q: Queryable): Promise<WatchRow[]> {
  const rows = await q.all<
    SettingsRow & { communityId: number; lastMotionAt: number; alertedFor: number | null; watched: number }
  >(
    `SELECT w."residentId" AS watched, w."lastMotionAt", w."alertedFor", r."communityId", s.*
     FROM "MotionWatch" w JOIN "Resident" r ON r.id = w."residentId"
     LEFT JOIN "SensorSettings" s ON s."residentId" = w."residentId"
     WHERE r."retiredAt" IS NULL AND (w."alertedFor" IS NULL OR w."alertedFor" <> w."lastMotionAt")`,
  );
  return rows.map((r) => ({
    residentId: r.watched,
    communityId: r.communityId,
    lastMotionAt: r.lastMotionAt,
    alertedFor: r.alertedFor,
    settings: toSettings(r.residentId === null ? undefined : r),
  }));
}

export async function findWatch(
  q: Queryable,
  residentId: number,
): Promise<{ lastMotionAt: number; alertedFor: number | null } | undefined> {
  return q.get(`SELECT "lastMotionAt", "alertedFor" FROM "MotionWatch" WHERE "residentId" = ?`, [residentId]);
}

/** The silence that began at `episode` was raised (as `caseId`). */
export async function markRaised(tx: Tx, residentId: number, episode: number, caseId: number): Promise<void> {
  await tx.run(`UPDATE "MotionWatch" SET "alertedFor" = ?, "caseId" = ? WHERE "residentId" = ?`, [
    episode,
    caseId,
    residentId,
  ]);
}
