// SQL of daily check-in plans, with the resident's last press.
import { NOT_SIGNS_OF_LIFE } from "../../protocol/index.ts";
import { placeholders, type Queryable, type Tx } from "../db/sql.ts";

export interface PlanRow {
  residentId: number;
  communityId: number;
  enabled: boolean;
  dueTime: string;
  raisedFor: number | null;
  raisedCaseId: number | null;
  lastActivityAt: number | null;
}

const SELECT = `SELECT p."residentId", r."communityId", p.enabled, p."dueTime", p."raisedFor", p."raisedCaseId",
  (SELECT MAX(e."receivedAt") FROM "DeviceEvent" e JOIN "Device" d ON d.id = e."deviceId"
   WHERE d."residentId" = p."residentId" AND e.type NOT IN (${placeholders(NOT_SIGNS_OF_LIFE.length)})) AS "lastActivityAt"
  FROM "CheckInPlan" p JOIN "Resident" r ON r.id = p."residentId"`;

type Raw = Omit<PlanRow, "enabled"> & { enabled: number };
const fromRaw = (r: Raw): PlanRow => ({ ...r, enabled: r.enabled === 1 });

export async function findPlan(q: Queryable, residentId: number): Promise<PlanRow | undefined> {
  const row = await q.get<Raw>(`${SELECT} WHERE p."residentId" = ?`, [...NOT_SIGNS_OF_LIFE, residentId]);
  return row && fromRaw(row);
}

/** Enabled plans of residents in the register. */
export async function enabledPlans(q: Queryable): Promise<PlanRow[]> {
  const rows = await q.all<Raw>(
    `${SELECT} WHERE p.enabled = 1 AND r."retiredAt" IS NULL ORDER BY p."residentId"`,
    [...NOT_SIGNS_OF_LIFE],
  );
  return rows.map(fromRaw);
}

export async function savePlan(
  tx: Tx,
  p: { residentId: number; enabled: boolean; dueTime: string; at: number },
): Promise<void> {
  await tx.run(
    `INSERT INTO "CheckInPlan" ("residentId", enabled, "dueTime", "updatedAt") VALUES (?, ?, ?, ?)
     ON CONFLICT ("residentId") DO UPDATE SET enabled = excluded.enabled, "dueTime" = excluded."dueTime",
       "updatedAt" = excluded."updatedAt"`,
    [p.residentId, p.enabled ? 1 : 0, p.dueTime, p.at],
  );
}

export async function markRaised(
  tx: Tx,
  residentId: number,
  raisedFor: number,
  caseId: number,
): Promise<void> {
  await tx.run(`UPDATE "CheckInPlan" SET "raisedFor" = ?, "raisedCaseId" = ? WHERE "residentId" = ?`, [
    raisedFor,
    caseId,
    residentId,
  ]);
}
