// `GET /api/audit?entity=&id=`: a record's change history.
import { Router } from "express";
import { AuditQuerySchema } from "../../protocol/index.ts";
import { authed, parse, type Authenticator } from "../edge/http.ts";
import type { AuditService } from "./service.ts";

export function auditRoutes(auth: Authenticator, audit: AuditService): Router {
  const r = Router();
  r.get(
    "/audit",
    authed(auth, (req, user) => audit.list(user, parse(AuditQuerySchema, req.query))),
  );
  return r;
}
