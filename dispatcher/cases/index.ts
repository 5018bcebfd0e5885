// The cases feature: the engine, its runner, matching requests, the case file and the case routes.
import type { Authenticator } from "../edge/http.ts";
import type { Feature } from "../feature.ts";
import { CaseHistory } from "./history.ts";
import { caseRoutes } from "./routes.ts";
import { CaseService, type CaseServiceDeps } from "./service.ts";

export function createCasesFeature(deps: CaseServiceDeps & { auth: Authenticator }) {
  const service = new CaseService(deps);
  const history = new CaseHistory(deps.db);
  return { name: "cases", service, router: caseRoutes(deps.auth, service, history) } satisfies Feature & {
    service: CaseService;
  };
}
