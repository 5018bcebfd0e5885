// The service log search for staff of the caller's communities, and its export.
import {
  nextDay,
  PLATFORM_TIME_ZONE,
  SERVICE_LOG_EXPORT_MAX,
  startOfLocalDay,
  type Page,
  type ServiceLogEntry,
  type ServiceLogExportQuery,
  type ServiceLogQuery,
} from "../../protocol/index.ts";
import { communityScope, requirePermission, type Principal } from "../auth/access.ts";
import type { SqlDatabase } from "../db/sql.ts";
import { DomainError } from "../errors.ts";
import { sheetFile, type SheetFormat } from "../sheet-file.ts";
import { serviceLogTable } from "./export.ts";
import * as repo from "./repository.ts";

type Filters = Omit<ServiceLogQuery, "page" | "pageSize">;

const entry = (r: repo.LogRow): ServiceLogEntry => ({ ...r, at: new Date(r.at).toISOString() });

export class ServiceLogService {
  constructor(
    private readonly db: SqlDatabase,
    private readonly timeZone = PLATFORM_TIME_ZONE,
  ) {}

  async search(user: Principal, q: ServiceLogQuery): Promise<Page<ServiceLogEntry>> {
    const filter = this.filter(user, q);
    const [rows, total] = await Promise.all([
      repo.searchLog(this.db, filter, q.pageSize, (q.page - 1) * q.pageSize),
      repo.countLog(this.db, filter),
    ]);
    return { items: rows.map(entry), total, page: q.page, pageSize: q.pageSize };
  }

  /** Every entry the filters match, newest first, as a CSV or XLSX file. */
  async export(
    user: Principal,
    q: ServiceLogExportQuery,
    format: SheetFormat,
  ): Promise<{ body: Buffer; filename: string }> {
    const rows = await repo.searchLog(this.db, this.filter(user, q), SERVICE_LOG_EXPORT_MAX + 1, 0);
    if (rows.length > SERVICE_LOG_EXPORT_MAX) {
      // A file cut short would pass for the whole log.
      throw new DomainError(
        "bad_request",
        `more than ${SERVICE_LOG_EXPORT_MAX} entries match: narrow the days or the filters`,
      );
    }
    const table = serviceLogTable(rows.map(entry), q.lang, this.timeZone);
    const days = q.from || q.to ? `-${q.from ?? ""}-${q.to ?? ""}` : "";
    return { body: await sheetFile([table], format), filename: `service-log${days}.${format}` };
  }

  private filter(user: Principal, q: Filters): repo.LogFilter {
    requirePermission(user, "case.read");
    return {
      scope: communityScope(user),
      ...(q.residentId !== undefined ? { residentId: q.residentId } : {}),
      ...(q.responderId !== undefined ? { responderId: q.responderId } : {}),
      ...(q.gridId !== undefined ? { gridId: q.gridId } : {}),
      ...(q.communityId !== undefined ? { communityId: q.communityId } : {}),
      ...(q.kind !== undefined ? { kind: q.kind } : {}),
      ...(q.from !== undefined ? { from: startOfLocalDay(q.from, this.timeZone)! } : {}),
      ...(q.to !== undefined ? { to: startOfLocalDay(nextDay(q.to), this.timeZone)! } : {}),
    };
  }
}
