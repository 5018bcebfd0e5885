// User register routes: staff accounts and passwords.
import { Router } from "express";
import {
  PasswordChangeSchema,
  UserCreateSchema,
  UserListQuerySchema,
  UserPatchSchema,
} from "../../protocol/index.ts";
import { authed, bearer, caller, creates, idOf, parse, type Authenticator } from "../edge/http.ts";
import type { UserService } from "./service.ts";

export function userRoutes(auth: Authenticator, users: UserService): Router {
  const r = Router();
  r.get(
    "/users",
    authed(auth, (req, user) => users.list(user, parse(UserListQuerySchema, req.query))),
  );
  r.get(
    "/users/:id",
    authed(auth, (req, user) => users.get(user, idOf(req))),
  );
  r.post(
    "/users",
    creates(auth, (req, user) => users.create(user, parse(UserCreateSchema, req.body))),
  );
  r.patch(
    "/users/:id",
    authed(auth, (req, user) => users.update(caller(req, user), idOf(req), parse(UserPatchSchema, req.body))),
  );
  r.post(
    "/users/:id/password",
    authed(auth, (req, user) =>
      users.setPassword(
        caller(req, user),
        idOf(req),
        parse(PasswordChangeSchema, req.body),
        bearer(req) ?? null,
      ),
    ),
  );
  return r;
}
