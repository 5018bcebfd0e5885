// Runs the case engine against the database. A turn is one write transaction: the step that came
// in (a press, a tap, a timer), then matching for every case that asks (dispatch.ts), all
// committed with one fsync; only after the commit are outside effects carried out — device acks,
// socket pushes (one per case per turn), the due-time index (decisions 0003, 0009).
//   - Deadlines: one timer for the earliest deadline of any case; everything due is ticked in one
//     transaction. Deadlines live in the database, so a restart re-arms each at its original time.
//   - A case nobody could take has no timer: it is retried when a responder comes on duty, frees
//     up or moves nearby, and by a slow sweep — and a retry that finds nobody writes nothing.
//   - Storage faults (docs/architecture.md, "When storage fails"): a failed turn commits nothing and
//     changes no memory; its deadlines and matching are tried again with backoff, reported as a
//     failing task, never thrown out of a timer.
import type { Logger } from "pino";
import {
  haversineMeters,
  isActiveStatus,
  type AlertKind,
  type CaseSummary,
  type OfferDto,
} from "../../protocol/index.ts";
import { Backoff } from "../backoff.ts";
import type { Clock } from "../clock.ts";
import { isStorageError, type SqlDatabase, type Tx } from "../db/sql.ts";
import { DomainError } from "../errors.ts";
import { DEFAULT_MATCHING_OPTIONS, type MatchingOptions } from "../matching/index.ts";
import type { Notifier } from "../notifier.ts";
import type { TaskReporter } from "../platform-health.ts";
import { type ResponderChange, type ResponderEntry, type ResponderRegistry } from "../responders/registry.ts";
import { Dispatch, unchanged, type CaseStep, type CaseStore } from "./dispatch.ts";
import { DispatchModel } from "./dispatch-model.ts";
import { apply, createCase, type NewCase } from "./machine.ts";
import * as followUps from "./follow-up-repository.ts";
import * as repo from "./repository.ts";
import { findSummaries } from "./summary-repository.ts";
import type { CaseState, Command, Effect, OfferState, Policy } from "./state.ts";

export type { CaseStep } from "./dispatch.ts";

/** Where the engine's staff alerts are stored (in the step's transaction) and announced. */
export interface AlertRecorder {
  recordTx(tx: Tx, a: { caseId: number; kind: AlertKind; message: string }): Promise<number>;
  settleTx(tx: Tx, caseId: number, by: { userId: number | null; name: string | null }): Promise<number[]>;
  announce(ids: readonly number[], settled?: readonly number[]): Promise<void>;
}

export interface CaseRunnerDeps {
  db: SqlDatabase;
  clock: Clock;
  policy: Policy;
  notifier: Notifier;
  registry: ResponderRegistry;
  logger: Logger;
  alerts: AlertRecorder;
  tasks: TaskReporter;
  matching?: MatchingOptions;
  /** The slow safety sweep over cases still wanting responders; 0 turns it off. */
  sweepMs?: number;
}

const DEFAULTS = { sweepMs: 60_000 } as const;
/** A responder's move counts as a change that could help once it is this far from the last one. */
const MOVE_METERS = 250;

export class CaseRunner {
  readonly model: DispatchModel;
  readonly dispatch: Dispatch;
  private readonly running = new Set<Promise<unknown>>();
  private timer: { at: number; handle: NodeJS.Timeout } | null = null;
  private sweep: NodeJS.Timeout | null = null;
  private triggered = new Map<number, ResponderEntry>();
  private triggerScheduled = false;
  private readonly lastSeenAt = new Map<number, { lat: number; lng: number }>();
  /** Cases whose matching failed inside another feature's transaction: matched again after it. */
  private readonly retry = new Set<number>();
  /** After a failed timer turn, the due-time index waits this out before trying again. */
  private readonly tickRetry = new Backoff({ initialMs: 500, maxMs: 10_000 });
  private holdTimersUntil = 0;
  /** Cases whose matching turn failed on storage, matched again after a backoff. */
  private readonly matchRetry = new Backoff({ initialMs: 200, maxMs: 5000 });
  private readonly failedMatches = new Set<number>();
  private matchRetryTimer: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(private readonly deps: CaseRunnerDeps) {
    this.model = new DispatchModel((id, work) => deps.registry.setWork(id, work));
    this.dispatch = new Dispatch(
      this.model,
      deps.registry.pool,
      deps.policy,
      deps.matching ?? DEFAULT_MATCHING_OPTIONS,
    );
    deps.registry.onChange((r, change) => this.responderChanged(r, change));
  }

