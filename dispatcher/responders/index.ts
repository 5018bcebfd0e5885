// The responders feature: the roster and positions in memory (the registry), presence of the
// phones, duty and the phone's view, and the responder register.
import { Router } from "express";
import { startRepeating, type Repeating } from "../background.ts";
import type { Clock } from "../clock.ts";
import type { Authenticator } from "../edge/http.ts";
import type { Feature } from "../feature.ts";
import type { Notifier } from "../notifier.ts";
import type { TaskReporter } from "../platform-health.ts";
import type { PresenceTracker } from "./presence-tracker.ts";
import { ResponderRegister, type ResponderRegisterDeps } from "./register.ts";
import { responderRegisterRoutes } from "./register-routes.ts";
import type { ResponderRegistry } from "./registry.ts";
import { responderRoutes } from "./routes.ts";
import { ResponderService, type CaseWork } from "./service.ts";

export interface RespondersDeps extends Omit<ResponderRegisterDeps, "cases" | "notifier"> {
  registry: ResponderRegistry;
  presence: PresenceTracker;
  cases: CaseWork;
  notifier: Notifier;
  clock: Clock;
  auth: Authenticator;
  tasks: TaskReporter;
  dutyDeskPhone: string | null;
  /** The platform's zone (PLATFORM_TIME_ZONE): the days and months of a responder's jobs. */
  timeZone: string;
  /** Buffered positions and signs of life are written this often. */
  locationFlushMs?: number;
  /** Cluster mode: counts the phone sockets on every instance (edge/realtime.ts). */
  countSockets?: () => Promise<ReadonlyMap<number, number>>;
  /** How often that count is taken again while leading. */
  socketCensusMs?: number;
}

// The census corrects what events missed (an instance gone without a goodbye); about as soon as
// Socket.IO's own ping notices a dead phone (~45 s), without sending every socket over Redis often.
const DEFAULTS = { locationFlushMs: 5000, socketCensusMs: 30_000 } as const;

export function createRespondersFeature(deps: RespondersDeps) {
  const { registry, presence } = deps;
  const { locationFlushMs, socketCensusMs, countSockets } = { ...DEFAULTS, ...deps };
  const service = new ResponderService(
    registry,
    deps.cases,
    deps.notifier,
    deps.clock,
    presence,
    deps.dutyDeskPhone,
    deps.timeZone,
  );
  const register = new ResponderRegister(deps);
  // A quarter of the presence window, so staff learn of a silent phone soon after it goes quiet.
  const sweepMs = Math.max(250, Math.min(5000, presence.window.presenceMs / 4));
  const flush = () => Promise.all([registry.flushLocations(), presence.flush()]);
  let repeating: Repeating[] = [];
  return {
    name: "responders",
    service,
    register,
    // The directory's fixed path before the register's `/responders/:id`.
    router: Router().use(responderRegisterRoutes(deps.auth, register), responderRoutes(deps.auth, service)),
    async start() {
      await registry.load();
      await presence.load();
      const census = countSockets && (() => service.countSockets(countSockets));
      // Before matching resumes, so the inherited cases are offered to every live phone.
      await census?.().catch((err: unknown) => deps.tasks.taskFailed("phone socket census", err));
      repeating = [
        startRepeating("position and presence flush", locationFlushMs, flush, deps.tasks),
        startRepeating("presence sweep", sweepMs, () => service.sweep(), deps.tasks),
        ...(census ? [startRepeating("phone socket census", socketCensusMs, census, deps.tasks)] : []),
      ];
    },
    async stop() {
      await Promise.all(repeating.map((r) => r.stop()));
      presence.markLiveSeen();
      // What is still unsaved stays in memory: a phone shares its position again within seconds.
      await flush().catch((err: unknown) => deps.tasks.taskFailed("position and presence flush", err));
    },
  } satisfies Feature & { service: ResponderService; register: ResponderRegister };
}
