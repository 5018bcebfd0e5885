// Response-time reports for staff: the KPIs of a period and its cases as CSV.
import {
  localDate,
  nextDay,
  startOfDay,
  startOfLocalDay,
  type Kpi,
  type KpiCsvQuery,
  type KpiQuery,
  type User,
} from "../../protocol/index.ts";
import { communityScope, requirePermission } from "../auth/access.ts";
import type { Clock } from "../clock.ts";
import type { SqlDatabase } from "../db/sql.ts";
import { toCsv } from "./csv.ts";
import { CSV_TEXTS } from "./csv-texts.ts";
import { caseTimings, computeKpis } from "./kpis.ts";
import * as repo from "./repository.ts";

export class KpiService {
  constructor(
    private readonly db: SqlDatabase,
    private readonly clock: Clock,
    /** The platform's zone: "today", the CSV's times and its file name. */
    private readonly timeZone: string,
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

  /** Named after the period's first local day (and its last, when it spans several). */
  async csv(user: User, query: KpiCsvQuery): Promise<{ filename: string; body: string }> {
    requirePermission(user, "report.read");
    const { from, to } = this.range(query);
    const scope = communityScope(user);
    const [cases, events, calls] = await Promise.all([
      repo.casesCreatedBetween(this.db, from, to, scope),
      repo.timingEventsOfCasesCreatedBetween(this.db, from, to, scope),
      repo.callsOfCasesCreatedBetween(this.db, from, to, scope),
    ]);
    const first = localDate(from, this.timeZone);
    const last = localDate(to - 1, this.timeZone);
    return {
      filename: `cases-${first}${last === first ? "" : `_${last}`}.csv`,
      body: toCsv(caseTimings(cases, events), calls, CSV_TEXTS[query.lang], this.timeZone),
    };
  }

  /** The period asked for; by default today in the platform's time zone. */
  private range(q: KpiQuery): { from: number; to: number } {
    const from = q.from ? Date.parse(q.from) : startOfDay(this.clock.now(), this.timeZone);
    const to = q.to
      ? Date.parse(q.to)
      : startOfLocalDay(nextDay(localDate(from, this.timeZone)), this.timeZone)!;
    return { from, to };
  }
}