  get matching(): MatchingOptions {
    return this.dispatch.options;
  }

  // ---- steps inside a transaction the caller owns ----

  async openTx(tx: Tx, input: Omit<NewCase, "id">): Promise<CaseStep> {
    const now = this.deps.clock.now();
    const { state, effects } = createCase({ ...input, id: 0 }, now, this.deps.policy);
    state.id = await repo.insertCase(tx, state);
    const alertIds = await this.persistEffects(tx, state, effects, now);
    const site = await repo.siteOf(tx, state.id);
    return { caseId: state.id, created: true, state, effects, alertIds, ...(site ? { site } : {}) };
  }

  /** Throws a DomainError, having written nothing, when the engine refuses the command. */
  async commandTx(tx: Tx, caseId: number, command: Command): Promise<CaseStep> {
    const step = await this.stepTx(tx, caseId, command, false);
    return step!;
  }

  /**
   * Matching for the steps just taken in `tx` (the intake's batch of presses), in the same
   * transaction, so a press and its first offers share one commit. A failure here undoes only the
   * matching: the presses stand, and their cases are matched again after the commit.
   */
  async settleTx(tx: Tx, steps: CaseStep[]): Promise<CaseStep[]> {
    if (!steps.some((s) => s.effects.some((e) => e.kind === "find_candidates"))) return steps;
    try {
      return await tx.savepoint((sp) =>
        this.dispatch.settle(this.store(sp), steps, [], this.deps.clock.now()),
      );
    } catch (err) {
      // Storage failing fails the caller's whole transaction (its batch is held and retried).
      if (isStorageError(err)) throw err;
      this.deps.tasks.taskFailed("matching", err, { cases: steps.map((s) => s.caseId) });
      for (const s of steps) this.retry.add(s.caseId);
      return steps;
    }
  }
  /** `quiet`: a refused command or one that changes nothing writes nothing and answers null. */
  private async stepTx(tx: Tx, caseId: number, command: Command, quiet: boolean): Promise<CaseStep | null> {
    const now = this.deps.clock.now();
    const before = await repo.loadCase(tx, caseId);
    if (!before) {
      if (quiet) return null;
      throw new DomainError("not_found", `case ${caseId} not found`, { entity: "case", id: caseId });
    }
    const result = apply(before, command, now, this.deps.policy);
    if (!result.ok) {
      if (quiet) return null;
      throw new DomainError(result.code, result.message, { status: before.status, action: command.type });
    }
    if (quiet && result.effects.length === 0 && unchanged(before, result.state)) return null;
    await repo.saveCase(tx, result.state);
    const alertIds = await this.persistEffects(tx, result.state, result.effects, now);
    // Whoever ended the case (cancelled, resolved, closed) has acted on its alerts.
    const ended =
      isActiveStatus(before.status) !== isActiveStatus(result.state.status) ||
      result.state.status === "closed";
    const actor = "actor" in command ? command.actor : null;
    const settledAlertIds = ended
      ? await this.deps.alerts.settleTx(tx, caseId, {
          userId: actor?.type === "staff" && actor.id !== null ? Number(actor.id) : null,
          name: actor?.name ?? null,
        })
      : [];
    return {
      caseId,
      created: false,
      state: result.state,
      effects: result.effects,
      alertIds,
      settledAlertIds,
    };
  }

  private store(tx: Tx): CaseStore {
    return {
      command: (caseId, command) => this.stepTx(tx, caseId, command, true),
      free: async (responderId) => !(await repo.responderWork(tx, [responderId])).has(responderId),
    };
  }

