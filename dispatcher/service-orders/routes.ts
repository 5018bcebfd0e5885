// Service orders: the community queue for staff, and the phone's claimable and own orders.
import { Router } from "express";
import {
  OrderAssignRequestSchema,
  OrderCancelRequestSchema,
  OrderDoneRequestSchema,
  ServiceOrderInputSchema,
  ServiceOrderListQuerySchema,
} from "../../protocol/index.ts";
import { authed, creates, idOf, parse, type Authenticator } from "../edge/http.ts";
import type { ServiceOrderService } from "./service.ts";

export function serviceOrderRoutes(auth: Authenticator, orders: ServiceOrderService): Router {
  const r = Router();
  r.get(
    "/service-orders",
    authed(auth, (req, user) => orders.list(user, parse(ServiceOrderListQuerySchema, req.query))),
  );
  r.post(
    "/service-orders",
    creates(auth, (req, user) => orders.orderService(user, parse(ServiceOrderInputSchema, req.body))),
  );
  // The phone's list before `/service-orders/:id`.
  r.get(
    "/responder/service-orders",
    authed(auth, (_req, user) => orders.responderOrders(user)),
  );
  r.get(
    "/service-orders/:id",
    authed(auth, (req, user) => orders.get(user, idOf(req))),
  );
  r.post(
    "/service-orders/:id/assign",
    authed(auth, (req, user) =>
      orders.assign(user, idOf(req), parse(OrderAssignRequestSchema, req.body).responderId),
    ),
  );
  r.post(
    "/service-orders/:id/publish",
    authed(auth, (req, user) => orders.publish(user, idOf(req))),
  );
  r.post(
    "/service-orders/:id/cancel",
    authed(auth, (req, user) =>
      orders.cancel(user, idOf(req), parse(OrderCancelRequestSchema, req.body).reason),
    ),
  );
  for (const action of ["claim", "confirm", "start", "release"] as const) {
    r.post(
      `/service-orders/:id/${action}`,
      authed(auth, (req, user) => orders[action](user, idOf(req))),
    );
  }
  r.post(
    "/service-orders/:id/done",
    authed(auth, (req, user) => orders.done(user, idOf(req), parse(OrderDoneRequestSchema, req.body))),
  );
  return r;
}
