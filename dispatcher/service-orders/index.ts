// The service-orders feature: the community queue, claiming on the phone, hours on the record,
// and reminders before the window (a sweep in the feature's start/stop: only a leader runs it).
import { startRepeating, type Repeating } from "../background.ts";
import type { Authenticator } from "../edge/http.ts";
import type { Feature } from "../feature.ts";
import type { TaskReporter } from "../platform-health.ts";
import { serviceOrderRoutes } from "./routes.ts";
import { ServiceOrderService, type ServiceOrderDeps } from "./service.ts";

const REMINDER_SWEEP_MS = 30_000;

export function createServiceOrdersFeature(
  deps: ServiceOrderDeps & { auth: Authenticator; tasks: TaskReporter },
) {
  const service = new ServiceOrderService(deps);
  let sweeping: Repeating | null = null;
  return {
    name: "service-orders",
    service,
    router: serviceOrderRoutes(deps.auth, service),
    start() {
      sweeping = startRepeating(
        "service order reminders",
        REMINDER_SWEEP_MS,
        () => service.sweep(),
        deps.tasks,
      );
      return Promise.resolve();
    },
    async stop() {
      await sweeping?.stop();
    },
  } satisfies Feature & { service: ServiceOrderService };
}
