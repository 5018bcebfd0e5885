// The rosters feature: shifts per responder, who is off shift now (for matching), the duty board.
// Its sweep runs in the feature's start/stop, so in a cluster only the leader runs it.
import { startRepeating, type Repeating } from "../background.ts";
import type { Authenticator } from "../edge/http.ts";
import type { Feature } from "../feature.ts";
import type { TaskReporter } from "../platform-health.ts";
import { rosterRoutes } from "./routes.ts";
import { RosterService, type RosterDeps } from "./service.ts";

/** Shift starts and ends reach matching within this long. */
const SWEEP_MS = 15_000;

export function createRostersFeature(deps: RosterDeps & { auth: Authenticator; tasks: TaskReporter }) {
  const service = new RosterService(deps);
  let sweeping: Repeating | null = null;
  return {
    name: "rosters",
    service,
    router: rosterRoutes(deps.auth, service),
    async start() {
      await service.load();
      sweeping = startRepeating("roster sweep", SWEEP_MS, () => Promise.resolve(service.sweep()), deps.tasks);
    },
    async stop() {
      await sweeping?.stop();
    },
  } satisfies Feature & { service: RosterService };
}
