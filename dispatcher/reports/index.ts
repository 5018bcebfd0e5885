// The reports feature: figures per community, grid or responder and period, with exports.
import type { SqlDatabase } from "../db/sql.ts";
import type { Authenticator } from "../edge/http.ts";
import type { Feature } from "../feature.ts";
import { reportRoutes } from "./routes.ts";
import { ReportService } from "./service.ts";

export function createReportsFeature(deps: { db: SqlDatabase; auth: Authenticator; timeZone: string }) {
  const service = new ReportService(deps.db, deps.timeZone);
  return { name: "reports", service, router: reportRoutes(deps.auth, service) } satisfies Feature & {
    service: ReportService;
  };
}
