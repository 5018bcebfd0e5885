// `GET /api/platform`: the deployment's settings the console follows (time zone, alarm repeats,
// follow-up retry), from the dispatcher's config, so a console never hard-codes them.
import { Router } from "express";
import type { PlatformInfo } from "../../protocol/index.ts";
import { requirePermission } from "../auth/access.ts";
import type { Config } from "../config.ts";
import { authed, type Authenticator } from "../edge/http.ts";
import type { Feature } from "../feature.ts";

export function createPlatformFeature(deps: { config: Config; auth: Authenticator }): Feature {
  const info: PlatformInfo = {
    timeZone: deps.config.PLATFORM_TIME_ZONE,
    alarm: { repeats: deps.config.ALARM_REPEATS, repeatSeconds: deps.config.ALARM_REPEAT_SECONDS },
    followUpRetryMinutes: deps.config.FOLLOW_UP_RETRY_MINUTES,
  };
  const router = Router();
  router.get(
    "/platform",
    authed(deps.auth, (_req, user) => {
      requirePermission(user, "case.read");
      return info;
    }),
  );
  return { name: "platform", router };
}
