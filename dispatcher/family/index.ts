// The family feature: the family circle of each resident (invitations, consent, what they are
// told), the family view's API, and the notices to family (live, Web Push, SMS webhook).
import type { Authenticator } from "../edge/http.ts";
import type { Feature } from "../feature.ts";
import { familyRoutes } from "./routes.ts";
import { FamilyService, type FamilyServiceDeps } from "./service.ts";

export function createFamilyFeature(
  deps: FamilyServiceDeps & { auth: FamilyServiceDeps["auth"] & Authenticator },
) {
  const service = new FamilyService(deps);
  return {
    name: "family",
    service,
    router: familyRoutes(deps.auth, service),
  } satisfies Feature & { service: FamilyService };
}
