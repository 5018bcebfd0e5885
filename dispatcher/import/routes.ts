// Bulk import routes: the template, and a dry run or commit of a sheet sent as the request body
// (CSV or XLSX bytes, at most MAX_IMPORT_BYTES).
import express, { Router } from "express";
import { z } from "zod";
import {
  IMPORT_LANGUAGES,
  ImportQuerySchema,
  ImportTemplateQuerySchema,
  MAX_IMPORT_BYTES,
} from "../../protocol/index.ts";
import { authed, caller, parse, type Authenticator } from "../edge/http.ts";
import { DomainError } from "../errors.ts";
import type { ImportService } from "./service.ts";

const XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
const LangSchema = z.object({ lang: z.enum(IMPORT_LANGUAGES).default("zh-CN") });

/** The upload's path under /api: its body is the sheet itself, not JSON. */
export const IMPORT_UPLOAD_PATH = "/import/residents";

export function importRoutes(auth: Authenticator, imports: ImportService): Router {
  const r = Router();
  r.get(
    "/import/residents/template",
    authed(auth, async (req, user, res) => {
      const q = parse(ImportTemplateQuerySchema, req.query);
      const file = await imports.template(user, q.format, q.lang);
      const name = q.lang === "en" ? "residents-template" : "居民导入模板";
      res
        .type(q.format === "csv" ? "text/csv; charset=utf-8" : XLSX_TYPE)
        .attachment(`${name}.${q.format}`)
        .send(file);
    }),
  );
  r.post(
    IMPORT_UPLOAD_PATH,
    // Any content type but JSON: the sheet's bytes as they are.
    express.raw({ type: (req) => !/json/i.test(req.headers["content-type"] ?? ""), limit: MAX_IMPORT_BYTES }),
    authed(auth, (req, user) => {
      if (!Buffer.isBuffer(req.body) || req.body.length === 0) {
        throw new DomainError(
          "unsupported_media_type",
          "send the CSV or XLSX file itself as the request body",
        );
      }
      const { mode } = parse(ImportQuerySchema, req.query);
      return imports.run(caller(req, user), req.body, mode, parse(LangSchema, req.query).lang);
    }),
  );
  return r;
}
