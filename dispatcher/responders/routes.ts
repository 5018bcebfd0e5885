// Responder phone app routes: duty, position, own offers and active case.
import { Router } from "express";
import {
  DutyRequestSchema,
  LocationUpdateSchema,
  type OfferDto,
  type CaseSummary,
} from "../../protocol/index.ts";
import { DomainError } from "../errors.ts";
import { guard, parse, STAFF, type AuthedRequest } from "../http/support.ts";
import type { SessionService } from "../auth/sessions.ts";
import type { CaseService } from "../cases/service.ts";
import type { ResponderRegistry } from "./registry.ts";
import type { Clock, Outbox } from "../cases/ports.ts";

export function responderRoutes(
  sessions: SessionService,
  registry: ResponderRegistry,
  cases: CaseService,
  outbox: Outbox,
  clock: Clock,
): Router {
  const r = Router();
  const me = (req: AuthedRequest): number => {
    if (req.user.responderId === null) throw new DomainError("forbidden", "this account is not a responder");
    return req.user.responderId;
  };
  const responder = (h: (req: AuthedRequest) => unknown) => guard(sessions, ["responder"], h);

  r.get(
    "/responders",
    guard(sessions, STAFF, () => registry.summaries()),
  );

  r.get(
    "/responder/me",
    responder((req) => {
      const id = me(req);
      const summary = registry.summary(id);
      if (!summary) throw new DomainError("not_found", "responder not found");
      const offers: (OfferDto & { case: CaseSummary })[] = [];
      let activeCase: CaseSummary | null = null;
      for (const caseId of cases.repo.openCaseIds()) {
        const state = cases.repo.load(caseId);
        if (!state) continue;
        const s = cases.repo.summary(caseId)!;
        for (const o of state.offers) {
          if (o.responderId === id && o.status === "pending")
            offers.push({ ...cases.offerDto(caseId, o), case: s });
        }
        if (state.responderId === id && ["accepted", "en_route", "on_scene"].includes(state.status))
          activeCase = s;
      }
      return { responder: summary, offers, activeCase };
    }),
  );

  r.post(
    "/responder/duty",
    responder((req) => {
      const id = me(req);
      registry.setDuty(id, parse(DutyRequestSchema, req.body).onDuty);
      const summary = registry.summary(id)!;
      outbox.responderChanged(summary);
      return summary;
    }),
  );

  r.post(
    "/responder/location",
    responder((req) => {
      const id = me(req);
      const loc = parse(LocationUpdateSchema, req.body);
      registry.setLocation(id, loc.lat, loc.lng, clock.now());
      const summary = registry.summary(id);
      if (summary) outbox.responderChanged(summary);
      return undefined;
    }),
  );
  return r;
}
