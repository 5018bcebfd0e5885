// SQL of follow-up tasks (回访任务): calls still to make on a case, written in the case's steps.
import {
  CaseTypeSchema,
  FollowUpTaskReasonSchema,
  FollowUpTaskStatusSchema,
  type FollowUpTask,
  type FollowUpTaskReason,
  type FollowUpTaskStatus,
  type Priority,
} from "../../protocol/index.ts";
import { isoTime, placeholders, type Queryable, type SqlValue, type Tx } from "../db/sql.ts";

const OPEN: FollowUpTaskStatus = "open";
const DONE: FollowUpTaskStatus = "done";
const DROPPED: FollowUpTaskStatus = "dropped";
const SKIPPED: FollowUpTaskStatus = "skipped";

/** Books a call; its attempt number follows the calls already made on the case. */
export async function insertTask(
  tx: Tx,
  t: { caseId: number; reason: FollowUpTaskReason; dueAt: number; at: number },
): Promise<void> {
  await tx.run(
    `INSERT INTO "FollowUpTask" ("caseId", reason, status, attempt, "dueAt", "createdAt")
     SELECT ?, ?, ?, COUNT(*) + 1, ?, ? FROM "FollowUp" WHERE "caseId" = ?`,
    [t.caseId, t.reason, OPEN, t.dueAt, t.at, t.caseId],
  );
}

/** A follow-up call was made: the calls booked for the case are done. */
export async function settleOpen(tx: Tx, caseId: number, at: number, staffId: number | null): Promise<void> {
  await tx.run(
    `UPDATE "FollowUpTask" SET status = ?, "settledAt" = ?, "settledById" = ? WHERE "caseId" = ? AND status = ?`,
    [DONE, at, staffId, caseId, OPEN],
  );
}

/** The case closed another way: calls still booked for it are dropped. */
export async function dropOpen(tx: Tx, caseId: number, at: number): Promise<void> {
  await tx.run(`UPDATE "FollowUpTask" SET status = ?, "settledAt" = ? WHERE "caseId" = ? AND status = ?`, [
    DROPPED,
    at,
    caseId,
    OPEN,
  ]);
}

/** The follow-up was waived: the calls still booked are skipped, with the reason. */
export async function skipOpen(
  tx: Tx,
  caseId: number,
  at: number,
  staffId: number | null,
  reason: string,
): Promise<void> {
  await tx.run(
    `UPDATE "FollowUpTask" SET status = ?, "settledAt" = ?, "settledById" = ?, "skipReason" = ?
     WHERE "caseId" = ? AND status = ?`,
    [SKIPPED, at, staffId, reason, caseId, OPEN],
  );
}

/** For case summaries: the next open call's due time. */
export const NEXT_DUE_SQL = `(SELECT MIN(t."dueAt") FROM "FollowUpTask" t WHERE t."caseId" = c.id AND t.status = '${OPEN}')`;

interface TaskRow {
  id: number;
  caseId: number;
  reason: string;
  status: string;
  attempt: number;
  dueAt: number;
  createdAt: number;
  residentName: string;
  residentPhone: string;
  communityName: string;
  caseType: string;
  priority: Priority;
}

/** Open tasks, soonest due first. */
export async function listOpen(
  q: Queryable,
  f: { dueBefore: number | null; communityIds: readonly number[] | null; limit: number },
): Promise<FollowUpTask[]> {
  const where = [`t.status = ?`];
  const params: SqlValue[] = [OPEN];
  if (f.dueBefore !== null) {
    where.push(`t."dueAt" < ?`);
    params.push(f.dueBefore);
  }
  if (f.communityIds !== null) {
    if (f.communityIds.length === 0) return [];
    where.push(`c."communityId" IN (${placeholders(f.communityIds.length)})`);
    params.push(...f.communityIds);
  }
  const rows = await q.all<TaskRow>(
    `SELECT t.id, t."caseId", t.reason, t.status, t.attempt, t."dueAt", t."createdAt",
       r.name AS "residentName", r.phone AS "residentPhone", cm.name AS "communityName",
       c.type AS "caseType", c.priority
     FROM "FollowUpTask" t JOIN "Case" c ON c.id = t."caseId" JOIN "Resident" r ON r.id = c."residentId"
     JOIN "Community" cm ON cm.id = c."communityId"
     WHERE ${where.join(" AND ")} ORDER BY t."dueAt", t.id LIMIT ?`,
    [...params, f.limit],
  );
  return rows.map((r) => ({
    id: r.id,
    caseId: r.caseId,
    reason: FollowUpTaskReasonSchema.parse(r.reason),
    status: FollowUpTaskStatusSchema.parse(r.status),
    attempt: r.attempt,
    dueAt: isoTime(r.dueAt)!,
    createdAt: isoTime(r.createdAt)!,
    residentName: r.residentName,
    residentPhone: r.residentPhone,
    communityName: r.communityName,
    caseType: CaseTypeSchema.parse(r.caseType),
    priority: r.priority,
  }));
}
