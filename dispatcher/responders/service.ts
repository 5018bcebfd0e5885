// The responders feature's service: the roster for staff, and the phone app's own view, duty,
// position, presence and jobs. What a responder is doing comes from the cases feature, never from
// its tables.
import { startOfDay } from "../../protocol/time.ts";
import {
  type CaseSummary,
  type Job,
  type LocationUpdate,
  type MyJobs,
  type PhoneState,
  type Presence,
  type ResponderMe,
  type ResponderSummary,
  type User,
} from "../../protocol/index.ts";
import { recordAudit } from "../audit/repository.ts";
import { inScope, requirePermission, requireResponder } from "../auth/access.ts";
import type { Clock } from "../clock.ts";
import { DomainError } from "../errors.ts";
import type { Notifier } from "../notifier.ts";
import { silentTooLong } from "./presence.ts";
import type { PresenceTracker } from "./presence-tracker.ts";
import type { ResponderRegistry, ResponderWork } from "./registry.ts";

/** Phones heartbeat this often while on duty (a quarter of the default presence window). */
export const HEARTBEAT_SECONDS = 30;

/** What this feature needs from the cases feature. */
export interface CaseWork {
  responderWork(responderIds?: readonly number[]): Promise<Map<number, ResponderWork>>;
  responderView(
    responderId: number,
    work: ResponderWork | undefined,
  ): Promise<Pick<ResponderMe, "offers" | "activeCase">>;
  requestHelp(user: User, caseId: number, note: string | null): Promise<CaseSummary>;
  jobsOf(responderId: number, since: number): Promise<Job[]>;
}

export class ResponderService {
  constructor(
    private readonly registry: ResponderRegistry,
    private readonly cases: CaseWork,
    private readonly notifier: Notifier,
    private readonly clock: Clock,
    private readonly presence: PresenceTracker,
    private readonly dutyDeskPhone: string | null,
    /** The platform's zone: "today" and "this month" of a responder's jobs. */
    private readonly timeZone: string,
  ) {}

  /** The roster in service, of the caller's communities. */
  async list(user: User): Promise<ResponderSummary[]> {
    requirePermission(user, "responder.read");
    const work = await this.cases.responderWork();
    return this.registry
      .all()
      .filter((r) => inScope(user, r.communityId))
      .map((r) => this.registry.summary(r, work.get(r.id)));
  }

  /** Everything the phone shows after a (re)connect. */
  async me(user: User): Promise<ResponderMe> {
    const id = requireResponder(user);
    const r = await this.alive(id);
    const work = (await this.cases.responderWork([id])).get(id);
    return {
      responder: this.registry.summary(r, work),
      ...(await this.cases.responderView(id, work)),
      presence: this.presenceOf(id, r.onDuty),
      dutyDeskPhone: this.dutyDeskPhone,
    };
  }

  /** The phone says it is alive; the answer says how the platform sees it (and what it missed). */
  async heartbeat(user: User): Promise<Presence> {
    const id = requireResponder(user);
    const r = await this.alive(id);
    return this.presenceOf(id, r.onDuty);
  }

  async setDuty(user: User, onDuty: boolean): Promise<ResponderSummary> {
    const id = requireResponder(user);
    this.presence.seen(id);
    if (!(await this.registry.setDuty(id, onDuty))) throw new DomainError("not_found", "responder not found");
    return this.announce(id);
  }

  async setLocation(user: User, at: LocationUpdate): Promise<void> {
    const id = requireResponder(user);
    this.presence.seen(id);
    if (await this.registry.setLocation(id, at.lat, at.lng, this.clock.now())) await this.announce(id);
  }

  askHelp(user: User, caseId: number, note: string | null): Promise<CaseSummary> {
    const id = requireResponder(user);
    this.presence.seen(id);
    return this.cases.requestHelp(user, caseId, note);
  }

  /** This month's jobs in the platform's time zone, with today's and the month's service time. */
  async jobs(user: User): Promise<MyJobs> {
    const id = requireResponder(user);
    const now = this.clock.now();
    const today = startOfDay(now, this.timeZone);
    const month = startOfMonth(now, this.timeZone);
    const jobs = await this.cases.jobsOf(id, Math.min(today, month));
    const totals = (from: number) => {
      const inRange = jobs.filter((j) => j.acceptedAt !== null && Date.parse(j.acceptedAt) >= from);
      return {
        jobs: inRange.length,
        serviceMinutes: inRange.reduce((sum, j) => sum + (j.serviceMinutes ?? 0), 0),
      };
    };
    return {
      today: totals(today),
      month: totals(month),
      jobs: jobs.filter((j) => j.acceptedAt !== null && Date.parse(j.acceptedAt) >= month),
    };
  }

