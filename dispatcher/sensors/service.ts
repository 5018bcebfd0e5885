// Home sensors: what a sensor's event means beyond the press rule (a door opening at an unusual
// hour, a sign of life), the per-resident settings of those rules, and the inactivity check that
// turns a motion sensor's long silence into exactly one welfare check per episode. The check runs
// when the earliest silence falls due, computed from the stored times (like the case engine's
// due-time index), not on a fixed beat; it starts and stops with the feature, so in cluster mode
// only the leader runs it.
import type { Logger } from "pino";
import {
  SensorSettingsSchema,
  type DeviceEventType,
  type SensorSettings,
  type User,
} from "../../protocol/index.ts";
import type { AuditLog } from "../audit/service.ts";
import { requirePermission, type Principal } from "../auth/access.ts";
import { Backoff } from "../backoff.ts";
import type { CaseService, CaseStep } from "../cases/service.ts";
import type { PressContext } from "../cases/press-rule.ts";
import { decideWelfare } from "../cases/welfare-rule.ts";
import type { Clock } from "../clock.ts";
import type { SqlDatabase, Tx } from "../db/sql.ts";
import type { TaskReporter } from "../platform-health.ts";
import * as repo from "./repository.ts";
import { inactivityDueAt, isDoorWarning } from "./rules.ts";

/** Events that show the resident is up and about: the silence starts again. */
const SIGNS_OF_LIFE: readonly DeviceEventType[] = ["motion", "test", "cancel", "service_request"];

/** Even with nothing due, the stored times are read again this often (and no timer runs longer). */
const REPLAN_MS = 6 * 60 * 60_000;
const TASK = "inactivity check";
const MIN_WINDOW_MS = 30 * 60_000;

export interface SensorServiceDeps {
  db: SqlDatabase;
  clock: Clock;
  logger: Logger;
  tasks: TaskReporter;
  audit: AuditLog;
  cases: Pick<CaseService, "activeCasesTx" | "openForResidentTx" | "noteTx" | "afterCommit">;
  /** The resident exists and is in the caller's scope, or not found. */
  residentReadable(user: Principal, residentId: number): Promise<void>;
}

export class SensorService {
  private timer: { at: number; handle: NodeJS.Timeout } | null = null;
  private running: Promise<void> = Promise.resolve();
  private started = false;
  private readonly retry = new Backoff({ initialMs: 10_000, maxMs: 5 * 60_000 });

  constructor(private readonly deps: SensorServiceDeps) {}

  async settings(user: User, residentId: number): Promise<SensorSettings> {
    requirePermission(user, "resident.read");
    await this.deps.residentReadable(user, residentId);
    return repo.settingsOf(this.deps.db, residentId);
  }

  async updateSettings(user: Principal, residentId: number, input: SensorSettings): Promise<SensorSettings> {
    requirePermission(user, "resident.care");
    await this.deps.residentReadable(user, residentId);
    const next = SensorSettingsSchema.parse(input);
    await this.deps.db.write(async (tx) => {
      const before = await repo.settingsOf(tx, residentId);
      await repo.saveSettings(tx, residentId, next, this.deps.clock.now());
      const changes = Object.fromEntries(
        (Object.keys(next) as (keyof SensorSettings)[])
          .filter((k) => before[k] !== next[k])
          .map((k) => [`sensors.${k}`, [before[k], next[k]] as const]),
      );
      await this.deps.audit.record(tx, user, {
        action: "update",
        entity: "resident",
        id: residentId,
        changes,
      });
    });
    // A shorter window may fall due before the check now planned.
    await this.replan();
    return next;
  }

  /**
   * Inside the intake's transaction, before the press rule: records a sign of life, and says
   * whether a door opening is a warning for this resident now. Times are the platform's clock,
   * never the device's: a sensor with a wrong clock must not raise or hide an alarm.
   */
  async observe(tx: Tx, residentId: number, type: DeviceEventType): Promise<PressContext> {
    const now = this.deps.clock.now();
    if (type === "door_open") {
      return { doorWarning: isDoorWarning(await repo.settingsOf(tx, residentId), now) };
    }
    if (type === "no_motion") await repo.startWatch(tx, residentId, now);
    else if (type === "motion") await repo.recordMotion(tx, residentId, now);
    else if (SIGNS_OF_LIFE.includes(type) && (await repo.isWatched(tx, residentId))) {
      await repo.recordMotion(tx, residentId, now);
    } else return { doorWarning: false };
    // A silence starts now: its check may be due before the one planned (a new or a raised watch);
    // no window is shorter than half an hour, so a check planned sooner than that stands.
    if (this.started && (this.timer === null || this.timer.at > now + MIN_WINDOW_MS)) {
      this.wakeBy(inactivityDueAt(now, await repo.settingsOf(tx, residentId)));
    }
    return { doorWarning: false };
  }
  async start(): Promise<void> {
    this.started = true;
    await this.replan();
  }

