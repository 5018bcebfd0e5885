// The service log search for staff of the caller's communities.
import {
  nextDay,
  PLATFORM_TIME_ZONE,
  startOfLocalDay,
  type Page,
  type ServiceLogEntry,
  type ServiceLogQuery,
} from "../../protocol/index.ts";
import { communityScope, requirePermission, type Principal } from "../auth/access.ts";
import type { SqlDatabase } from "../db/sql.ts";
import * as repo from "./repository.ts";

export class ServiceLogService {
  constructor(
    private readonly db: SqlDatabase,
    private readonly timeZone = PLATFORM_TIME_ZONE,
  ) {}

  async search(user: Principal, q: ServiceLogQuery): Promise<Page<ServiceLogEntry>> {
    requirePermission(user, "case.read");
    const filter: repo.LogFilter = {
      scope: communityScope(user),
      ...(q.residentId !== undefined ? { residentId: q.residentId } : {}),
      ...(q.responderId !== undefined ? { responderId: q.responderId } : {}),
      ...(q.gridId !== undefined ? { gridId: q.gridId } : {}),
      ...(q.communityId !== undefined ? { communityId: q.communityId } : {}),
      ...(q.kind !== undefined ? { kind: q.kind } : {}),
      ...(q.from !== undefined ? { from: startOfLocalDay(q.from, this.timeZone)! } : {}),
      ...(q.to !== undefined ? { to: startOfLocalDay(nextDay(q.to), this.timeZone)! } : {}),
    };
    const [rows, total] = await Promise.all([
      repo.searchLog(this.db, filter, q.pageSize, (q.page - 1) * q.pageSize),
      repo.countLog(this.db, filter),
    ]);
    return {
      items: rows.map((r) => ({ ...r, at: new Date(r.at).toISOString() })),
      total,
      page: q.page,
      pageSize: q.pageSize,
    };
  }
}
