// The service log feature (民情日记): search by resident, responder, grid, community and date.
import { Router } from "express";
import { ServiceLogQuerySchema } from "../../protocol/index.ts";
import type { SqlDatabase } from "../db/sql.ts";
import { authed, parse, type Authenticator } from "../edge/http.ts";
import type { Feature } from "../feature.ts";
import { ServiceLogService } from "./service.ts";

export function createServiceLogFeature(deps: { db: SqlDatabase; auth: Authenticator; timeZone: string }) {
  const service = new ServiceLogService(deps.db, deps.timeZone);
  const router = Router();
  router.get(
    "/service-log",
    authed(deps.auth, (req, user) => service.search(user, parse(ServiceLogQuerySchema, req.query))),
  );
  return { name: "service-log", service, router } satisfies Feature & { service: ServiceLogService };
}
