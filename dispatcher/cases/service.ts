// The cases feature's service: what staff, responders and the other features may do with cases.
// Access rules live here; the engine (machine.ts) decides what a command means, the runner
// carries it out in one transaction.
import { isAssignedStatus, isMobileDevice, type DeviceKind, type LatLng } from "../../protocol/index.ts";
import type {
  CallDto,
  CallRequest,
  CaseDetail,
  CaseEventDto,
  CaseKind,
  CaseListQuery,
  CaseSummary,
  CaseType,
  DeviceEventType,
  DeviceFault,
  EscalationTarget,
  FollowUpOutcome,
  Job,
  FollowUpParty,
  OfferWithCase,
  ServiceKind,
  TechnicalCaseType,
  User,
} from "../../protocol/index.ts";
import type { Permission } from "../../protocol/index.ts";
import {
  ANYONE,
  communityScope,
  inScope,
  isResponder,
  requirePermission,
  requireResponder,
  requireRole,
} from "../auth/access.ts";
import type { Tx } from "../db/sql.ts";
import { DomainError } from "../errors.ts";
import type { ResponderWork } from "../responders/registry.ts";
import type { ServiceOrderService } from "../service-orders/service.ts";
import { CaseFile } from "./case-file.ts";
import { timeline } from "./case-file-repository.ts";
import { takeHotlineCall, type HotlineCall, type HotlineCallResult } from "./hotline.ts";
import { isAwayFromHome } from "../sensors/rules.ts";
import { decidePress, type DeviceEventOutcome, type PressContext } from "./press-rule.ts";
import { jobsOf } from "./jobs-repository.ts";
import * as repo from "./repository.ts";
import { findSummary, listSummaries } from "./summary-repository.ts";
import { CaseRunner, type CaseRunnerDeps, type CaseStep } from "./runner.ts";
import { SYSTEM, type Actor, type CaseLocation, type Command } from "./state.ts";

export type { CaseStep } from "./runner.ts";

/** Where a device lives: every case it opens belongs to this resident and community. */
export interface DeviceHome {
  deviceId: string;
  residentId: number;
  communityId: number;
}

/** A device event as the case service takes it (a mobile device may send where it is). */
export interface CaseDeviceEvent {
  eventId: string;
  type: DeviceEventType;
  service: ServiceKind | null;
  location: { lat: number; lng: number; accuracy: number; fixAt: number | null } | null;
}

/** The device with what tells its location apart from home. */
export type LocatedDeviceHome = DeviceHome & { kind: DeviceKind; home: LatLng };

export type { DeviceEventOutcome } from "./press-rule.ts";

export interface DeviceEventResult {
  outcome: DeviceEventOutcome;
  caseId: number | null;
  reason?: string;
  step?: CaseStep;
  /** A test press: the device's weekly test is stamped, nothing else happens. */
  tested: boolean;
  /** A service-request press: the order it placed or joined. */
  orderId?: number;
  /** To run once the event's transaction has committed (the order's announcement). */
  afterCommit?: () => Promise<void>;
}

/** Where residents' own service requests go: the service orders feature (decision 0015). */
export type ServiceRequests = Pick<ServiceOrderService, "takeRequestTx" | "announceRequest">;

export type CaseServiceDeps = CaseRunnerDeps & { requests: ServiceRequests };

export function actorOf(user: User): Actor {
  if (user.role === "family") return { type: "family", id: String(user.id), name: user.displayName };
  return user.role === "responder" && user.responderId !== null
    ? { type: "responder", id: String(user.responderId), name: user.displayName }
    : { type: "staff", id: String(user.id), name: user.displayName };
}

/** Where a case is placed: a mobile device's fix, or (null) the resident's home. */
function caseLocationOf(home: LocatedDeviceHome, event: CaseDeviceEvent, now: number): CaseLocation | null {
  const l = event.location;
  if (!l || !isMobileDevice(home.kind)) return null;
  return {
    lat: l.lat,
    lng: l.lng,
    accuracy: l.accuracy,
    fixAt: l.fixAt ?? now,
    away: isAwayFromHome(home.home, l),
  };
}

export class CaseService {
  private readonly runner: CaseRunner;
  private readonly file: CaseFile;

  constructor(private readonly deps: CaseServiceDeps) {
    this.runner = new CaseRunner(deps);
    this.file = new CaseFile(deps.db, deps.registry, deps.clock, this.runner);
  }

  // ---- staff and responders ----

