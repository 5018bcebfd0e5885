// The push feature: Web Push subscriptions of responder phones, and delivery next to the socket.
import type { Logger } from "pino";
import type { Clock } from "../clock.ts";
import type { SqlDatabase } from "../db/sql.ts";
import type { Authenticator } from "../edge/http.ts";
import type { Feature } from "../feature.ts";
import { parseOriginPatterns } from "./endpoint-policy.ts";
import { pushRoutes } from "./routes.ts";
import { PushService } from "./service.ts";

export interface PushDeps {
  db: SqlDatabase;
  clock: Clock;
  logger: Logger;
  auth: Authenticator;
  /** PUSH_VAPID_SUBJECT */
  subject: string;
  /** PUSH_ENDPOINT_ORIGINS */
  endpointOrigins: string;
}

export function createPushFeature(deps: PushDeps) {
  const service = new PushService({
    db: deps.db,
    clock: deps.clock,
    logger: deps.logger.child({ component: "push" }),
    subject: deps.subject,
    allowedOrigins: parseOriginPatterns(deps.endpointOrigins),
  });
  return {
    name: "push",
    service,
    router: pushRoutes(deps.auth, service),
    start: () => service.start(),
  } satisfies Feature & { service: PushService };
}
