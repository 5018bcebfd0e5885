// The daily check-in feature; its sweep runs in the feature's start/stop (only a leader runs it)
// and reads stored plans and presses, so a restart forgets nothing.
import { startRepeating, type Repeating } from "../background.ts";
import type { Authenticator } from "../edge/http.ts";
import type { Feature } from "../feature.ts";
import type { TaskReporter } from "../platform-health.ts";
import { checkInRoutes } from "./routes.ts";
import { CheckInService, type CheckInDeps } from "./service.ts";

const SWEEP_MS = 60_000;

export function createCheckInFeature(deps: CheckInDeps & { auth: Authenticator; tasks: TaskReporter }) {
  const service = new CheckInService(deps);
  let sweeping: Repeating | null = null;
  return {
    name: "check-in",
    service,
    router: checkInRoutes(deps.auth, service),
    start() {
      sweeping = startRepeating("daily check-in sweep", SWEEP_MS, () => service.sweep(), deps.tasks);
      return Promise.resolve();
    },
    async stop() {
      await sweeping?.stop();
    },
  } satisfies Feature & { service: CheckInService };
}
