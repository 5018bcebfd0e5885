// The service log feature (民情日记): search by resident, responder, grid, community, kind and
// day, and the same search as a CSV or XLSX download.
import { Router } from "express";
import { ServiceLogExportQuerySchema, ServiceLogQuerySchema } from "../../protocol/index.ts";
import type { SqlDatabase } from "../db/sql.ts";
import { authed, parse, type Authenticator } from "../edge/http.ts";
import type { Feature } from "../feature.ts";
import { SHEET_FORMATS, SHEET_TYPES } from "../sheet-file.ts";
import { ServiceLogService } from "./service.ts";

export function createServiceLogFeature(deps: { db: SqlDatabase; auth: Authenticator; timeZone: string }) {
  const service = new ServiceLogService(deps.db, deps.timeZone);
  const router = Router();
  router.get(
    "/service-log",
    authed(deps.auth, (req, user) => service.search(user, parse(ServiceLogQuerySchema, req.query))),
  );
  for (const format of SHEET_FORMATS) {
    router.get(
      `/service-log.${format}`,
      authed(deps.auth, async (req, user, res) => {
        const file = await service.export(user, parse(ServiceLogExportQuerySchema, req.query), format);
        res.type(SHEET_TYPES[format]).attachment(file.filename).send(file.body);
      }),
    );
  }
  return { name: "service-log", service, router } satisfies Feature & { service: ServiceLogService };
}
