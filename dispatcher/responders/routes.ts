// Responder phone app routes: duty, position, own offers and active case.
import { Router } from "express";
import {
  DutyRequestSchema,
  LocationUpdateSchema,
  type OfferDto,
  type CaseSummary,
} from "../../protocol/index.ts";
import { DomainError } from "../errors.ts";
import { guard, parse, responderIdOf, STAFF, type AuthedRequest } from "../edge/http.ts";
import type { SessionService } from "../auth/service.ts";
import type { CaseService } from "../cases/service.ts";
import type { ResponderRegistry } from "./registry.ts";
import type { Clock } from "../clock.ts";
import type { Notifier } from "../notifier.ts";

export function responderRoutes(
  sessions: SessionService,
  registry: ResponderRegistry,
  cases: CaseService,
  notifier: Notifier,
  clock: Clock,
): Router {
  const r = Router();
  const responder = (h: (req: AuthedRequest) => unknown) => guard(sessions, ["responder"], h);

  r.get(
    "/responders",
    guard(sessions, STAFF, () => registry.summaries()),
  );

  r.get(
    "/responder/me",
    responder((req) => {
      const id = responderIdOf(req);
      const summary = registry.summary(id);
      if (!summary) throw new DomainError("not_found", "responder not found");
      // Indexed lookups for this responder only: phones call this on every (re)connect.
      const offers: (OfferDto & { case: CaseSummary })[] = [];
      for (const { caseId, offer } of cases.repo.pendingOffersFor(id)) {
        const s = cases.repo.summary(caseId);
        if (s) offers.push({ ...cases.offerDto(caseId, offer), case: s });
      }
      const working = ["accepted", "en_route", "on_scene"].includes(summary.activity);
      const activeCase = working && summary.caseId !== null ? cases.repo.summary(summary.caseId) : null;
      return { responder: summary, offers, activeCase };
    }),
  );

  r.post(
    "/responder/duty",
    responder((req) => {
      const id = responderIdOf(req);
      registry.setDuty(id, parse(DutyRequestSchema, req.body).onDuty);
      const summary = registry.summary(id)!;
      notifier.responderChanged(summary);
      return summary;
    }),
  );

  r.post(
    "/responder/location",
    responder((req) => {
      const id = responderIdOf(req);
      const loc = parse(LocationUpdateSchema, req.body);
      registry.setLocation(id, loc.lat, loc.lng, clock.now());
      const summary = registry.summary(id);
      if (summary) notifier.responderChanged(summary);
      return undefined;
    }),
  );
  return r;
}
