// Daily check-in: staff set a resident's hour; a sweep over the stored plans and presses raises
// one welfare check for a silent day (the shared rule of cases/welfare-rule.ts, also used by the
// motion sensor's inactivity), or notes the silence on a case already open about the resident.
import type { Logger } from "pino";
import { PLATFORM_TIME_ZONE, type CheckInPlan, type CheckInPlanInput } from "../../protocol/index.ts";
import { diffFields } from "../audit/repository.ts";
import type { AuditLog } from "../audit/service.ts";
import { requirePermission, type Principal } from "../auth/access.ts";
import type { CaseService, CaseStep } from "../cases/service.ts";
import { decideWelfare } from "../cases/welfare-rule.ts";
import type { Clock } from "../clock.ts";
import type { SqlDatabase, Tx } from "../db/sql.ts";
import * as repo from "./repository.ts";
import { deadlineOn, missedCheckIn } from "./rules.ts";

/** A resident without a plan reads as one switched off at the usual hour. */
const NO_PLAN = { enabled: false, dueTime: "10:00" } as const;

export interface CheckInDeps {
  db: SqlDatabase;
  clock: Clock;
  logger: Logger;
  /** A change of plan is recorded on the resident's history, in the same transaction. */
  audit: AuditLog;
  cases: Pick<CaseService, "activeCasesTx" | "openForResidentTx" | "noteTx" | "settleTx" | "afterCommit">;
  /** The resident's record, or not found outside the caller's scope. */
  readableResident(user: Principal, id: number): Promise<unknown>;
  timeZone?: string;
}

export class CheckInService {
  private readonly timeZone: string;
  constructor(private readonly deps: CheckInDeps) {
    this.timeZone = deps.timeZone ?? PLATFORM_TIME_ZONE;
  }

  async get(user: Principal, residentId: number): Promise<CheckInPlan> {
    requirePermission(user, "resident.read");
    await this.deps.readableResident(user, residentId);
    return this.dto(residentId, await repo.findPlan(this.deps.db, residentId));
  }

  async set(user: Principal, residentId: number, input: CheckInPlanInput): Promise<CheckInPlan> {
    requirePermission(user, "resident.care");
    await this.deps.readableResident(user, residentId);
    await this.deps.db.write(async (tx) => {
      const before = (await repo.findPlan(tx, residentId)) ?? NO_PLAN;
      const changes = diffFields(
        { checkInEnabled: before.enabled, checkInDueTime: before.dueTime },
        { checkInEnabled: input.enabled, checkInDueTime: input.dueTime },
      );
      if (Object.keys(changes).length === 0) return;
      await repo.savePlan(tx, { residentId, ...input, at: this.deps.clock.now() });
      await this.deps.audit.record(tx, user, {
        action: "update",
        entity: "resident",
        id: residentId,
        changes,
      });
    });
    return this.get(user, residentId);
  }

  /** Raises every silent day past its hour; the ids of the cases opened or noted. */
  async sweep(): Promise<number[]> {
    const now = this.deps.clock.now();
    const due = (await repo.enabledPlans(this.deps.db)).filter((p) => {
      const missed = missedCheckIn(p, now, this.timeZone);
      return missed !== null && missed.startedAt !== p.raisedFor;
    });
    const raised: number[] = [];
    for (const p of due) {
      // Matching for the new case in the same transaction, as for a press.
      const steps = await this.deps.db.write(async (tx) => {
        const taken = await this.raise(tx, p.residentId, now);
        return taken.length > 0 ? this.deps.cases.settleTx(tx, taken) : [];
      });
      const first = steps[0];
      if (first) {
        raised.push(first.caseId);
        await this.deps.cases.afterCommit(steps);
      }
    }
    return raised;
  }

  /** One resident, in its own transaction, read again: a press just stored ends the silence. */
  private async raise(tx: Tx, residentId: number, now: number): Promise<CaseStep[]> {
    const plan = await repo.findPlan(tx, residentId);
    const missed = plan?.enabled ? missedCheckIn(plan, now, this.timeZone) : null;
    if (!plan || !missed) return [];
    const decision = decideWelfare(
      { startedAt: missed.startedAt, raisedFor: plan.raisedFor },
      await this.deps.cases.activeCasesTx(tx, residentId),
    );
    if (decision.action === "none") return [];
    const note = `no daily check-in by ${plan.dueTime} (no press today)`;
    const steps: CaseStep[] = [];
    let caseId: number;
    if (decision.action === "note") caseId = decision.caseId;
    else {
      const opened = await this.deps.cases.openForResidentTx(
        tx,
        { residentId, communityId: plan.communityId, deviceId: null },
        "welfare_check",
      );
      steps.push(opened);
      caseId = opened.caseId;
    }
    steps.push(await this.deps.cases.noteTx(tx, caseId, note));
    await repo.markRaised(tx, residentId, missed.startedAt, caseId);
    this.deps.logger.warn({ residentId, caseId }, "daily check-in missed");
    return steps;
  }

  private dto(residentId: number, p: repo.PlanRow | undefined): CheckInPlan {
    const now = this.deps.clock.now();
    const dueTime = p?.dueTime ?? NO_PLAN.dueTime;
    const dueAt = deadlineOn(now, dueTime, this.timeZone);
    return {
      residentId,
      enabled: p?.enabled ?? NO_PLAN.enabled,
      dueTime,
      dueAt: new Date(dueAt).toISOString(),
      lastActivityAt: p?.lastActivityAt ? new Date(p.lastActivityAt).toISOString() : null,
      missedToday: p?.enabled === true && missedCheckIn(p, now, this.timeZone) !== null,
      raisedCaseId: p?.raisedCaseId ?? null,
      raisedToday: p?.raisedFor === dueAt,
    };
  }
}
