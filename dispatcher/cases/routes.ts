// Case HTTP routes: validate, then hand over to the service, which decides who may do what.
import { Router } from "express";
import {
  AssignRequestSchema,
  CallRequestSchema,
  CancelRequestSchema,
  CaseHistoryQuerySchema,
  CaseListQuerySchema,
  FollowUpListQuerySchema,
  EscalateRequestSchema,
  FollowUpRequestSchema,
  NoteRequestSchema,
  ResolveRequestSchema,
  SkipFollowUpRequestSchema,
} from "../../protocol/index.ts";
import { authed, idOf, parse, type Authenticator } from "../edge/http.ts";
import type { CaseHistory } from "./history.ts";
import type { CaseService } from "./service.ts";

export function caseRoutes(auth: Authenticator, cases: CaseService, history: CaseHistory): Router {
  const r = Router();
  r.get(
    "/cases",
    authed(auth, (req, user) => cases.list(user, parse(CaseListQuerySchema, req.query))),
  );
  // Before /cases/:id, which would take "history" for an id.
  r.get(
    "/cases/history",
    authed(auth, (req, user) => history.search(user, parse(CaseHistoryQuerySchema, req.query))),
  );
  r.get(
    "/follow-ups",
    authed(auth, (req, user) => history.followUps(user, parse(FollowUpListQuerySchema, req.query))),
  );
  r.get(
    "/cases/:id",
    authed(auth, (req, user) => cases.detail(user, idOf(req))),
  );
  r.post(
    "/cases/:id/ack",
    authed(auth, (req, user) => cases.acknowledge(user, idOf(req))),
  );
  r.post(
    "/cases/:id/assign",
    authed(auth, (req, user) =>
      cases.assign(user, idOf(req), parse(AssignRequestSchema, req.body).responderId),
    ),
  );
  r.post(
    "/cases/:id/escalate",
    authed(auth, (req, user) => {
      const body = parse(EscalateRequestSchema, req.body);
      return cases.escalate(user, idOf(req), body.target, body.note ?? null);
    }),
  );
  r.post(
    "/cases/:id/notes",
    authed(auth, (req, user) => cases.addNote(user, idOf(req), parse(NoteRequestSchema, req.body).text)),
  );
  r.post(
    "/cases/:id/cancel",
    authed(auth, (req, user) => cases.cancel(user, idOf(req), parse(CancelRequestSchema, req.body).reason)),
  );
  r.post(
    "/cases/:id/en-route",
    authed(auth, (req, user) => cases.setOff(user, idOf(req))),
  );
  r.post(
    "/cases/:id/arrived",
    authed(auth, (req, user) => cases.arrive(user, idOf(req))),
  );
  r.post(
    "/cases/:id/resolve",
    authed(auth, (req, user) => cases.resolve(user, idOf(req), parse(ResolveRequestSchema, req.body).note)),
  );
  r.post(
    "/cases/:id/follow-up",
    authed(auth, (req, user) => {
      const body = parse(FollowUpRequestSchema, req.body);
      return cases.followUp(user, idOf(req), {
        outcome: body.outcome,
        party: body.party,
        number: body.number ?? null,
        note: body.note ?? null,
        close: body.close ?? null,
      });
    }),
  );
  r.post(
    "/cases/:id/skip-follow-up",
    authed(auth, (req, user) =>
      cases.skipFollowUp(user, idOf(req), parse(SkipFollowUpRequestSchema, req.body).reason),
    ),
  );
  r.post(
    "/cases/:id/calls",
    authed(auth, (req, user) => cases.logCall(user, idOf(req), parse(CallRequestSchema, req.body))),
  );
  r.get(
    "/cases/:id/calls",
    authed(auth, (req, user) => cases.calls(user, idOf(req))),
  );
  r.post(
    "/offers/:id/accept",
    authed(auth, (req, user) => cases.acceptOffer(user, idOf(req))),
  );
  r.post(
    "/offers/:id/decline",
    authed(auth, (req, user) => cases.declineOffer(user, idOf(req))),
  );
  return r;
}
