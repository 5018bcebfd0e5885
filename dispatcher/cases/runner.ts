// Runs the pure case engine against the database. A step is one write transaction
// (load → apply → save → persist the effects); only after the commit are its outside effects
// carried out: device acks, socket pushes, timers and matching (docs/decisions/0003).
import type { Logger } from "pino";
import { isActiveStatus, type AlertKind, type CaseSummary, type OfferDto } from "../../protocol/index.ts";
import { Backoff } from "../backoff.ts";
import type { Clock } from "../clock.ts";
import { isStorageError, type SqlDatabase, type Tx } from "../db/sql.ts";
import { DomainError } from "../errors.ts";
import { DEFAULT_MATCHING_OPTIONS, type MatchingOptions } from "../matching/index.ts";
import type { Notifier } from "../notifier.ts";
import type { TaskReporter } from "../platform-health.ts";
import { toResponderSummary, type ResponderRegistry } from "../responders/registry.ts";
import { apply, createCase, type NewCase } from "./machine.ts";
import { Matchmaker, planOffers, type MatchRequests } from "./matchmaker.ts";
import * as followUps from "./follow-up-repository.ts";
import * as repo from "./repository.ts";
import { findSummary } from "./summary-repository.ts";
import type { CaseState, Command, Effect, OfferState, Policy } from "./state.ts";

/** One committed step of one case: what the engine decided, to carry out after the commit. */
export interface CaseStep {
  caseId: number;
  created: boolean;
  state: CaseState;
  effects: Effect[];
  /** Staff alerts the step stored, to announce after the commit. */
  alertIds: number[];
  /** Open alerts the step settled because it ended the case. */
  settledAlertIds: number[];
}

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
}

export class CaseRunner {
  private readonly timers = new Map<number, NodeJS.Timeout>();
  private readonly matchmaker = new Matchmaker((requests) => this.track(this.match(requests)));
  private readonly running = new Set<Promise<unknown>>();
  /** A failed timer step or matching round is tried again after these delays (storage faults). */
  private readonly tickRetry = new Map<number, Backoff>();
  private readonly matchRetry = new Backoff({ initialMs: 200, maxMs: 5000 });
  private stopped = false;

  constructor(private readonly deps: CaseRunnerDeps) {}

  // ---- steps inside a transaction the caller owns ----

  async openTx(tx: Tx, input: Omit<NewCase, "id">): Promise<CaseStep> {
    const now = this.deps.clock.now();
    const { state, effects } = createCase({ ...input, id: 0 }, now, this.deps.policy);
    state.id = await repo.insertCase(tx, state);
    const alertIds = await this.persistEffects(tx, state, effects, now);
    return { caseId: state.id, created: true, state, effects, alertIds, settledAlertIds: [] };
  }

