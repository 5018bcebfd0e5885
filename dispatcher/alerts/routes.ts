// Staff alert routes: the open ones (after a reload or reconnect), and acknowledging one.
import { Router } from "express";
import { AlertListQuerySchema } from "../../protocol/index.ts";
import { authed, idOf, parse, type Authenticator } from "../edge/http.ts";
import type { AlertService } from "./service.ts";

export function alertRoutes(auth: Authenticator, alerts: AlertService): Router {
  const r = Router();
  r.get(
    "/alerts",
    authed(auth, (req, user) => alerts.list(user, parse(AlertListQuerySchema, req.query))),
  );
  r.post(
    "/alerts/:id/ack",
    authed(auth, (req, user) => alerts.acknowledge(user, idOf(req))),
  );
  return r;
}
