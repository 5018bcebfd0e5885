// Resident register routes: validate, then hand over to the service, which decides who may do what.
import { Router } from "express";
import { ResidentInputSchema, ResidentListQuerySchema, ResidentPatchSchema } from "../../protocol/index.ts";
import { authed, caller, creates, idOf, parse, type Authenticator } from "../edge/http.ts";
import type { ResidentService } from "./service.ts";

export function residentRoutes(auth: Authenticator, residents: ResidentService): Router {
  const r = Router();
  r.get(
    "/communities",
    authed(auth, (_req, user) => residents.communities(user)),
  );
  r.get(
    "/residents",
    authed(auth, (req, user) => residents.list(user, parse(ResidentListQuerySchema, req.query))),
  );
  r.get(
    "/residents/:id",
    authed(auth, (req, user) => residents.get(user, idOf(req))),
  );
  r.post(
    "/residents",
    creates(auth, (req, user) => residents.create(user, parse(ResidentInputSchema, req.body))),
  );
  r.patch(
    "/residents/:id",
    authed(auth, (req, user) =>
      residents.update(caller(req, user), idOf(req), parse(ResidentPatchSchema, req.body)),
    ),
  );
  r.post(
    "/residents/:id/retire",
    authed(auth, (req, user) => residents.retire(caller(req, user), idOf(req))),
  );
  return r;
}
