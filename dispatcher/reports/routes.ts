// Reports: the figures as JSON, and as a CSV or XLSX download.
import { Router } from "express";
import { ReportQuerySchema } from "../../protocol/index.ts";
import { authed, parse, type Authenticator } from "../edge/http.ts";
import { reportSheet } from "./export.ts";
import type { ReportService } from "./service.ts";

const TYPES = {
  csv: "text/csv; charset=utf-8",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
} as const;

export function reportRoutes(auth: Authenticator, reports: ReportService): Router {
  const r = Router();
  r.get(
    "/reports",
    authed(auth, (req, user) => reports.report(user, parse(ReportQuerySchema, req.query))),
  );
  for (const format of ["csv", "xlsx"] as const) {
    r.get(
      `/reports.${format}`,
      authed(auth, async (req, user, res) => {
        const q = parse(ReportQuerySchema, req.query);
        const body = await reportSheet(await reports.report(user, q), q.lang, format);
        res.type(TYPES[format]).attachment(`report-${q.group}-${q.from}-${q.to}.${format}`).send(body);
      }),
    );
  }
  return r;
}
