// The cases feature: the engine, its runner, matching requests, the case file and the case routes.
import type { Authenticator } from "../edge/http.ts";
import type { Feature } from "../feature.ts";
import { caseRoutes } from "./routes.ts";
import { CaseService, type CaseServiceDeps } from "./service.ts";

export function createCasesFeature(deps: CaseServiceDeps & { auth: Authenticator }) {
  const service = new CaseService(deps);
  return { name: "cases", service, router: caseRoutes(deps.auth, service) } satisfies Feature & {
    service: CaseService;
  };
}
