// Reports: the figures as JSON, and as a CSV or XLSX download.
import { Router } from "express";
import { ReportQuerySchema } from "../../protocol/index.ts";
import { authed, parse, type Authenticator } from "../edge/http.ts";
import { SHEET_FORMATS, SHEET_TYPES } from "../sheet-file.ts";
import { reportSheet } from "./export.ts";
import type { ReportService } from "./service.ts";

export function reportRoutes(auth: Authenticator, reports: ReportService): Router {
  const r = Router();
  r.get(
    "/reports",
    authed(auth, (req, user) => reports.report(user, parse(ReportQuerySchema, req.query))),
  );
  for (const format of SHEET_FORMATS) {
    r.get(
      `/reports.${format}`,
      authed(auth, async (req, user, res) => {
        const q = parse(ReportQuerySchema, req.query);
        const body = await reportSheet(await reports.report(user, q), q.lang, format);
        res.type(SHEET_TYPES[format]).attachment(`report-${q.group}-${q.from}-${q.to}.${format}`).send(body);
      }),
    );
  }
  return r;
}
