// The sensors feature: home sensors' rules beyond the press rule (door watch, inactivity) and
// their per-resident settings.
import type { Authenticator } from "../edge/http.ts";
import type { Feature } from "../feature.ts";
import { sensorRoutes } from "./routes.ts";
import { SensorService, type SensorServiceDeps } from "./service.ts";

export function createSensorsFeature(deps: SensorServiceDeps & { auth: Authenticator }) {
  const service = new SensorService(deps);
  return {
    name: "sensors",
    service,
    router: sensorRoutes(deps.auth, service),
    start: () => service.start(),
    stop: () => service.stop(),
  } satisfies Feature & { service: SensorService };
}
