// Responder routes: the roster for staff; duty, position and own offers for the phone app.
import { Router } from "express";
import { DutyRequestSchema, LocationUpdateSchema } from "../../protocol/index.ts";
import { authed, parse, type Authenticator } from "../edge/http.ts";
import type { ResponderService } from "./service.ts";

export function responderRoutes(auth: Authenticator, responders: ResponderService): Router {
  const r = Router();
  r.get(
    "/responders",
    authed(auth, (_req, user) => responders.list(user)),
  );
  r.get(
    "/responder/me",
    authed(auth, (_req, user) => responders.me(user)),
  );
  r.post(
    "/responder/duty",
    authed(auth, (req, user) => responders.setDuty(user, parse(DutyRequestSchema, req.body).onDuty)),
  );
  r.post(
    "/responder/location",
    authed(auth, (req, user) => responders.setLocation(user, parse(LocationUpdateSchema, req.body))),
  );
  return r;
}