  /** Writes the effects that are rows; returns the ids of the staff alerts among them. */
  private async persistEffects(tx: Tx, state: CaseState, effects: Effect[], now: number): Promise<number[]> {
    const alertIds: number[] = [];
    const staffIdOf = (actor: { type: string; id: string | null }) =>
      actor.type === "staff" && actor.id !== null ? Number(actor.id) : null;
    for (const e of effects) {
      if (e.kind === "event") {
        await repo.addEvent(tx, state.id, {
          type: e.type,
          actor: e.actor,
          at: now,
          note: e.note,
          data: e.data,
        });
      } else if (e.kind === "follow_up") {
        const staffId = staffIdOf(e.actor);
        await followUps.settleOpen(tx, state.id, now, staffId);
        await repo.addFollowUp(tx, { caseId: state.id, staffId, at: now, outcome: e.outcome, note: e.note });
        // The follow-up call is in the service log too (民情日记: every contact with the resident).
        await repo.addServiceLog(tx, {
          caseId: state.id,
          responderId: null,
          at: now,
          content: e.note ?? e.outcome,
          durationMinutes: null,
          kind: "follow_up",
        });
      } else if (e.kind === "follow_up_task") {
        await followUps.insertTask(tx, { caseId: state.id, reason: e.reason, dueAt: e.dueAt, at: now });
      } else if (e.kind === "follow_up_tasks_dropped") {
        await followUps.dropOpen(tx, state.id, now);
      } else if (e.kind === "follow_up_tasks_skipped") {
        await followUps.skipOpen(tx, state.id, now, staffIdOf(e.actor), e.reason);
      } else if (e.kind === "alert_staff") {
        alertIds.push(
          await this.deps.alerts.recordTx(tx, { caseId: state.id, kind: e.alert, message: e.message }),
        );
      } else if (e.kind === "call_log") {
        await repo.addCall(tx, { caseId: state.id, at: now, call: e.call, actor: e.actor });
      } else if (e.kind === "service_log") {
        const minutes = state.arrivedAt === null ? null : Math.round((now - state.arrivedAt) / 60_000);
        await repo.addServiceLog(tx, {
          caseId: state.id,
          responderId: e.responderId,
          at: now,
          content: e.content,
          durationMinutes: minutes,
          kind: state.type === "welfare_check" ? "welfare_check" : "job",
        });
      }
    }
    return alertIds;
  }

  // ---- a turn as its own transaction (REST, timers, retries) ----

  /** One command and the matching it calls for; answers with the command's own step. */
  async execute(caseId: number, command: Command): Promise<CaseStep> {
    const steps = await this.turn(async (tx, now) => {
      const step = await this.commandTx(tx, caseId, command);
      return this.dispatch.settle(this.store(tx), [step], [], now);
    });
    return steps[0]!;
  }

  /** Memory follows only committed turns: a failed one (refused, storage) leaves it as it was. */
  private async turn(fn: (tx: Tx, now: number) => Promise<CaseStep[]>): Promise<CaseStep[]> {
    const steps = await this.deps.db.write((tx) => fn(tx, this.deps.clock.now()));
    await this.afterCommit(steps);
    return steps;
  }

  /** Matches `caseIds` again in a turn of their own, if matching would do anything for them. */
  private async rematch(caseIds: Iterable<number>, why: string): Promise<void> {
    if (this.stopped) return;
    const worth = this.dispatch.worthMatching(caseIds, this.deps.clock.now());
    if (worth.length === 0) return;
    try {
      await this.turn((tx, now) => this.dispatch.settle(this.store(tx), [], worth, now));
      this.matchRetry.reset();
      this.deps.tasks.taskSucceeded("matching");
    } catch (err) {
      // Nothing was offered: ask again later, so no waiting case waits for the sweep.
      this.deps.tasks.taskFailed("matching", err, { cases: worth, why });
      if (isStorageError(err)) this.retryMatching(worth);
    }
  }

  private retryMatching(caseIds: readonly number[]): void {
    for (const id of caseIds) this.failedMatches.add(id);
    if (this.matchRetryTimer || this.stopped) return;
    this.matchRetryTimer = setTimeout(() => {
      this.matchRetryTimer = null;
      const ids = [...this.failedMatches];
      this.failedMatches.clear();
      void this.track(this.rematch(ids, "after a storage fault"));
    }, this.matchRetry.next());
    this.matchRetryTimer.unref();
  }

  // ---- after the commit: memory, the due-time index, then the outside world ----

