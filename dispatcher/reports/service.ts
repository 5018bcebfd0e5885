// Reports per community, grid or responder, per day, week or month, for staff of the caller's
// communities; and their export as CSV or XLSX.
import {
  nextDay,
  PLATFORM_TIME_ZONE,
  startOfLocalDay,
  type Report,
  type ReportGroup,
  type ReportQuery,
} from "../../protocol/index.ts";
import { communityScope, requirePermission, type Principal } from "../auth/access.ts";
import type { SqlDatabase } from "../db/sql.ts";
import {
  bucketOf,
  bucketsBetween,
  figures,
  groupFigures,
  type ReportCase,
  type ServiceMinutes,
} from "./figures.ts";
import * as repo from "./repository.ts";

const GROUP_KEY: Record<
  ReportGroup,
  {
    case: (c: ReportCase) => number | null;
    service: (s: ServiceMinutes) => number | null;
    table: "Community" | "Grid" | "Responder";
  }
> = {
  community: { case: (c) => c.communityId, service: (s) => s.communityId, table: "Community" },
  grid: { case: (c) => c.gridId, service: (s) => s.gridId, table: "Grid" },
  responder: { case: (c) => c.responderId, service: (s) => s.responderId, table: "Responder" },
};

export class ReportService {
  constructor(
    private readonly db: SqlDatabase,
    private readonly timeZone = PLATFORM_TIME_ZONE,
  ) {}

  async report(user: Principal, q: ReportQuery): Promise<Report> {
    requirePermission(user, "report.read");
    const from = startOfLocalDay(q.from, this.timeZone)!;
    const to = startOfLocalDay(nextDay(q.to), this.timeZone)!;
    const scope = communityScope(user);
    const [cases, events, service, names] = await Promise.all([
      repo.casesBetween(this.db, from, to, scope),
      repo.eventsOfCasesBetween(this.db, from, to, scope),
      repo.serviceMinutesBetween(this.db, from, to, scope),
      repo.names(this.db, GROUP_KEY[q.group].table),
    ]);
    const data = { cases, events, service };
    const nameOf = new Map(names.map((n) => [n.id, n.name]));
    const rows = [...groupFigures(data, GROUP_KEY[q.group]).entries()]
      .map(([key, f]) => ({ key, name: nameOf.get(key) ?? String(key), figures: f }))
      .sort((a, b) => b.figures.alarms - a.figures.alarms || a.key - b.key);
    const bucket = {
      case: (c: ReportCase) => bucketOf(c.createdAt, q.period, this.timeZone),
      service: (s: ServiceMinutes) => bucketOf(s.at, q.period, this.timeZone),
    };
    const byBucket = groupFigures(data, bucket);
    const empty = figures([], [], []);
    return {
      from: new Date(from).toISOString(),
      to: new Date(to).toISOString(),
      group: q.group,
      period: q.period,
      total: figures(cases, events, service),
      rows,
      series: bucketsBetween(q.from, q.to, q.period, this.timeZone).map((b) => ({
        bucket: b,
        figures: byBucket.get(b) ?? empty,
      })),
    };
  }
}
