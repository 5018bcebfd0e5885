// Case service: runs the pure engine inside one synchronous DB transaction per step, then
// carries out the effects (device acks, socket pushes, timers, matching) after the commit.
import type { Database } from "better-sqlite3";
import type { Logger } from "pino";
import { isActiveStatus, type CaseSummary, type OfferDto } from "../../protocol/index.ts";
import { DomainError } from "../errors.ts";
import { apply, createCase, type NewCase } from "./machine.ts";
import { CaseRepository } from "./repository.ts";
import type { Clock } from "../clock.ts";
import type { Notifier } from "../notifier.ts";
import { SYSTEM, type CaseState, type Command, type Effect, type Policy } from "./state.ts";
import type { ResponderRegistry } from "../responders/registry.ts";
import { Matchmaker } from "./matchmaker.ts";

export interface Outcome {
  caseId: number;
  created: boolean;
  state: CaseState;
  effects: Effect[];
}

export interface CaseServiceDeps {
  db: Database;
  clock: Clock;
  policy: Policy;
  notifier: Notifier;
  responders: ResponderRegistry;
  logger: Logger;
}

export class CaseService {
  readonly repo: CaseRepository;
  private readonly timers = new Map<number, NodeJS.Timeout>();
  private readonly matchmaker: Matchmaker;
  private stopped = false;

  constructor(private readonly deps: CaseServiceDeps) {
    this.repo = new CaseRepository(deps.db);
    this.matchmaker = new Matchmaker({
      db: deps.db,
      clock: deps.clock,
      policy: deps.policy,
      responders: deps.responders,
      logger: deps.logger,
      offer: (requests) => this.runBatch(requests),
    });
  }

  // ---- synchronous steps; call inside a transaction ----

  createTx(input: Omit<NewCase, "id">): Outcome {
    const now = this.deps.clock.now();
    const { state, effects } = createCase({ ...input, id: 0 }, now, this.deps.policy);
    state.id = this.repo.insert(state);
    this.persistEffects(state, effects, now);
    return { caseId: state.id, created: true, state, effects };
  }

  commandTx(caseId: number, command: Command): Outcome {
    const now = this.deps.clock.now();
    const before = this.repo.load(caseId);
    if (!before) throw new DomainError("not_found", `case ${caseId} not found`);
    const result = apply(before, command, now, this.deps.policy);
    if (!result.ok) throw new DomainError(result.code, result.message);
    this.repo.save(result.state);
    this.persistEffects(result.state, result.effects, now);
    return { caseId, created: false, state: result.state, effects: result.effects };
  }

  private persistEffects(state: CaseState, effects: Effect[], now: number): void {
    for (const e of effects) {
      if (e.kind === "event") this.repo.addEvent(state.id, e.type, e.actor, now, e.note, e.data);
      else if (e.kind === "follow_up") {
        const staffId = e.actor.type === "staff" && e.actor.id !== null ? Number(e.actor.id) : null;
        this.repo.addFollowUp(state.id, staffId, now, e.outcome, e.note);
      } else if (e.kind === "service_log") {
        const minutes = state.arrivedAt === null ? null : Math.round((now - state.arrivedAt) / 60_000);
        this.repo.addServiceLog(state.id, e.responderId, now, e.content, minutes);
      }
    }
  }

  // ---- one command as its own transaction (REST, timers) ----

  execute(caseId: number, command: Command): CaseSummary {
    const outcome = this.deps.db.transaction(() => this.commandTx(caseId, command))();
    this.afterCommit([outcome]);
    return this.repo.summary(caseId)!;
  }

  /** A device problem for staff (offline, low battery): one open technical case per resident at a time. */
  openTechnical(deviceId: string, type: "device_offline" | "low_battery"): number | null {
    const outcome = this.deps.db.transaction(() => {
      const home = this.repo.homeOf(deviceId);
      if (!home || this.repo.activeCaseFor(home.residentId, "technical") !== null) return null;
      return this.createTx({ type, service: null, ...home, deviceId, openingEventId: null, actor: SYSTEM });
    })();
    if (outcome) this.afterCommit([outcome]);
    return outcome?.caseId ?? null;
  }

  /** The offer a responder answers → its case. */
  caseOfOffer(offerId: number, responderId: number): number {
    const caseId = this.repo.caseOfOffer(offerId, responderId);
    if (caseId === null) throw new DomainError("not_found", `offer ${offerId} not found`);
    return caseId;
  }