  list(user: User, query: CaseListQuery): Promise<CaseSummary[]> {
    requirePermission(user, "case.read");
    return listSummaries(this.deps.db, {
      openOnly: query.scope === "open",
      from: query.from ? Date.parse(query.from) : null,
      to: query.to ? Date.parse(query.to) : null,
      communityIds: communityScope(user),
    });
  }

  async detail(user: User, caseId: number): Promise<CaseDetail> {
    await this.requireMay(user, caseId, "case.read");
    return this.file.detail(caseId);
  }

  async acknowledge(user: User, caseId: number): Promise<CaseSummary> {
    await this.requireMay(user, caseId, "case.dispatch", false);
    return this.execute(caseId, { type: "staff_ack", actor: actorOf(user) });
  }

  /**
   * Staff may assign anyone on the roster (e.g. after a phone call), not only ranked candidates.
   * One who holds this case's offer gets it as if they had accepted; anyone else's open offers are
   * withdrawn. One already working another case stays on it: one case at a time.
   */
  async assign(user: User, caseId: number, responderId: number): Promise<CaseSummary> {
    await this.requireMay(user, caseId, "case.dispatch", false);
    if (this.runner.dispatch.busyElsewhere(responderId, caseId)) {
      throw new DomainError("conflict", `responder ${responderId} is working another case`, {
        entity: "responder",
        id: responderId,
      });
    }
    const candidate = await this.file.candidateFor(caseId, responderId);
    return this.execute(caseId, { type: "assign", actor: actorOf(user), candidate });
  }

  async escalate(
    user: User,
    caseId: number,
    target: EscalationTarget,
    note: string | null,
  ): Promise<CaseSummary> {
    await this.requireMay(user, caseId, "case.dispatch", false);
    return this.execute(caseId, { type: "escalate", actor: actorOf(user), target, note });
  }

  async addNote(user: User, caseId: number, text: string): Promise<CaseSummary> {
    await this.requireMay(user, caseId, "case.dispatch");
    return this.execute(caseId, { type: "note", actor: actorOf(user), text });
  }

  async cancel(user: User, caseId: number, reason: string): Promise<CaseSummary> {
    await this.requireMay(user, caseId, "case.dispatch", false);
    return this.execute(caseId, { type: "cancel", actor: actorOf(user), reason });
  }

  setOff(user: User, caseId: number): Promise<CaseSummary> {
    const responderId = requireResponder(user);
    return this.execute(caseId, { type: "en_route", responderId, actor: actorOf(user) });
  }

  arrive(user: User, caseId: number): Promise<CaseSummary> {
    const responderId = requireResponder(user);
    return this.execute(caseId, { type: "arrive", responderId, actor: actorOf(user) });
  }

  /** The responder who has the case asks the duty desk for an ambulance (120). */
  requestHelp(user: User, caseId: number, note: string | null): Promise<CaseSummary> {
    const responderId = requireResponder(user);
    return this.execute(caseId, { type: "ask_help", responderId, actor: actorOf(user), note });
  }

  /** By the assigned responder, or by staff on their behalf. */
  async resolve(user: User, caseId: number, note: string): Promise<CaseSummary> {
    requireRole(user, ANYONE);
    const responderId = isResponder(user) ? requireResponder(user) : null;
    if (responderId === null) await this.requireMay(user, caseId, "case.dispatch", false);
    return this.execute(caseId, { type: "resolve", actor: actorOf(user), responderId, note });
  }

  /** The follow-up call (回访), logged as a call too; `close` null leaves it to the outcome. */
  async followUp(
    user: User,
    caseId: number,
    f: {
      outcome: FollowUpOutcome;
      party: FollowUpParty;
      number: string | null;
      note: string | null;
      close: boolean | null;
    },
  ): Promise<CaseSummary> {
    await this.requireMay(user, caseId, "case.dispatch", false);
    return this.execute(caseId, { type: "follow_up", actor: actorOf(user), ...f });
  }

  /** A phone call about the case, by staff or by the responder working it. */
  /** Closes a resolved or cancelled case without the follow-up call; the reason is kept. */
  async skipFollowUp(user: User, caseId: number, reason: string): Promise<CaseSummary> {
    await this.requireMay(user, caseId, "case.dispatch", false);
    return this.execute(caseId, { type: "skip_follow_up", actor: actorOf(user), reason });
  }

  async logCall(user: User, caseId: number, call: CallRequest): Promise<CaseSummary> {
    await this.requireMay(user, caseId, "case.dispatch");
    return this.execute(caseId, {
      type: "call",
      actor: actorOf(user),
      call: {
        direction: call.direction,
        party: call.party,
        number: call.number ?? null,
        name: call.name ?? null,
        outcome: call.outcome,
        note: call.note ?? null,
      },
    });
  }

