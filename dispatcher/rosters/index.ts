// The rosters feature: shifts per responder, who is off shift now (for matching), the duty board,
// and coverage gaps raised as stored alerts ahead of time. Its sweeps run in the feature's
// start/stop, so in a cluster only the leader runs them.
import { startRepeating, type Repeating } from "../background.ts";
import type { Authenticator } from "../edge/http.ts";
import type { Feature } from "../feature.ts";
import type { Notifier } from "../notifier.ts";
import type { TaskReporter } from "../platform-health.ts";
import { CoverageAlerts } from "./coverage-alerts.ts";
import { rosterRoutes } from "./routes.ts";
import { RosterService, type RosterDeps } from "./service.ts";

/** Shift starts and ends reach matching within this long (an edit reaches it at once). */
const SWEEP_MS = 15_000;
/** A gap filled by a roster edit is resolved within this long. */
const COVERAGE_SWEEP_MS = 30_000;

export function createRostersFeature(
  deps: RosterDeps & { auth: Authenticator; tasks: TaskReporter; notifier: Pick<Notifier, "coverageAlert"> },
) {
  const service = new RosterService(deps);
  const coverage = new CoverageAlerts({ ...deps, rosters: service });
  let sweeping: Repeating[] = [];
  return {
    name: "rosters",
    service,
    coverage,
    router: rosterRoutes(deps.auth, service, coverage),
    async start() {
      await service.load();
      sweeping = [
        startRepeating("roster sweep", SWEEP_MS, () => Promise.resolve(service.sweep()), deps.tasks),
        startRepeating("coverage alert sweep", COVERAGE_SWEEP_MS, () => coverage.sweep(), deps.tasks),
      ];
    },
    async stop() {
      await Promise.all(sweeping.map((s) => s.stop()));
      sweeping = [];
    },
  } satisfies Feature & { service: RosterService; coverage: CoverageAlerts };
}
