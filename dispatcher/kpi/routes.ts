// Response-time reports for staff.
import { Router } from "express";
import { KpiCsvQuerySchema, KpiQuerySchema } from "../../protocol/index.ts";
import { authed, parse, type Authenticator } from "../edge/http.ts";
import type { KpiService } from "./service.ts";

export function kpiRoutes(auth: Authenticator, kpis: KpiService): Router {
  const r = Router();
  r.get(
    "/kpis",
    authed(auth, (req, user) => kpis.report(user, parse(KpiQuerySchema, req.query))),
  );
  r.get(
    "/kpis.csv",
    authed(auth, async (req, user, res) => {
      const csv = await kpis.csv(user, parse(KpiCsvQuerySchema, req.query));
      res.type("text/csv; charset=utf-8").attachment(csv.filename).send(csv.body);
    }),
  );
  return r;
}