  async calls(user: User, caseId: number): Promise<CallDto[]> {
    await this.requireMay(user, caseId, "case.read");
    return repo.listCalls(this.deps.db, caseId);
  }

  /** Idempotent: the winner's retry (a lost answer on a flaky phone) gets the case again, not a 409. */
  async acceptOffer(user: User, offerId: number): Promise<CaseSummary> {
    const responderId = requireResponder(user);
    const caseId = await this.caseOfOffer(offerId, responderId);
    const already = await this.acceptedBy(caseId, offerId, responderId);
    if (already) return already;
    // A late tap may come from someone who meanwhile took another case: one case at a time.
    if (this.runner.dispatch.busyElsewhere(responderId, caseId)) {
      throw new DomainError("offer_closed", "you are already on another case");
    }
    try {
      return await this.execute(caseId, { type: "accept", responderId, actor: actorOf(user) });
    } catch (err) {
      // Two copies of the same tap raced: the first one won for this very responder.
      const won = err instanceof DomainError ? await this.acceptedBy(caseId, offerId, responderId) : null;
      if (won) return won;
      throw err;
    }
  }

  /** The case, if this offer of it was accepted by this responder and they still have it. */
  private async acceptedBy(
    caseId: number,
    offerId: number,
    responderId: number,
  ): Promise<CaseSummary | null> {
    const state = await repo.loadCase(this.deps.db, caseId);
    const offer = state?.offers.find((o) => o.id === offerId);
    if (!state || offer?.status !== "accepted" || state.responderId !== responderId) return null;
    if (!isAssignedStatus(state.status)) return null;
    return findSummary(this.deps.db, caseId);
  }

  async declineOffer(user: User, offerId: number): Promise<void> {
    const responderId = requireResponder(user);
    const caseId = await this.caseOfOffer(offerId, responderId);
    await this.execute(caseId, { type: "decline", responderId, actor: actorOf(user) });
  }

  /**
   * Staff need `permission` and the case's community in their scope (else it is not found). When
   * `responders` allows, a responder reaches the case file (the resident's medical facts, contacts,
   * key holder), its notes and calls only while working the case: one holding only an offer sees
   * what the offer carries (the case summary); one who declined, lost the race, let it expire, or
   * finished, sees nothing more. They get 404, as for a case that does not exist.
   */
  private async requireMay(
    user: User,
    caseId: number,
    permission: Permission,
    responders = true,
  ): Promise<void> {
    if (!isResponder(user) || !responders) requirePermission(user, permission);
    const notFound = () =>
      new DomainError("not_found", `case ${caseId} not found`, { entity: "case", id: caseId });
    const state = await repo.loadCase(this.deps.db, caseId);
    if (!state) throw notFound();
    if (!isResponder(user)) {
      if (!inScope(user, state.communityId)) throw notFound();
      return;
    }
    const responderId = requireResponder(user);
    if (state.responderId !== responderId || !isAssignedStatus(state.status)) {
      throw notFound();
    }
  }

  private async caseOfOffer(offerId: number, responderId: number): Promise<number> {
    const caseId = await repo.caseOfOffer(this.deps.db, offerId, responderId);
    if (caseId === null)
      throw new DomainError("not_found", `offer ${offerId} not found`, { entity: "offer", id: offerId });
    return caseId;
  }

  /** One command as its own step; answers with the case as it now is. */
  async execute(caseId: number, command: Command): Promise<CaseSummary> {
    await this.runner.execute(caseId, command);
    const summary = await findSummary(this.deps.db, caseId);
    if (!summary)
      throw new DomainError("not_found", `case ${caseId} not found`, { entity: "case", id: caseId });
    return summary;
  }

  // ---- for the other features ----