  // ---- after the commit: the outside world ----

  afterCommit(outcomes: Outcome[]): void {
    const touchedResponders = new Set<number>();
    for (const o of outcomes) {
      const summary = this.repo.summary(o.caseId);
      if (!summary) continue;
      this.deps.notifier.caseChanged(summary, o.created);
      for (const e of o.effects) this.carryOut(o.state, summary, e, touchedResponders);
      this.schedule(o.state);
      if (o.state.responderId !== null) touchedResponders.add(o.state.responderId);
    }
    if (touchedResponders.size === 0) return; // e.g. an ingest burst nobody was offered yet
    const activities = this.deps.responders.activities();
    for (const id of touchedResponders) {
      const r = this.deps.responders.summary(id, activities);
      if (r) this.deps.notifier.responderChanged(r);
    }
  }

  private carryOut(state: CaseState, summary: CaseSummary, e: Effect, touched: Set<number>): void {
    const { notifier } = this.deps;
    const at = new Date(this.deps.clock.now()).toISOString();
    switch (e.kind) {
      case "ack_device": {
        if (!state.deviceId || !state.openingEventId) return;
        const responder = e.responderId === undefined ? undefined : this.deps.responders.get(e.responderId);
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
          notifier.offer(responderId, { ...this.offerDto(state.id, offer), case: summary });
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
        notifier.alert({ caseId: state.id, kind: e.alert, message: e.message, at });
        this.deps.logger.warn({ caseId: state.id, alert: e.alert }, "staff alert: %s", e.message);
        return;
      case "find_candidates":
        this.matchmaker.request(state.id, e.exclude);
        return;
      default:
        return;
    }
  }

  offerDto(caseId: number, o: CaseState["offers"][number]): OfferDto {
    return {
      id: o.id!,
      caseId,
      responderId: o.responderId,
      responderName: this.deps.responders.get(o.responderId)?.name ?? "",
      status: o.status,
      etaSeconds: o.etaSeconds,
      distanceMeters: o.distanceMeters,
      createdAt: new Date(o.createdAt).toISOString(),
      deadline: new Date(o.deadline).toISOString(),
    };
  }

  /** Matching answered: offer or report nobody, all in one transaction. */
  private runBatch(requests: { caseId: number; command: Command }[]): void {
    const outcomes: Outcome[] = [];
    this.deps.db.transaction(() => {
      for (const r of requests) {
        try {
          outcomes.push(this.commandTx(r.caseId, r.command));
        } catch (err) {
          // The case moved on meanwhile (accepted by staff, cancelled): nothing to offer.
          if (!(err instanceof DomainError)) throw err;
        }
      }
    })();
    this.afterCommit(outcomes);
  }

  // ---- timers: deadlines live in the DB, so a restart re-arms them at their original time ----

  private schedule(state: CaseState): void {
    const existing = this.timers.get(state.id);
    if (existing) clearTimeout(existing);
    this.timers.delete(state.id);
    if (this.stopped || !isActiveStatus(state.status)) return;
    const due = [state.offerDeadline, state.escalationDeadline].filter((t): t is number => t !== null);
    if (due.length === 0) return;
    const delay = Math.max(0, Math.min(...due) - this.deps.clock.now());
    const timer = setTimeout(() => this.tick(state.id), delay);
    timer.unref();
    this.timers.set(state.id, timer);
  }

  private tick(caseId: number): void {
    this.timers.delete(caseId);
    if (this.stopped) return;
    try {
      this.execute(caseId, { type: "tick" });
    } catch (err) {
      this.deps.logger.error({ err, caseId }, "case timer failed");
    }
  }

  /** After a start or restart: re-arm every deadline and resume matching that a crash interrupted. */
  resume(): { open: number } {
    const ids = this.repo.openCaseIds();
    for (const id of ids) {
      const state = this.repo.load(id);
      if (!state) continue;
      this.schedule(state);
      const waiting = state.status === "new" && state.kind !== "technical";
      const hasPending = state.offers.some((o) => o.status === "pending");
      if (waiting && !hasPending && state.offerDeadline === null) {
        const tried = [...new Set(state.offers.map((o) => o.responderId))];
        this.matchmaker.request(id, tried);
      }
    }
    return { open: ids.length };
  }

  stop(): void {
    this.stopped = true;
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    this.matchmaker.stop();
  }
}

export { SYSTEM };
