// The intake feature: a phone call to the hotline becomes a case (decision 0014).
import type { Authenticator } from "../edge/http.ts";
import type { Feature } from "../feature.ts";
import { intakeRoutes } from "./routes.ts";
import { IntakeService, type IntakeServiceDeps } from "./service.ts";

export function createIntakeFeature(deps: IntakeServiceDeps & { auth: Authenticator }) {
  const service = new IntakeService(deps);
  return { name: "intake", service, router: intakeRoutes(deps.auth, service) } satisfies Feature & {
    service: IntakeService;
  };
}
