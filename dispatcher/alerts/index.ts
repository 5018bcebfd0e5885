// The alerts feature: staff alerts stored with the case step that raised them, their routes.
import type { Clock } from "../clock.ts";
import type { SqlDatabase } from "../db/sql.ts";
import type { Authenticator } from "../edge/http.ts";
import type { Feature } from "../feature.ts";
import type { Notifier } from "../notifier.ts";
import { alertRoutes } from "./routes.ts";
import { AlertService } from "./service.ts";

export function createAlertsFeature(deps: {
  db: SqlDatabase;
  clock: Clock;
  notifier: Notifier;
  auth: Authenticator;
}) {
  const service = new AlertService(deps.db, deps.clock, deps.notifier);
  return { name: "alerts", service, router: alertRoutes(deps.auth, service) } satisfies Feature & {
    service: AlertService;
  };
}