  /** Throws a DomainError, having written nothing, when the engine refuses the command. */
  async commandTx(tx: Tx, caseId: number, command: Command): Promise<CaseStep> {
    const now = this.deps.clock.now();
    const before = await repo.loadCase(tx, caseId);
    if (!before)
      throw new DomainError("not_found", `case ${caseId} not found`, { entity: "case", id: caseId });
    const result = apply(before, command, now, this.deps.policy);
    if (!result.ok) {
      throw new DomainError(result.code, result.message, { status: before.status, action: command.type });
    }
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
      } else if (e.kind === "follow_up_task") {
        await followUps.insertTask(tx, { caseId: state.id, reason: e.reason, dueAt: e.dueAt, at: now });
      } else if (e.kind === "follow_up_tasks_dropped") {
        await followUps.dropOpen(tx, state.id, now);
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
        });
      }
    }
    return alertIds;
  }

  // ---- a step as its own transaction (REST, timers) ----

  async execute(caseId: number, command: Command): Promise<CaseStep> {
    const step = await this.deps.db.write((tx) => this.commandTx(tx, caseId, command));
    await this.afterCommit([step]);
    return step;
  }

  // ---- after the commit: the outside world ----

  /**
   * Call right after the commit, before awaiting anything else: timers are re-armed and matching
   * requested in commit order, so an earlier step never overrides a later one's deadlines.
   * Notifications follow; a failure there is logged, since the step itself is done.
   */
  async afterCommit(steps: readonly CaseStep[]): Promise<void> {
    for (const s of steps) {
      this.schedule(s.state);
      for (const e of s.effects)
        if (e.kind === "find_candidates") this.matchmaker.request(s.caseId, e.exclude);
    }
    try {
      await this.notify(steps);
    } catch (err) {
      this.deps.logger.error({ err, cases: steps.map((s) => s.caseId) }, "notifying a case step failed");
    }
  }

  private async notify(steps: readonly CaseStep[]): Promise<void> {
    const touched = new Set<number>();
    for (const s of steps) {
      const summary = await findSummary(this.deps.db, s.caseId);
      if (!summary) continue;
      this.deps.notifier.caseChanged(summary, s.created);
      for (const e of s.effects) await this.carryOut(s.state, summary, e, touched);
      await this.deps.alerts.announce(s.alertIds, s.settledAlertIds);
      if (s.state.responderId !== null) touched.add(s.state.responderId);
    }
    if (touched.size === 0) return; // e.g. an ingest burst nobody was offered yet
    const work = await repo.responderWork(this.deps.db, [...touched]);
    for (const id of touched) {
      const r = await this.deps.registry.find(id);
      if (r) this.deps.notifier.responderChanged(toResponderSummary(r, work.get(id)));
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
          const offer = [...state.offers].reverse().find((o) => o.responderId === responderId);
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

  // ---- matching: read, plan and offer in one transaction, so two rounds never pick the same person ----

  private async match(requests: MatchRequests): Promise<void> {
    try {
      const steps = await this.deps.db.write(async (tx) => {
        const rows = await repo.waitingNeeds(tx, [...requests.keys()]);
        if (rows.length === 0) return [];
        const busy = new Set((await repo.responderWork(tx)).keys());
        const needs = rows.map((n) => ({ ...n, excludeResponderIds: requests.get(n.caseId) ?? [] }));
        const now = this.deps.clock.now();
        const plan = planOffers(
          needs,
          this.deps.registry.snapshot(busy),
          now,
          this.deps.policy,
          this.deps.matching ?? DEFAULT_MATCHING_OPTIONS,
        );
        const done: CaseStep[] = [];
        for (const p of plan) {
          try {
            done.push(await this.commandTx(tx, p.caseId, p.command));
          } catch (err) {
            // The engine refused before writing anything: the case moved on meanwhile.
            if (!(err instanceof DomainError)) throw err;
          }
        }
        return done;
      });
      this.matchRetry.reset();
      this.deps.tasks.taskSucceeded("matching");
      await this.afterCommit(steps);
    } catch (err) {
      // Nothing was offered: ask again later, so no waiting case is forgotten.
      this.deps.tasks.taskFailed("matching", err, { cases: [...requests.keys()] });
      if (!isStorageError(err)) return;
      const retry = setTimeout(() => {
        for (const [caseId, exclude] of requests) this.matchmaker.request(caseId, exclude);
      }, this.matchRetry.next());
      retry.unref();
    }
  }

  // ---- timers: deadlines live in the DB, so a restart re-arms them at their original time ----

  private schedule(state: CaseState): void {
    this.tickRetry.delete(state.id);
    if (!isActiveStatus(state.status)) return this.arm(state.id, null);
    const due = [state.offerDeadline, state.escalationDeadline].filter((t): t is number => t !== null);
    this.arm(state.id, due.length === 0 ? null : Math.max(0, Math.min(...due) - this.deps.clock.now()));
  }

  /** The case's one timer, in `delay` ms (null: none). */
  private arm(caseId: number, delay: number | null): void {
    const existing = this.timers.get(caseId);
    if (existing) clearTimeout(existing);
    this.timers.delete(caseId);
    if (this.stopped || delay === null) return;
    const timer = setTimeout(() => void this.track(this.tick(caseId)), delay);
    timer.unref();
    this.timers.set(caseId, timer);
  }

  private async tick(caseId: number): Promise<void> {
    this.timers.delete(caseId);
    if (this.stopped) return;
    try {
      await this.execute(caseId, { type: "tick" });
      this.deps.tasks.taskSucceeded("case timer");
    } catch (err) {
      // The deadline is still due: try again, or the offer would never expire nor the case escalate.
      this.deps.tasks.taskFailed("case timer", err, { caseId });
      if (!isStorageError(err)) return;
      let retry = this.tickRetry.get(caseId);
      if (!retry) this.tickRetry.set(caseId, (retry = new Backoff({ initialMs: 500, maxMs: 10_000 })));
      if (!this.timers.has(caseId)) this.arm(caseId, retry.next());
    }
  }

  /** After a start or restart: re-arm every deadline and resume matching that a crash interrupted. */
  async resume(): Promise<{ open: number }> {
    const ids = await repo.openCaseIds(this.deps.db);
    for (const id of ids) {
      const state = await repo.loadCase(this.deps.db, id);
      if (!state) continue;
      this.schedule(state);
      const waiting = state.status === "new" && state.kind !== "technical";
      const hasPending = state.offers.some((o) => o.status === "pending");
      if (waiting && !hasPending && state.offerDeadline === null) {
        this.matchmaker.request(id, [...new Set(state.offers.map((o) => o.responderId))]);
      }
    }
    return { open: ids.length };
  }

  /** Stops timers and matching, and waits for the steps they already began. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    this.matchmaker.stop();
    await Promise.allSettled([...this.running]);
  }

  private track<T>(p: Promise<T>): Promise<T> {
    this.running.add(p);
    const done = () => void this.running.delete(p);
    p.then(done, done);
    return p;
  }
}
