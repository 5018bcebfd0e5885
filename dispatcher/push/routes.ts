// Push routes for the responder phone and the family view: the VAPID key to subscribe with, and
// the browser's subscription. The service tells a responder from a family member by the login.
import { Router } from "express";
import { PushSubscriptionRequestSchema, PushUnsubscribeRequestSchema } from "../../protocol/index.ts";
import { authed, parse, type Authenticator } from "../edge/http.ts";
import type { PushService } from "./service.ts";

export function pushRoutes(auth: Authenticator, push: PushService): Router {
  const r = Router();
  for (const path of ["/responder/push", "/family/push"]) {
    r.get(
      path,
      authed(auth, (_req, user) => push.key(user)),
    );
    r.post(
      path,
      authed(auth, (req, user) => push.subscribe(user, parse(PushSubscriptionRequestSchema, req.body))),
    );
    r.delete(
      path,
      authed(auth, (req, user) =>
        push.unsubscribe(user, parse(PushUnsubscribeRequestSchema, req.body).endpoint),
      ),
    );
  }
  return r;
}
