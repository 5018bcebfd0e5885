// SQL of the supervision profiles per device kind.
import type { DeviceKind, SupervisionProfileInput } from "../../protocol/index.ts";
import type { Queryable, Tx } from "../db/sql.ts";

export interface ProfileRow extends SupervisionProfileInput {
  kind: DeviceKind;
  updatedAt: number | null;
}

export function allProfiles(q: Queryable): Promise<ProfileRow[]> {
  return q.all<ProfileRow>(
    `SELECT kind, "heartbeatSeconds", "missedBeatsOffline", "neverConnectedHours", "replaceAfterMinutes", "updatedAt"
     FROM "SupervisionProfile" ORDER BY kind`,
  );
}

/** Writes the kind's profile (a kind added since the migration gets its row here). */
export async function saveProfile(
  tx: Tx,
  kind: DeviceKind,
  p: SupervisionProfileInput,
  at: number,
): Promise<void> {
  await tx.run(
    `INSERT INTO "SupervisionProfile" (kind, "heartbeatSeconds", "missedBeatsOffline", "neverConnectedHours",
       "replaceAfterMinutes", "updatedAt") VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (kind) DO UPDATE SET "heartbeatSeconds" = excluded."heartbeatSeconds",
       "missedBeatsOffline" = excluded."missedBeatsOffline", "neverConnectedHours" = excluded."neverConnectedHours",
       "replaceAfterMinutes" = excluded."replaceAfterMinutes", "updatedAt" = excluded."updatedAt"`,
    [kind, p.heartbeatSeconds, p.missedBeatsOffline, p.neverConnectedHours, p.replaceAfterMinutes, at],
  );
}

/** The kind's default row, unless it has one (a new database, or a kind added since). */
export async function addMissingProfile(tx: Tx, kind: DeviceKind, p: SupervisionProfileInput): Promise<void> {
  await tx.run(
    `INSERT INTO "SupervisionProfile" (kind, "heartbeatSeconds", "missedBeatsOffline", "neverConnectedHours",
       "replaceAfterMinutes") VALUES (?, ?, ?, ?, ?) ON CONFLICT (kind) DO NOTHING`,
    [kind, p.heartbeatSeconds, p.missedBeatsOffline, p.neverConnectedHours, p.replaceAfterMinutes],
  );
}
