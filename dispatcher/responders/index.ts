// The responders feature: the roster and positions in memory (the registry), duty and the phone's
// view, and the responder register.
import { Router } from "express";
import { startRepeating, type Repeating } from "../background.ts";
import type { Clock } from "../clock.ts";
import type { Authenticator } from "../edge/http.ts";
import type { Feature } from "../feature.ts";
import type { Notifier } from "../notifier.ts";
import type { TaskReporter } from "../platform-health.ts";
import { ResponderRegister, type ResponderRegisterDeps } from "./register.ts";
import { responderRegisterRoutes } from "./register-routes.ts";
import type { ResponderRegistry } from "./registry.ts";
import { responderRoutes } from "./routes.ts";
import { ResponderService, type CaseWork } from "./service.ts";

export interface RespondersDeps extends Omit<ResponderRegisterDeps, "cases" | "notifier"> {
  registry: ResponderRegistry;
  cases: CaseWork;
  notifier: Notifier;
  clock: Clock;
  auth: Authenticator;
  tasks: TaskReporter;
  /** Buffered positions are written this often. */
  locationFlushMs?: number;
}

const DEFAULTS = { locationFlushMs: 5000 } as const;

export function createRespondersFeature(deps: RespondersDeps) {
  const { registry } = deps;
  const { locationFlushMs } = { ...DEFAULTS, ...deps };
  const service = new ResponderService(registry, deps.cases, deps.notifier, deps.clock);
  const register = new ResponderRegister(deps);
  let flushing: Repeating | null = null;
  return {
    name: "responders",
    service,
    register,
    // The directory's fixed path before the register's `/responders/:id`.
    router: Router().use(responderRegisterRoutes(deps.auth, register), responderRoutes(deps.auth, service)),
    async start() {
      await registry.load();
      flushing = startRepeating(
        "position flush",
        locationFlushMs,
        () => registry.flushLocations(),
        deps.tasks,
      );
    },
    async stop() {
      await flushing?.stop();
      // What is still unsaved stays in memory: a phone shares its position again within seconds.
      await registry.flushLocations().catch((err: unknown) => deps.tasks.taskFailed("position flush", err));
    },
  } satisfies Feature & { service: ResponderService; register: ResponderRegister };
}
