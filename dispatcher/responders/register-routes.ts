// Responder register routes: the directory (searchable, paged), a record, enrol, change, retire.
// (`GET /responders` is the live roster the map shows; see routes.ts.)
import { Router } from "express";
import {
  ResponderCreateSchema,
  ResponderListQuerySchema,
  ResponderPatchSchema,
} from "../../protocol/index.ts";
import { authed, caller, creates, idOf, parse, type Authenticator } from "../edge/http.ts";
import type { ResponderRegister } from "./register.ts";

export function responderRegisterRoutes(auth: Authenticator, register: ResponderRegister): Router {
  const r = Router();
  r.get(
    "/responders/directory",
    authed(auth, (req, user) => register.list(user, parse(ResponderListQuerySchema, req.query))),
  );
  r.get(
    "/responders/:id",
    authed(auth, (req, user) => register.get(user, idOf(req))),
  );
  r.post(
    "/responders",
    creates(auth, (req, user) => register.create(user, parse(ResponderCreateSchema, req.body))),
  );
  r.patch(
    "/responders/:id",
    authed(auth, (req, user) =>
      register.update(caller(req, user), idOf(req), parse(ResponderPatchSchema, req.body)),
    ),
  );
  r.post(
    "/responders/:id/retire",
    authed(auth, (req, user) => register.retire(caller(req, user), idOf(req))),
  );
  return r;
}
