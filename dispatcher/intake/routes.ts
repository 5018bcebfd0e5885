// Hotline intake: POST /api/cases. 201 with a new case, 200 when the call joined an open one.
import { Router } from "express";
import { IntakeRequestSchema } from "../../protocol/index.ts";
import { authed, caller, parse, type Authenticator } from "../edge/http.ts";
import type { IntakeService } from "./service.ts";

export function intakeRoutes(auth: Authenticator, intake: IntakeService): Router {
  const r = Router();
  r.post(
    "/cases",
    authed(auth, async (req, user, res) => {
      const result = await intake.take(caller(req, user), parse(IntakeRequestSchema, req.body));
      res.status(result.joined ? 200 : 201);
      return result;
    }),
  );
  return r;
}