  /** A device event inside the intake's transaction: the press rule decides, the engine carries it out. */
  async takeDeviceEvent(
    tx: Tx,
    located: LocatedDeviceHome,
    event: CaseDeviceEvent,
    context?: PressContext,
  ): Promise<DeviceEventResult> {
    const { deviceId, residentId, communityId } = located;
    const home: DeviceHome = { deviceId, residentId, communityId };
    const actor: Actor = { type: "device", id: home.deviceId, name: null };
    const location = caseLocationOf(located, event, this.deps.clock.now());
    const decision = decidePress(event.type, await repo.activeCasesOf(tx, home.residentId), context);
    if (decision.action === "request") {
      const taken = await this.deps.requests.takeRequestTx(tx, {
        residentId: home.residentId,
        communityId: home.communityId,
        service: event.service,
        origin: "device",
        window: null,
        notes: "",
        createdById: null,
      });
      return {
        outcome: taken.joined ? "joined" : "created",
        caseId: null,
        tested: false,
        orderId: taken.orderId,
        afterCommit: () => this.deps.requests.announceRequest(taken).then(() => undefined),
      };
    }
    const done = (caseId: number | null, step?: CaseStep): DeviceEventResult => ({
      outcome: decision.outcome,
      caseId,
      ...(step ? { step } : {}),
      tested: decision.action === "stamp_test",
    });
    switch (decision.action) {
      case "open": {
        const step = await this.runner.openTx(tx, {
          type: decision.type,
          service: event.service,
          ...home,
          openingEventId: event.eventId,
          actor,
          location,
        });
        return done(step.caseId, step);
      }
      case "join":
        return done(
          decision.caseId,
          await this.runner.commandTx(tx, decision.caseId, {
            type: "press",
            actor,
            eventType: decision.press,
            location,
          }),
        );
      case "cancel":
        try {
          // commandTx validates before it writes, so a refused cancel leaves nothing behind.
          const step = await this.runner.commandTx(tx, decision.caseId, {
            type: "cancel",
            actor,
            reason: "cancelled by the resident on the device",
          });
          return done(decision.caseId, step);
        } catch (err) {
          if (!(err instanceof DomainError)) throw err;
          return { outcome: "rejected", caseId: decision.caseId, reason: err.message, tested: false };
        }
      case "note":
        return { ...done(decision.caseId), ...(decision.reason ? { reason: decision.reason } : {}) };
      case "stamp_test":
        return done(null);
    }
  }

  /**
   * A hotline call inside the intake's transaction: joins the resident's open case of its kind, or
   * opens one. A caller asking for a service places a service order instead (or adds to the
   * resident's open request), as a service-request press does.
   */
  async takeHotlineCall(
    tx: Tx,
    user: User,
    home: { residentId: number; communityId: number },
    call: HotlineCall & { window: { from: number; to: number } | null },
  ): Promise<HotlineCallResult | { orderId: number; joined: boolean; announce: () => Promise<void> }> {
    requirePermission(user, "case.dispatch");
    if (call.type !== "service_request") return takeHotlineCall(this.runner, tx, home, call, actorOf(user));
    const taken = await this.deps.requests.takeRequestTx(tx, {
      ...home,
      service: call.service,
      origin: "hotline",
      window: call.window,
      notes: call.notes ?? "",
      createdById: user.id,
    });
    return {
      ...taken,
      announce: () => this.deps.requests.announceRequest(taken).then(() => undefined),
    };
  }

  /** The case as staff and phones see it. */
  summary(caseId: number): Promise<CaseSummary | null> {
    return findSummary(this.deps.db, caseId);
  }

  /** What was wrong with the event that opened or joined the case, on its timeline for staff. */
  async recordDeviceFaults(tx: Tx, caseId: number, deviceId: string, faults: DeviceFault[]): Promise<void> {
    await repo.addEvent(tx, caseId, {
      type: "device_fault",
      actor: { type: "device", id: deviceId, name: null },
      at: this.deps.clock.now(),
      note: null,
      data: { faults },
    });
  }

  /**
   * A device problem for staff (offline, low battery, never connected, due for replacement): one
   * open technical case per resident at a time, unless `besideOthers` (then one of that type). For a resident at high risk the console also sounds a `device_fault` alert: their
   * button may be the only way they can call.
   */
  async openTechnical(
    home: DeviceHome,
    type: TechnicalCaseType,
    o: { besideOthers?: boolean } = {},
  ): Promise<number | null> {
    const step = await this.deps.db.write(async (tx) => {
      const active = await repo.activeCasesOf(tx, home.residentId);
      // `besideOthers`: a different job (a replacement) opens next to the outage still being handled.
      if (active.some((c) => c.kind === "technical" && (!o.besideOthers || c.type === type))) return null;
      const opened = await this.runner.openTx(tx, {
        type,
        service: null,
        ...home,
        openingEventId: null,
        actor: SYSTEM,
      });
      if (await repo.isHighRisk(tx, home.residentId)) {
        const message = `device ${home.deviceId} of a high-risk resident: ${type}`;
        const alertId = await this.deps.alerts.recordTx(tx, {
          caseId: opened.caseId,
          kind: "device_fault",
          message,
        });
        opened.alertIds = [...(opened.alertIds ?? []), alertId];
      }
      return opened;
    });
    if (step) await this.runner.afterCommit([step]);
    return step?.caseId ?? null;
  }

