// The residents feature: the resident register (enrolment, care facts, pairing, retirement),
// its search, and the communities and grids records refer to.
import type { Authenticator } from "../edge/http.ts";
import type { Feature } from "../feature.ts";
import { residentRoutes } from "./routes.ts";
import { ResidentService, type ResidentServiceDeps } from "./service.ts";

export function createResidentsFeature(deps: ResidentServiceDeps & { auth: Authenticator }) {
  const service = new ResidentService(deps);
  return {
    name: "residents",
    service,
    router: residentRoutes(deps.auth, service),
    // A seeded city (or an older database) has residents without search rows.
    start: async () => void (await service.indexMissing()),
  } satisfies Feature & { service: ResidentService };
}
