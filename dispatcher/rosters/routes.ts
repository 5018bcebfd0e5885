// Duty rosters: a responder's shifts and exceptions, and the duty board.
import { Router } from "express";
import {
  CoverageAlertListQuerySchema,
  DutyBoardQuerySchema,
  ShiftExceptionInputSchema,
  ShiftPatternInputSchema,
} from "../../protocol/index.ts";
import { authed, caller, creates, idOf, parse, type Authenticator } from "../edge/http.ts";
import type { CoverageAlerts } from "./coverage-alerts.ts";
import type { RosterService } from "./service.ts";

export function rosterRoutes(auth: Authenticator, rosters: RosterService, coverage: CoverageAlerts): Router {
  const r = Router();
  r.get(
    "/coverage-alerts",
    authed(auth, (req, user) => coverage.list(user, parse(CoverageAlertListQuerySchema, req.query))),
  );
  r.post(
    "/coverage-alerts/:id/ack",
    authed(auth, (req, user) => coverage.acknowledge(user, idOf(req))),
  );
  r.get(
    "/duty-board",
    authed(auth, (req, user) => rosters.board(user, parse(DutyBoardQuerySchema, req.query))),
  );
  r.get(
    "/rosters/:id",
    authed(auth, (req, user) => rosters.roster(user, idOf(req))),
  );
  r.post(
    "/rosters/:id/patterns",
    creates(auth, (req, user) =>
      rosters.addPattern(user, idOf(req), parse(ShiftPatternInputSchema, req.body)),
    ),
  );
  r.post(
    "/rosters/:id/exceptions",
    creates(auth, (req, user) =>
      rosters.addException(user, idOf(req), parse(ShiftExceptionInputSchema, req.body)),
    ),
  );
  r.delete(
    "/shift-patterns/:id",
    authed(auth, (req, user) => rosters.removePattern(caller(req, user), idOf(req))),
  );
  r.delete(
    "/shift-exceptions/:id",
    authed(auth, (req, user) => rosters.removeException(caller(req, user), idOf(req))),
  );
  return r;
}
