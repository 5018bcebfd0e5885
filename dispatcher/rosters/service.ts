// Duty rosters: staff keep each responder's weekly shifts and exceptions; the registry hears who
// is off shift now (matching then leaves them out); the duty board shows who is on duty, who
// comes next, and the hours ahead that nobody covers. The rosters are kept in memory (they are
// small and change rarely) and read again from the database at every start.
import {
  PLATFORM_TIME_ZONE,
  type DutyBoard,
  type DutyBoardQuery,
  type Roster,
  type ShiftException,
  type ShiftExceptionInput,
  type ShiftPattern,
  type ShiftPatternInput,
} from "../../protocol/index.ts";
import { communityScope, requirePermission, type Principal } from "../auth/access.ts";
import type { AuditLog } from "../audit/service.ts";
import type { Clock } from "../clock.ts";
import type { SqlDatabase } from "../db/sql.ts";
import { DomainError } from "../errors.ts";
import type { ResponderRegistry, ResponderEntry } from "../responders/registry.ts";
import * as repo from "./repository.ts";
import {
  coverageGaps,
  isOffShift,
  isRostered,
  merge,
  rruleText,
  shiftsBetween,
  type RosterRules,
} from "./shifts.ts";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Exceptions are kept this long after they end (the roster's recent history). */
const KEEP_EXCEPTIONS_MS = 30 * DAY;
const NEXT_SHIFTS_SHOWN = 5;

export interface RosterDeps {
  db: SqlDatabase;
  clock: Clock;
  audit: AuditLog;
  registry: ResponderRegistry;
  /** Reads the responder's record, or not found outside the caller's scope. */
  readableResponder(user: Principal, id: number): Promise<{ communityId: number }>;
  timeZone?: string;
}

const EMPTY: RosterRules = { patterns: [], exceptions: [] };

export class RosterService {
  private rosters = new Map<number, { patterns: repo.PatternRow[]; exceptions: repo.ExceptionRow[] }>();
  private readonly timeZone: string;

  constructor(private readonly deps: RosterDeps) {
    this.timeZone = deps.timeZone ?? PLATFORM_TIME_ZONE;
    deps.registry.useShiftRule((r) => this.offShiftNow(r));
  }

  private offShiftNow(r: ResponderEntry): boolean {
    return isOffShift(r.role, this.rulesOf(r.id), this.deps.clock.now(), this.timeZone);
  }

  /** Reads every roster and tells the registry who is off shift. */
  async load(): Promise<void> {
    const { patterns, exceptions } = await repo.allRosters(
      this.deps.db,
      this.deps.clock.now() - KEEP_EXCEPTIONS_MS,
    );
    const next = new Map<number, { patterns: repo.PatternRow[]; exceptions: repo.ExceptionRow[] }>();
    const of = (id: number) => {
      let r = next.get(id);
      if (!r) next.set(id, (r = { patterns: [], exceptions: [] }));
      return r;
    };
    for (const p of patterns) of(p.responderId).patterns.push(p);
    for (const e of exceptions) of(e.responderId).exceptions.push(e);
    this.rosters = next;
    this.sweep();
  }

  /** Shift changes since the last sweep reach matching (the feature runs this every few seconds). */
  sweep(): void {
    for (const r of this.deps.registry.all()) this.applyTo(r);
  }

  private applyTo(r: ResponderEntry): void {
    this.deps.registry.setOffShift(r.id, this.offShiftNow(r));
  }

  private rulesOf(responderId: number): RosterRules {
    return this.rosters.get(responderId) ?? EMPTY;
  }

  async roster(user: Principal, responderId: number): Promise<Roster> {
    requirePermission(user, "responder.read");
    await this.deps.readableResponder(user, responderId);
    const now = this.deps.clock.now();
    const stored = await repo.rosterOf(this.deps.db, responderId, now - KEEP_EXCEPTIONS_MS);
    const upcoming = shiftsBetween(stored, now, now + 14 * DAY, this.timeZone);
    return {
      responderId,
      patterns: stored.patterns.map(toPatternDto),
      exceptions: stored.exceptions.map(toExceptionDto),
      upcoming: upcoming.map((i) => ({ startsAt: iso(i.start), endsAt: iso(i.end) })),
    };
  }

  async addPattern(user: Principal, responderId: number, input: ShiftPatternInput): Promise<ShiftPattern> {
    requirePermission(user, "roster.manage");
    await this.deps.readableResponder(user, responderId);
    const row = { responderId, ...input, rrule: rruleText(input) };
    const id = await this.deps.db.write(async (tx) => {
      const id = await repo.insertPattern(tx, { ...row, createdAt: this.deps.clock.now() });
      await this.deps.audit.record(tx, user, {
        action: "update",
        entity: "responder",
        id: responderId,
        changes: { shiftPattern: [null, `${row.rrule} ${row.start} +${row.minutes}min from ${row.from}`] },
      });
      return id;
    });
    await this.reload(responderId);
    return toPatternDto({ id, ...row });
  }

  async removePattern(user: Principal, patternId: number): Promise<void> {
    requirePermission(user, "roster.manage");
    const p = await repo.findPattern(this.deps.db, patternId);
    if (!p) throw new DomainError("not_found", `shift pattern ${patternId} not found`);
    await this.deps.readableResponder(user, p.responderId);
    await this.deps.db.write(async (tx) => {
      await repo.deletePattern(tx, patternId);
      await this.deps.audit.record(tx, user, {
        action: "update",
        entity: "responder",
        id: p.responderId,
        changes: { shiftPattern: [`${p.rrule} ${p.start} +${p.minutes}min from ${p.from}`, null] },
      });
    });
    await this.reload(p.responderId);
  }

  async addException(
    user: Principal,
    responderId: number,
    input: ShiftExceptionInput,
  ): Promise<ShiftException> {
    requirePermission(user, "roster.manage");
    await this.deps.readableResponder(user, responderId);
    const row = {
      responderId,
      kind: input.kind,
      startsAt: Date.parse(input.startsAt),
      endsAt: Date.parse(input.endsAt),
      note: input.note,
    };
    const id = await this.deps.db.write(async (tx) => {
      const id = await repo.insertException(tx, { ...row, createdAt: this.deps.clock.now() });
      await this.deps.audit.record(tx, user, {
        action: "update",
        entity: "responder",
        id: responderId,
        changes: { shiftException: [null, `${row.kind} ${input.startsAt} – ${input.endsAt}`] },
      });
      return id;
    });
    await this.reload(responderId);
    return toExceptionDto({ id, ...row });
  }

  async removeException(user: Principal, exceptionId: number): Promise<void> {
    requirePermission(user, "roster.manage");
    const e = await repo.findException(this.deps.db, exceptionId);
    if (!e) throw new DomainError("not_found", `shift exception ${exceptionId} not found`);
    await this.deps.readableResponder(user, e.responderId);
    await this.deps.db.write(async (tx) => {
      await repo.deleteException(tx, exceptionId);
      await this.deps.audit.record(tx, user, {
        action: "update",
        entity: "responder",
        id: e.responderId,
        changes: { shiftException: [`${e.kind} ${iso(e.startsAt)} – ${iso(e.endsAt)}`, null] },
      });
    });
    await this.reload(e.responderId);
  }

  private async reload(responderId: number): Promise<void> {
    const now = this.deps.clock.now();
    this.rosters.set(responderId, await repo.rosterOf(this.deps.db, responderId, now - KEEP_EXCEPTIONS_MS));
    const r = await this.deps.registry.find(responderId);
    if (r) this.applyTo(r);
  }

  /**
   * Per community of the caller's scope: who is on shift now, whose shift begins next, and the
   * stretches of the next `hours` no rostered caregiver covers. A community with no rosters at
   * all shows no gaps: its responders follow the duty switch alone.
   */
  async board(user: Principal, query: DutyBoardQuery): Promise<DutyBoard> {
    requirePermission(user, "responder.read");
    const now = this.deps.clock.now();
    const until = now + query.hours * HOUR;
    const scope = communityScope(user);
    const communities = (await repo.communityNames(this.deps.db)).filter(
      (c) =>
        (scope === null || scope.includes(c.id)) &&
        (query.communityId === undefined || c.id === query.communityId),
    );
    return {
      at: iso(now),
      until: iso(until),
      communities: communities.map((c) => {
        const { rostered, shifts, gaps } = this.coverage(c.id, now, until);
        const entry = (s: (typeof shifts)[number]) => ({
          responderId: s.r.id,
          name: s.r.name,
          role: s.r.role,
          phone: s.r.phone,
          startsAt: iso(s.start),
          endsAt: iso(s.end),
        });
        return {
          communityId: c.id,
          communityName: c.name,
          onDuty: shifts
            .filter((s) => s.start <= now && now < s.end)
            .sort((a, b) => a.end - b.end)
            .map(entry),
          next: shifts
            .filter((s) => s.start > now)
            .sort((a, b) => a.start - b.start)
            .slice(0, NEXT_SHIFTS_SHOWN)
            .map(entry),
          gaps: rostered ? gaps.map((g) => ({ from: iso(g.start), until: iso(g.end) })) : [],
        };
      }),
    };
  }

  /**
   * A community's shifts from `now` (a day past `until`, for "who comes next") and the stretches
   * of [now, until) no rostered caregiver covers; `rostered` false: nobody there has a roster, so
   * there are no gaps (its responders follow the duty switch alone).
   */
  coverage(communityId: number, now: number, until: number) {
    const members = this.deps.registry
      .all()
      .filter((r) => r.communityId === communityId && isRostered(this.rulesOf(r.id)));
    const shifts = members.flatMap((r) =>
      shiftsBetween(this.rulesOf(r.id), now, until + DAY, this.timeZone).map((i) => ({ r, ...i })),
    );
    // Volunteers opt in when they can: only the others' shifts are promised coverage.
    const covering = merge(shifts.filter((s) => s.r.role !== "volunteer"));
    const rostered = members.length > 0;
    return { rostered, shifts, gaps: rostered ? coverageGaps(covering, now, until) : [] };
  }

  /** The communities (id, name), for the coverage sweep. */
  communities(): Promise<{ id: number; name: string }[]> {
    return repo.communityNames(this.deps.db);
  }
}

const iso = (ms: number) => new Date(ms).toISOString();

function toPatternDto(p: repo.PatternRow): ShiftPattern {
  return {
    id: p.id,
    responderId: p.responderId,
    days: p.days,
    start: p.start,
    minutes: p.minutes,
    from: p.from,
    until: p.until,
    note: p.note,
    rrule: p.rrule,
  };
}

function toExceptionDto(e: repo.ExceptionRow): ShiftException {
  return {
    id: e.id,
    responderId: e.responderId,
    kind: e.kind,
    startsAt: iso(e.startsAt),
    endsAt: iso(e.endsAt),
    note: e.note,
  };
}
