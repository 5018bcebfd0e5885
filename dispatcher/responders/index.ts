// The responders feature: the roster and positions in memory (the registry), presence of the
// phones, duty and the phone's view.
import type { Logger } from "pino";
import type { Clock } from "../clock.ts";
import type { Authenticator } from "../edge/http.ts";
import type { Feature } from "../feature.ts";
import type { Notifier } from "../notifier.ts";
import type { PresenceTracker } from "./presence-tracker.ts";
import type { ResponderRegistry } from "./registry.ts";
import { responderRoutes } from "./routes.ts";
import { ResponderService, type CaseWork } from "./service.ts";

export interface RespondersDeps {
  registry: ResponderRegistry;
  presence: PresenceTracker;
  cases: CaseWork;
  notifier: Notifier;
  clock: Clock;
  auth: Authenticator;
  logger: Logger;
  dutyDeskPhone: string | null;
  /** Buffered positions and signs of life are written this often. */
  locationFlushMs?: number;
}

const DEFAULTS = { locationFlushMs: 5000 } as const;

export function createRespondersFeature(deps: RespondersDeps) {
  const { registry, presence, logger } = deps;
  const { locationFlushMs } = { ...DEFAULTS, ...deps };
  const service = new ResponderService(
    registry,
    deps.cases,
    deps.notifier,
    deps.clock,
    presence,
    deps.dutyDeskPhone,
  );
  // A quarter of the presence window, so staff learn of a silent phone soon after it goes quiet.
  const sweepMs = Math.max(250, Math.min(5000, presence.window.presenceMs / 4));
  const timers: NodeJS.Timeout[] = [];
  const flush = () =>
    Promise.all([registry.flushLocations(), presence.flush()]).catch((err: unknown) =>
      logger.error({ err }, "saving positions and presence failed; retrying"),
    );
  let sweeping = false;
  const sweep = () => {
    if (sweeping) return;
    sweeping = true;
    service
      .sweep()
      .catch((err: unknown) => logger.error({ err }, "presence sweep failed"))
      .finally(() => (sweeping = false));
  };
  return {
    name: "responders",
    service,
    router: responderRoutes(deps.auth, service),
    async start() {
      await registry.load();
      await presence.load();
      timers.push(
        setInterval(() => void flush(), locationFlushMs),
        setInterval(sweep, sweepMs),
      );
      for (const t of timers) t.unref();
    },
    async stop() {
      for (const t of timers) clearInterval(t);
      presence.markLiveSeen();
      await flush();
    },
  } satisfies Feature & { service: ResponderService };
}