  /** The resident's cases someone still has to act on, inside the caller's transaction. */
  activeCasesTx(tx: Tx, residentId: number): Promise<{ id: number; kind: CaseKind; type: CaseType }[]> {
    return repo.activeCasesOf(tx, residentId);
  }

  /** A case the platform opens itself (a welfare check after a long silence), inside the caller's transaction. */
  openForResidentTx(
    tx: Tx,
    home: { residentId: number; communityId: number; deviceId: string | null },
    type: CaseType,
  ): Promise<CaseStep> {
    return this.runner.openTx(tx, { type, service: null, ...home, openingEventId: null, actor: SYSTEM });
  }

  /** A note by the platform on the case's timeline, inside the caller's transaction. */
  noteTx(tx: Tx, caseId: number, text: string): Promise<CaseStep> {
    return this.runner.commandTx(tx, caseId, { type: "note", actor: SYSTEM, text });
  }

  /** A family member is on their way; the family feature has checked they belong to the resident. */
  familyOnWay(user: User, caseId: number, etaMinutes: number | null): Promise<CaseSummary> {
    requireRole(user, ["family"]);
    return this.execute(caseId, { type: "family_on_way", actor: actorOf(user), etaMinutes });
  }

  /** A case as consoles get it, for features that check access themselves (the family view). */
  summaryOf(caseId: number): Promise<CaseSummary | null> {
    return findSummary(this.deps.db, caseId);
  }

  /** A case's timeline, for features that check access themselves. */
  timelineOf(caseId: number): Promise<CaseEventDto[]> {
    return timeline(this.deps.db, caseId);
  }

  /** A resident's cases, newest first (open ones only if asked). */
  casesOfResident(residentId: number, o: { openOnly: boolean; limit: number }): Promise<CaseSummary[]> {
    return listSummaries(this.deps.db, {
      openOnly: o.openOnly,
      from: null,
      to: null,
      residentId,
      limit: o.limit,
    });
  }

  /** Matching for the cases a batch of device events opened, inside the same transaction (one fsync). */
  settleTx(tx: Tx, steps: CaseStep[]): Promise<CaseStep[]> {
    return this.runner.settleTx(tx, steps);
  }

  /** Right after the commit of steps taken inside another feature's transaction. */
  afterCommit(steps: readonly CaseStep[]): Promise<void> {
    return this.runner.afterCommit(steps);
  }

  /** Who holds an offer or works a case (only `responderIds`, if given), from the engine's memory. */
  responderWork(responderIds?: readonly number[]): Promise<Map<number, ResponderWork>> {
    const work = new Map<number, ResponderWork>();
    const add = (id: number) => {
      const w = this.deps.registry.workOf(id);
      if (w) work.set(id, w);
    };
    if (responderIds) responderIds.forEach(add);
    else for (const id of this.runner.model.allWork().keys()) add(id);
    return Promise.resolve(work);
  }

  /** A responder's open offers with their cases, and the case they work (phones ask on every reconnect). */
  async responderView(
    responderId: number,
    work: ResponderWork | undefined,
  ): Promise<{ offers: OfferWithCase[]; activeCase: CaseSummary | null }> {
    const offers: OfferWithCase[] = [];
    for (const offer of await repo.pendingOffersFor(this.deps.db, responderId)) {
      const c = await findSummary(this.deps.db, offer.caseId);
      if (c) offers.push({ ...(await this.runner.offerDto(offer.caseId, offer)), case: c });
    }
    const working = work !== undefined && work.activity !== "offered" ? work.caseId : null;
    return { offers, activeCase: working === null ? null : await findSummary(this.deps.db, working) };
  }

  /** The cases a responder took since `since` (epoch ms), for their "my jobs" list. */
  jobsOf(responderId: number, since: number): Promise<Job[]> {
    return jobsOf(this.deps.db, responderId, since);
  }

  /** Re-arms every deadline and resumes matching; call once the MQTT link is up. */
  resume(): Promise<{ open: number }> {
    return this.runner.resume();
  }

  /**
   * After a takeover: every open case to the consoles again, as created (they upsert by id). The
   * last leader may have committed a case and died before it told anyone.
   */
  async announceOpen(): Promise<number> {
    const open = await listSummaries(this.deps.db, { openOnly: true, from: null, to: null });
    for (const summary of open) this.deps.notifier.caseChanged(summary, true);
    return open.length;
  }

  stop(): Promise<void> {
    return this.runner.stop();
  }
}
