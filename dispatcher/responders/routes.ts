// Responder routes: the roster for staff; duty, position, presence, own jobs and asking for help
// for the phone app.
import { Router } from "express";
import { DutyRequestSchema, HelpRequestSchema, LocationUpdateSchema } from "../../protocol/index.ts";
import { authed, idOf, parse, type Authenticator } from "../edge/http.ts";
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
    "/responder/heartbeat",
    authed(auth, (_req, user) => responders.heartbeat(user)),
  );
  r.post(
    "/responder/duty",
    authed(auth, (req, user) => responders.setDuty(user, parse(DutyRequestSchema, req.body).onDuty)),
  );
  r.post(
    "/responder/location",
    authed(auth, (req, user) => responders.setLocation(user, parse(LocationUpdateSchema, req.body))),
  );
  r.get(
    "/responder/jobs",
    authed(auth, (_req, user) => responders.jobs(user)),
  );
  r.post(
    "/responder/cases/:id/help",
    authed(auth, (req, user) =>
      responders.askHelp(user, idOf(req), parse(HelpRequestSchema, req.body).note ?? null),
    ),
  );
  return r;
}
