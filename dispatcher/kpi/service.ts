// Response-time reports for staff: the KPIs of a period and its cases as CSV.
import { PLATFORM_TIME_ZONE, type Kpi, type KpiQuery, type User } from "../../protocol/index.ts";
import { communityScope, requirePermission } from "../auth/access.ts";
import type { Clock } from "../clock.ts";
import type { SqlDatabase } from "../db/sql.ts";
import { caseTimings, computeKpis, toCsv } from "./kpis.ts";
import * as repo from "./repository.ts";

const DAY_MS = 86_400_000;

export class KpiService {
  constructor(
    private readonly db: SqlDatabase,
    private readonly clock: Clock,
  ) {}

  async report(user: User, query: KpiQuery): Promise<Kpi> {
    requirePermission(user, "report.read");
    const range = this.range(query);
    const scope = communityScope(user);
    const [cases, events, openEscalations] = await Promise.all([
      repo.casesCreatedBetween(this.db, range.from, range.to, scope),
      repo.timingEventsOfCasesCreatedBetween(this.db, range.from, range.to, scope),
      repo.openEscalations(this.db, scope),
    ]);
    return computeKpis({ cases, events, openEscalations }, range);
  }

  async csv(user: User, query: KpiQuery): Promise<{ filename: string; body: string }> {
    requirePermission(user, "report.read");
    const { from, to } = this.range(query);
    const scope = communityScope(user);
    const [cases, events, calls] = await Promise.all([
      repo.casesCreatedBetween(this.db, from, to, scope),
      repo.timingEventsOfCasesCreatedBetween(this.db, from, to, scope),
      repo.callsOfCasesCreatedBetween(this.db, from, to, scope),
    ]);
    return {
      filename: `cases-${new Date(from).toISOString().slice(0, 10)}.csv`,
      body: toCsv(caseTimings(cases, events), calls),
    };
  }

  /** The period asked for; by default today in the platform's time zone. */
  private range(q: KpiQuery): { from: number; to: number } {
    const from = q.from ? Date.parse(q.from) : startOfDay(this.clock.now(), PLATFORM_TIME_ZONE);
    return { from, to: q.to ? Date.parse(q.to) : from + DAY_MS };
  }
}

/** Midnight of the day `at` falls on, in `timeZone` (epoch ms). */
export function startOfDay(at: number, timeZone: string): number {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    })
      .formatToParts(at)
      .map((p) => [p.type, Number(p.value)]),
  ) as Record<"year" | "month" | "day" | "hour" | "minute" | "second", number>;
  const wallClock = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second);
  const offset = wallClock - (at - (at % 1000));
  return Date.UTC(parts.year, parts.month - 1, parts.day) - offset;
}
