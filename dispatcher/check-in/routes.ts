// A resident's daily check-in plan.
import { Router } from "express";
import { CheckInPlanInputSchema } from "../../protocol/index.ts";
import { authed, idOf, parse, type Authenticator } from "../edge/http.ts";
import type { CheckInService } from "./service.ts";

export function checkInRoutes(auth: Authenticator, checkIns: CheckInService): Router {
  const r = Router();
  r.get(
    "/residents/:id/check-in",
    authed(auth, (req, user) => checkIns.get(user, idOf(req))),
  );
  r.put(
    "/residents/:id/check-in",
    authed(auth, (req, user) => checkIns.set(user, idOf(req), parse(CheckInPlanInputSchema, req.body))),
  );
  return r;
}