  async stop(): Promise<void> {
    this.started = false;
    this.clearTimer();
    await this.running;
  }

  /** When the inactivity check runs next (epoch ms), or null when stopped. */
  nextCheckAt(): number | null {
    return this.timer?.at ?? null;
  }

  /** Plans the check at the earliest silence that falls due, from the stored times. */
  private async replan(): Promise<void> {
    if (!this.started) return;
    const watches = await repo.openWatches(this.deps.db);
    const due = watches.reduce(
      (first, w) => Math.min(first, inactivityDueAt(w.lastMotionAt, w.settings)),
      this.deps.clock.now() + REPLAN_MS,
    );
    this.plan(due, true);
  }

  /** The check runs no later than `at`. */
  private wakeBy(at: number): void {
    if (this.started) this.plan(at, false);
  }

  private plan(at: number, replace: boolean): void {
    if (this.timer && this.timer.at <= at && !replace) return;
    this.clearTimer();
    const wait = Math.min(Math.max(0, at - this.deps.clock.now()), REPLAN_MS);
    const handle = setTimeout(() => {
      this.timer = null;
      this.running = this.check();
    }, wait);
    handle.unref();
    this.timer = { at, handle };
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer.handle);
    this.timer = null;
  }

  /** A background task under the storage-fault contract: a failure is reported and retried. */
  private async check(): Promise<void> {
    try {
      await this.sweep();
      this.retry.reset();
      this.deps.tasks.taskSucceeded(TASK);
      await this.replan();
    } catch (err) {
      this.deps.tasks.taskFailed(TASK, err);
      if (this.started) this.plan(this.deps.clock.now() + this.retry.next(), true);
    }
  }

  /** Raises every silence that has lasted past its window; the ids of the cases opened. */
  async sweep(): Promise<number[]> {
    const now = this.deps.clock.now();
    const due = (await repo.openWatches(this.deps.db)).filter(
      (w) => inactivityDueAt(w.lastMotionAt, w.settings) <= now,
    );
    const opened: number[] = [];
    for (const w of due) {
      const step = await this.deps.db.write((tx) => this.raise(tx, w, now));
      if (step) {
        opened.push(step.caseId);
        await this.deps.cases.afterCommit([step]);
      }
    }
    return opened;
  }

  /** One silence, in its own transaction: read again, so a motion just stored ends the episode. */
  private async raise(tx: Tx, w: repo.WatchRow, now: number): Promise<CaseStep | null> {
    const watch = await repo.findWatch(tx, w.residentId);
    if (!watch || inactivityDueAt(watch.lastMotionAt, w.settings) > now) return null;
    const episode = { startedAt: watch.lastMotionAt, raisedFor: watch.alertedFor };
    const decision = decideWelfare(episode, await this.deps.cases.activeCasesTx(tx, w.residentId));
    if (decision.action === "none") return null;
    const silentMinutes = Math.round((now - watch.lastMotionAt) / 60_000);
    const note = `no movement seen for ${silentMinutes} min (since ${new Date(watch.lastMotionAt).toISOString()})`;
    let step: CaseStep;
    if (decision.action === "open") {
      step = await this.deps.cases.openForResidentTx(
        tx,
        { residentId: w.residentId, communityId: w.communityId, deviceId: null },
        "welfare_check",
      );
      await this.deps.cases.noteTx(tx, step.caseId, note);
    } else {
      step = await this.deps.cases.noteTx(tx, decision.caseId, note);
    }
    await repo.markRaised(tx, w.residentId, watch.lastMotionAt, step.caseId);
    this.deps.logger.warn(
      { residentId: w.residentId, caseId: step.caseId, silentMinutes },
      "inactivity raised",
    );
    return step;
  }
}
