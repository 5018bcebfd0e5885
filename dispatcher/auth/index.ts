// The auth feature: logins, sessions, and who the caller is.
import type { Logger } from "pino";
import type { Clock } from "../clock.ts";
import type { SqlDatabase } from "../db/sql.ts";
import type { Feature } from "../feature.ts";
import { authRoutes } from "./routes.ts";
import { AuthService } from "./service.ts";

export function createAuthFeature(deps: {
  db: SqlDatabase;
  clock: Clock;
  sessionHours: number;
  logger: Logger;
}) {
  const service = new AuthService(deps.db, deps.clock, { sessionHours: deps.sessionHours }, deps.logger);
  return { name: "auth", service, router: authRoutes(service) } satisfies Feature & { service: AuthService };
}