  /**
   * Call right after the commit, before awaiting anything else: memory (who is busy, what is due)
   * follows the steps in commit order, so an earlier step never overrides a later one.
   * Notifications follow, one per case; a failure there is logged, since the steps are done.
   */
  async afterCommit(steps: readonly CaseStep[]): Promise<void> {
    const touched = new Set<number>();
    for (const s of steps) for (const r of this.model.observe(s.state, s.site)) touched.add(r);
    this.arm();
    if (this.retry.size > 0) {
      const ids = [...this.retry];
      this.retry.clear();
      setImmediate(() => void this.track(this.rematch(ids, "after a failed match")));
    }
    try {
      await this.notify(steps, touched);
    } catch (err) {
      this.deps.logger.error({ err, cases: steps.map((s) => s.caseId) }, "notifying a case step failed");
    }
  }

  private async notify(steps: readonly CaseStep[], touched: Set<number>): Promise<void> {
    if (steps.length === 0) return;
    const summaries = await findSummaries(this.deps.db, [...new Set(steps.map((s) => s.caseId))]);
    const created = new Set(steps.filter((s) => s.created).map((s) => s.caseId));
    for (const [caseId, summary] of summaries) this.deps.notifier.caseChanged(summary, created.has(caseId));
    for (const s of steps) {
      const summary = summaries.get(s.caseId);
      if (!summary) continue;
      for (const e of s.effects) await this.carryOut(s.state, summary, e, touched);
      await this.deps.alerts.announce(s.alertIds ?? [], s.settledAlertIds ?? []);
      if (s.state.responderId !== null) touched.add(s.state.responderId);
    }
    for (const id of touched) {
      const r = await this.deps.registry.find(id);
      if (r)
        this.deps.notifier.responderChanged(this.deps.registry.summary(r, this.deps.registry.workOf(id)));
    }
  }

  private async carryOut(
    state: CaseState,
    summary: CaseSummary,
    e: Effect,
    touched: Set<number>,
  ): Promise<void> {
    const { notifier } = this.deps;
    const at = new Date(this.deps.clock.now()).toISOString();
    switch (e.kind) {
      case "ack_device": {
        if (!state.deviceId || !state.openingEventId) return;
        const responder =
          e.responderId === undefined ? undefined : await this.deps.registry.find(e.responderId);
        notifier.ackDevice(state.deviceId, {
          eventId: state.openingEventId,
          status: e.status,
          caseId: state.id,
          ...(e.etaSeconds !== undefined ? { etaSeconds: e.etaSeconds } : {}),
          ...(responder ? { responderName: responder.name } : {}),
          ...(e.reason ? { reason: e.reason } : {}),
          at,
        });
        return;
      }
      case "offers_made":
        for (const responderId of e.responderIds) {
          const offer = state.offers.find((o) => o.responderId === responderId && o.status === "pending");
          if (!offer || offer.id === null) continue;
          notifier.offer(responderId, { ...(await this.offerDto(state.id, offer)), case: summary });
          touched.add(responderId);
        }
        return;
      case "offers_closed":
        for (const responderId of e.responderIds) {
          const offer = state.offers.findLast((o) => o.responderId === responderId);
          if (offer?.id != null)
            notifier.offerWithdrawn(responderId, { offerId: offer.id, caseId: state.id, reason: e.reason });
          touched.add(responderId);
        }
        return;
      case "responder_released":
        if (e.responderId !== summary.responderId) notifier.caseReleased(e.responderId, summary);
        touched.add(e.responderId);
        return;
      case "responder_assigned":
        touched.add(e.responderId);
        return;
      case "alert_staff":
        // Stored with the step; announced (with its id) once all effects are carried out.
        this.deps.logger.warn({ caseId: state.id, alert: e.alert }, "staff alert: %s", e.message);
        return;
      default:
        return;
    }
  }

  async offerDto(caseId: number, o: OfferState): Promise<OfferDto> {
    return {
      id: o.id!,
      caseId,
      responderId: o.responderId,
      responderName: (await this.deps.registry.find(o.responderId))?.name ?? "",
      status: o.status,
      etaSeconds: o.etaSeconds,
      distanceMeters: o.distanceMeters,
      createdAt: new Date(o.createdAt).toISOString(),
      deadline: new Date(o.deadline).toISOString(),
    };
  }

  // ---- the due-time index: one timer, for the earliest deadline of any case ----

  private arm(): void {
    if (this.stopped) return;
    const at = this.model.nextDue();
    if (this.timer && this.timer.at === at) return;
    if (this.timer) clearTimeout(this.timer.handle);
    this.timer = null;
    if (at === null) return;
    const wake = Math.max(at, this.holdTimersUntil);
    const handle = setTimeout(() => void this.track(this.fire()), Math.max(0, wake - this.deps.clock.now()));
    handle.unref();
    this.timer = { at, handle };
  }

