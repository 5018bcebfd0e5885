// Routes of the family circle: staff manage a resident's circle; family members sign in with a
// code and follow their elders.
import { Router } from "express";
import {
  FamilyCodeRequestSchema,
  FamilyInviteRequestSchema,
  FamilyLoginRequestSchema,
  FamilyMemberPatchSchema,
  OnMyWayRequestSchema,
} from "../../protocol/index.ts";
import { authed, caller, creates, idOf, parse, respond, type Authenticator } from "../edge/http.ts";
import type { FamilyService } from "./service.ts";

export function familyRoutes(auth: Authenticator, family: FamilyService): Router {
  const r = Router();
  // staff
  r.get(
    "/residents/:id/family",
    authed(auth, (req, user) => family.circle(caller(req, user), idOf(req))),
  );
  r.post(
    "/residents/:id/family/invites",
    creates(auth, (req, user) =>
      family.invite(user, idOf(req), parse(FamilyInviteRequestSchema, req.body).phone),
    ),
  );
  r.patch(
    "/family/members/:id",
    authed(auth, (req, user) =>
      family.updateMember(caller(req, user), idOf(req), parse(FamilyMemberPatchSchema, req.body)),
    ),
  );
  // signing in (no session yet)
  r.post(
    "/family/code",
    respond((req) => family.requestCode(parse(FamilyCodeRequestSchema, req.body).phone, req.ip ?? "unknown")),
  );
  r.post(
    "/family/login",
    respond((req) => {
      const { phone, code } = parse(FamilyLoginRequestSchema, req.body);
      return family.login(phone, code, req.ip ?? "unknown");
    }),
  );
  // the family view
  r.get(
    "/family/home",
    authed(auth, (_req, user) => family.home(user)),
  );
  r.get(
    "/family/residents/:id/cases",
    authed(auth, (req, user) => family.history(user, idOf(req))),
  );
  r.get(
    "/family/cases/:id",
    authed(auth, (req, user) => family.caseView(user, idOf(req))),
  );
  r.post(
    "/family/cases/:id/on-my-way",
    authed(auth, (req, user) =>
      family.onMyWay(user, idOf(req), parse(OnMyWayRequestSchema, req.body).etaMinutes ?? null),
    ),
  );
  return r;
}
