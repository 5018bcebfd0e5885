// Push routes for the responder phone: the VAPID key to subscribe with, and its subscription.
import { Router } from "express";
import { PushSubscriptionRequestSchema, PushUnsubscribeRequestSchema } from "../../protocol/index.ts";
import { authed, parse, type Authenticator } from "../edge/http.ts";
import type { PushService } from "./service.ts";

export function pushRoutes(auth: Authenticator, push: PushService): Router {
  const r = Router();
  r.get(
    "/responder/push",
    authed(auth, (_req, user) => push.key(user)),
  );
  r.post(
    "/responder/push",
    authed(auth, (req, user) => push.subscribe(user, parse(PushSubscriptionRequestSchema, req.body))),
  );
  r.delete(
    "/responder/push",
    authed(auth, (req, user) =>
      push.unsubscribe(user, parse(PushUnsubscribeRequestSchema, req.body).endpoint),
    ),
  );
  return r;
}
