// The family circle's calls: for staff (a resident's circle, invitations, what each member is
// told), and for the family view (signing in with a code, the elders and their cases, "I'm on my way").
import { z } from "zod";
import {
  FamilyCircleSchema,
  FamilyInviteResponseSchema,
  FamilyMemberSchema,
  FamilyCaseSchema,
  FamilyHomeSchema,
  LoginResponseSchema,
  type FamilyCase,
  type FamilyCircle,
  type FamilyInviteResponse,
  type FamilyMember,
  type FamilyMemberPatch,
  type FamilyHome,
  type LoginResponse,
} from "../../../protocol/api.ts";
import { request } from "../api.ts";

export const familyApi = {
  circle: (residentId: number): Promise<FamilyCircle> =>
    request("GET", `/api/residents/${residentId}/family`, { schema: FamilyCircleSchema }),
  invite: (residentId: number, phone: string): Promise<FamilyInviteResponse> =>
    request("POST", `/api/residents/${residentId}/family/invites`, {
      body: { phone },
      schema: FamilyInviteResponseSchema,
    }),
  updateMember: (id: number, patch: FamilyMemberPatch): Promise<FamilyMember> =>
    request("PATCH", `/api/family/members/${id}`, { body: patch, schema: FamilyMemberSchema }),
  requestCode: (phone: string): Promise<void> =>
    request("POST", "/api/family/code", { body: { phone }, anonymous: true }),
  login: (phone: string, code: string): Promise<LoginResponse> =>
    request("POST", "/api/family/login", {
      body: { phone, code },
      schema: LoginResponseSchema,
      anonymous: true,
    }),
  home: (): Promise<FamilyHome> => request("GET", "/api/family/home", { schema: FamilyHomeSchema }),
  history: (residentId: number): Promise<FamilyCase[]> =>
    request("GET", `/api/family/residents/${residentId}/cases`, { schema: z.array(FamilyCaseSchema) }),
  onMyWay: (caseId: number, etaMinutes: number | null): Promise<FamilyCase> =>
    request("POST", `/api/family/cases/${caseId}/on-my-way`, {
      body: etaMinutes === null ? {} : { etaMinutes },
      schema: FamilyCaseSchema,
    }),
};