  /** Every case whose deadline has come, ticked in one transaction with the matching it calls for. */
  private async fire(): Promise<void> {
    this.timer = null;
    if (this.stopped) return;
    const due = this.model.takeDue(this.deps.clock.now());
    if (due.length === 0) {
      this.arm();
      return;
    }
    try {
      await this.turn(async (tx, now) => {
        const steps: CaseStep[] = [];
        for (const id of due) {
          const step = await this.tickTx(tx, id);
          if (step) steps.push(step);
        }
        return this.dispatch.settle(this.store(tx), steps, [], now);
      });
      this.holdTimersUntil = 0;
      this.tickRetry.reset();
      this.deps.tasks.taskSucceeded("case timer");
    } catch (err) {
      // Nothing was committed: the deadlines are still due, or no offer would ever expire nor a
      // case escalate. They go back into the index, woken after a backoff.
      this.deps.tasks.taskFailed("case timer", err, { cases: due });
      this.holdTimersUntil = this.deps.clock.now() + this.tickRetry.next();
      this.model.rearm(due);
      this.arm();
    }
  }

  /** One case's tick in a savepoint: a case the engine cannot tick (a bug) does not hold up the rest. */
  private async tickTx(tx: Tx, caseId: number): Promise<CaseStep | null> {
    try {
      return await tx.savepoint((sp) => this.stepTx(sp, caseId, { type: "tick" }, true));
    } catch (err) {
      if (isStorageError(err)) throw err;
      this.deps.tasks.taskFailed("case timer", err, { caseId });
      return null;
    }
  }

  // ---- retries: when something changes that could help, and a slow sweep ----

  private responderChanged(r: ResponderEntry, change: ResponderChange): void {
    if (this.stopped || !r.onDuty || r.busy || r.lat === null || r.lng === null) return;
    if (change === "location") {
      // Small moves change nobody's chances; a first fix, or a move of a few hundred metres, may.
      const last = this.lastSeenAt.get(r.id);
      if (last && haversineMeters(last.lat, last.lng, r.lat, r.lng) < MOVE_METERS) return;
    }
    this.lastSeenAt.set(r.id, { lat: r.lat, lng: r.lng });
    this.triggered.set(r.id, r);
    if (this.triggerScheduled) return;
    this.triggerScheduled = true;
    // Coalesced per turn: a burst of duty or position changes is one look at the waiting cases.
    setImmediate(() => {
      this.triggerScheduled = false;
      const responders = [...this.triggered.values()];
      this.triggered = new Map();
      const now = this.deps.clock.now();
      const ids = this.dispatch.helpedBy(responders, now);
      if (ids.length > 0) void this.track(this.rematch(ids, "a responder could help"));
    });
  }

  private startSweep(): void {
    const ms = this.deps.sweepMs ?? DEFAULTS.sweepMs;
    if (ms <= 0) return;
    this.sweep = setInterval(() => {
      void this.track(this.rematch(this.dispatch.wanting(this.deps.clock.now()), "sweep"));
    }, ms);
    this.sweep.unref();
  }

  // ---- start, reload, stop ----

  /** After a start or restart: every open case into memory, every deadline re-armed at its time. */
  async resume(): Promise<{ open: number }> {
    const open = await this.load();
    this.startSweep();
    await this.rematch(this.dispatch.wanting(this.deps.clock.now()), "resume");
    return { open };
  }

  private async load(): Promise<number> {
    const ids = await repo.openCaseIds(this.deps.db);
    for (const id of ids) {
      const [state, site] = await Promise.all([
        repo.loadCase(this.deps.db, id),
        repo.siteOf(this.deps.db, id),
      ]);
      if (state && site) this.model.observe(state, site);
    }
    this.arm();
    return ids.length;
  }

  /** Stops timers and matching, and waits for the turns they already began. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer.handle);
    this.timer = null;
    if (this.sweep) clearInterval(this.sweep);
    if (this.matchRetryTimer) clearTimeout(this.matchRetryTimer);
    await Promise.allSettled([...this.running]);
  }

  private track<T>(p: Promise<T>): Promise<T> {
    this.running.add(p);
    const done = () => void this.running.delete(p);
    p.then(done, done);
    return p;
  }
}
