// Logging in and out.
import { Router } from "express";
import { LoginRequestSchema } from "../../protocol/index.ts";
import { authed, bearer, parse, respond } from "../edge/http.ts";
import type { AuthService } from "./service.ts";

export function authRoutes(auth: AuthService): Router {
  const r = Router();
  r.post(
    "/auth/login",
    respond((req) => {
      const body = parse(LoginRequestSchema, req.body);
      return auth.login(body.username, body.password, req.ip ?? "unknown");
    }),
  );
  r.post(
    "/auth/logout",
    authed(auth, (req) => auth.logout(bearer(req)!)),
  );
  r.get(
    "/auth/me",
    authed(auth, (_req, user) => user),
  );
  return r;
}
