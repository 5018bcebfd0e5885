// `GET /api/platform`: the deployment's settings the console, the phone app and the family view
// follow (time zone, alarm repeats, follow-up retry), from the dispatcher's config, so none hard-codes them.
import { Router } from "express";
import type { PlatformInfo } from "../../protocol/index.ts";
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
    // Any signed-in user: the phone and the family view show their times in the platform's zone too.
    authed(deps.auth, () => info),
  );
  return { name: "platform", router };
}