  /** A live socket came or went, here or on another instance (edge/realtime.ts). */
  socketChanged(responderId: number, connected: boolean): void {
    if (!this.presence.tracking) return; // a follower: the leader counts its sockets
    const before = this.presence.stateOf(responderId);
    if (connected) this.presence.socketUp(responderId);
    else this.presence.socketDown(responderId);
    this.backFrom(responderId, before);
    void this.announce(responderId).catch(() => undefined);
  }

  /**
   * Counts the phone sockets on every instance of a cluster (`count`): on taking the lease, as
   * the previous leader's counts died with it, and now and then to drop the sockets of an
   * instance that died without saying goodbye.
   */
  async countSockets(count: () => Promise<ReadonlyMap<number, number>>): Promise<void> {
    const started = this.presence.startCensus();
    const counts = await count();
    for (const { id, before } of this.presence.census(started, counts)) {
      this.backFrom(id, before);
      if (before !== this.presence.stateOf(id)) await this.announce(id);
    }
  }

  /**
   * Looks at every phone on duty: staff hear when one turns unreachable (or back), and a responder
   * silent for too long with no job in hand is taken off duty, with an audit entry.
   */
  async sweep(): Promise<void> {
    const now = this.clock.now();
    const work = await this.cases.responderWork();
    for (const r of this.registry.all()) {
      if (!r.onDuty) continue;
      const state = this.presence.stateOf(r.id, now);
      const p = this.presence.presence(r.id);
      // Lost for longer than a blip (a socket reconnecting): remember it, to tell the phone later.
      const silentFor = now - (p.lastSeenAt ?? this.presence.startedAt);
      if (
        state === "unreachable" &&
        p.silentSince === null &&
        silentFor >= this.presence.window.presenceMs / 4
      ) {
        await this.presence.markSilent(r.id, false);
      }
      const working = work.get(r.id);
      const busyAtCase = working !== undefined && working.activity !== "offered";
      if (
        state === "unreachable" &&
        !busyAtCase &&
        silentTooLong(p, now, this.presence.startedAt, this.presence.window)
      ) {
        await this.takeOffDuty(r.id);
        continue;
      }
      if (this.presence.announce(r.id, state)) {
        this.notifier.responderChanged(this.registry.summary(r, working));
      }
    }
  }

  private async takeOffDuty(id: number): Promise<void> {
    const now = this.clock.now();
    const lastSeen = this.presence.lastSeenAt(id);
    await this.registry.setDuty(id, false, async (tx) => {
      await this.presence.markSilent(id, true, tx);
      await recordAudit(tx, {
        at: now,
        actor: { type: "system", id: null, name: null },
        action: "responder.off_duty_unreachable",
        entity: "responder",
        entityId: String(id),
        changes: {
          onDuty: [true, false],
          lastSeenAt: [lastSeen === null ? null : new Date(lastSeen).toISOString(), null],
        },
      });
    });
    await this.announce(id);
  }

  /** A sign of life from the phone; staff hear at once if that makes it reachable again. */
  private async alive(id: number) {
    const before = this.presence.stateOf(id);
    this.presence.seen(id);
    const r = await this.registry.find(id);
    if (!r) throw new DomainError("not_found", "responder not found");
    if (before !== this.presence.stateOf(id)) await this.announce(id);
    this.backFrom(id, before);
    return r;
  }

  /** A phone reachable again may take a case that skipped it while it was silent. */
  private backFrom(id: number, before: PhoneState): void {
    if (before === "unreachable" && this.presence.isReachable(id)) this.registry.reachChanged(id);
  }

  private presenceOf(id: number, onDuty: boolean): Presence {
    return {
      phoneState: this.presence.stateOf(id),
      onDuty,
      heartbeatSeconds: HEARTBEAT_SECONDS,
      presenceSeconds: Math.round(this.presence.window.presenceMs / 1000),
      notice: this.presence.takeNotice(id),
    };
  }

  /** Tells staff and the phone itself what the responder now looks like. */
  private async announce(id: number): Promise<ResponderSummary> {
    const r = (await this.registry.find(id))!;
    const summary = this.registry.summary(r, (await this.cases.responderWork([id])).get(id));
    this.presence.announce(id, summary.phoneState);
    this.notifier.responderChanged(summary);
    return summary;
  }
}

/** Midnight of the first day of the month `at` falls in, in `timeZone`. */
export function startOfMonth(at: number, timeZone: string): number {
  const day = Number(new Intl.DateTimeFormat("en-US", { timeZone, day: "numeric" }).format(at));
  // Noon of the first day, then its midnight: safe across a daylight-saving change.
  return startOfDay(startOfDay(at, timeZone) - (day - 1) * 86_400_000 + 43_200_000, timeZone);
}
