// The KPI feature: response-time reports and their CSV export.
import type { Clock } from "../clock.ts";
import type { SqlDatabase } from "../db/sql.ts";
import type { Authenticator } from "../edge/http.ts";
import type { Feature } from "../feature.ts";
import { kpiRoutes } from "./routes.ts";
import { KpiService } from "./service.ts";

export function createKpiFeature(deps: {
  db: SqlDatabase;
  clock: Clock;
  auth: Authenticator;
  timeZone: string;
}) {
  const service = new KpiService(deps.db, deps.clock, deps.timeZone);
  return { name: "kpi", service, router: kpiRoutes(deps.auth, service) } satisfies Feature & {
    service: KpiService;
  };
}
