// The audit feature: `GET /api/audit`, each record's history for whoever may read the record.
import type { SqlDatabase } from "../db/sql.ts";
import type { Authenticator } from "../edge/http.ts";
import type { Feature } from "../feature.ts";
import { auditRoutes } from "./routes.ts";
import { AuditService, type AuditReadCheck } from "./service.ts";
import type { AuditEntity } from "../../protocol/index.ts";

export function createAuditFeature(deps: {
  db: SqlDatabase;
  auth: Authenticator;
  readable: Record<AuditEntity, AuditReadCheck>;
}) {
  const service = new AuditService(deps.db, deps.readable);
  return { name: "audit", service, router: auditRoutes(deps.auth, service) } satisfies Feature & {
    service: AuditService;
  };
}
