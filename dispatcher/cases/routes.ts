// Case HTTP routes: validate, authorise, hand over to the service. No rules live here.
import { Router } from "express";
import { z } from "zod";
import {
  AssignRequestSchema,
  CancelRequestSchema,
  EscalateRequestSchema,
  FollowUpRequestSchema,
  NoteRequestSchema,
  ResolveRequestSchema,
  type User,
} from "../../protocol/index.ts";
import { guard, IdParam, parse, responderIdOf, STAFF, type AuthedRequest } from "../edge/http.ts";
import type { SessionService } from "../auth/service.ts";
import type { CaseService } from "./service.ts";
import type { CaseQueries } from "./queries.ts";
import type { Actor } from "./state.ts";

export function actorOf(user: User): Actor {
  return user.role === "responder" && user.responderId !== null
    ? { type: "responder", id: String(user.responderId), name: user.displayName }
    : { type: "staff", id: String(user.id), name: user.displayName };
}

const ListQuery = z.object({
  scope: z.enum(["open", "all"]).default("open"),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
});

export function caseRoutes(sessions: SessionService, cases: CaseService, queries: CaseQueries): Router {
  const r = Router();
  const staff = (h: (req: AuthedRequest) => unknown) => guard(sessions, STAFF, h);
  const anyone = (h: (req: AuthedRequest) => unknown) => guard(sessions, [...STAFF, "responder"], h);
  const responderOnly = (h: (req: AuthedRequest) => unknown) => guard(sessions, ["responder"], h);
  const id = (req: AuthedRequest) => parse(IdParam, req.params).id;

  r.get(
    "/cases",
    staff((req) => {
      const q = parse(ListQuery, req.query);
      return queries.list(q.scope, q.from ? Date.parse(q.from) : null, q.to ? Date.parse(q.to) : null);
    }),
  );
  r.get(
    "/cases/:id",
    anyone(async (req) => {
      const caseId = id(req);
      if (req.user.role === "responder") queries.assertResponderMayRead(caseId, responderIdOf(req));
      return queries.detail(caseId);
    }),
  );
  r.post(
    "/cases/:id/ack",
    staff((req) => cases.execute(id(req), { type: "staff_ack", actor: actorOf(req.user) })),
  );
  r.post(
    "/cases/:id/assign",
    staff((req) => {
      const caseId = id(req);
      const body = parse(AssignRequestSchema, req.body);
      const candidate = queries.candidateFor(caseId, body.responderId);
      return cases.execute(caseId, { type: "assign", actor: actorOf(req.user), candidate });
    }),
  );
  r.post(
    "/cases/:id/escalate",
    staff((req) => {
      const body = parse(EscalateRequestSchema, req.body);
      return cases.execute(id(req), {
        type: "escalate",
        actor: actorOf(req.user),
        target: body.target,
        note: body.note ?? null,
      });
    }),
  );
  r.post(
    "/cases/:id/notes",
    anyone((req) => {
      const caseId = id(req);
      if (req.user.role === "responder") queries.assertResponderMayRead(caseId, responderIdOf(req));
      return cases.execute(caseId, {
        type: "note",
        actor: actorOf(req.user),
        text: parse(NoteRequestSchema, req.body).text,
      });
    }),
  );
  r.post(
    "/cases/:id/cancel",
    staff((req) =>
      cases.execute(id(req), {
        type: "cancel",
        actor: actorOf(req.user),
        reason: parse(CancelRequestSchema, req.body).reason,
      }),
    ),
  );
  r.post(
    "/cases/:id/en-route",
    responderOnly((req) =>
      cases.execute(id(req), { type: "en_route", responderId: responderIdOf(req), actor: actorOf(req.user) }),
    ),
  );
  r.post(
    "/cases/:id/arrived",
    responderOnly((req) =>
      cases.execute(id(req), { type: "arrive", responderId: responderIdOf(req), actor: actorOf(req.user) }),
    ),
  );
  r.post(
    "/cases/:id/resolve",
    anyone((req) => {
      const note = parse(ResolveRequestSchema, req.body).note;
      const rid = req.user.role === "responder" ? responderIdOf(req) : null;
      return cases.execute(id(req), { type: "resolve", actor: actorOf(req.user), responderId: rid, note });
    }),
  );
  r.post(
    "/cases/:id/follow-up",
    staff((req) => {
      const body = parse(FollowUpRequestSchema, req.body);
      return cases.execute(id(req), {
        type: "follow_up",
        actor: actorOf(req.user),
        outcome: body.outcome,
        note: body.note ?? null,
        close: body.close,
      });
    }),
  );

  r.post(
    "/offers/:id/accept",
    responderOnly((req) => {
      const rid = responderIdOf(req);
      const caseId = cases.caseOfOffer(id(req), rid);
      return cases.execute(caseId, { type: "accept", responderId: rid, actor: actorOf(req.user) });
    }),
  );
  r.post(
    "/offers/:id/decline",
    responderOnly((req) => {
      const rid = responderIdOf(req);
      const caseId = cases.caseOfOffer(id(req), rid);
      cases.execute(caseId, { type: "decline", responderId: rid, actor: actorOf(req.user) });
      return undefined;
    }),
  );
  return r;
}
