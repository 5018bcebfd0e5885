// The family view's calls: signing in with a code, the elders and their cases, "I'm on my way".
import { z } from "zod";
import {
  FamilyCaseSchema,
  FamilyHomeSchema,
  LoginResponseSchema,
  type FamilyCase,
  type FamilyHome,
  type LoginResponse,
} from "../../../protocol/api.ts";
import { request } from "../api.ts";

export const familyApi = {
  requestCode: (phone: string): Promise<void> =>
    request("POST", "/api/family/code", { body: { phone }, anonymous: true }),
  login: (phone: string, code: string): Promise<LoginResponse> =>
    request("POST", "/api/family/login", { body: { phone, code }, schema: LoginResponseSchema, anonymous: true }),
  home: (): Promise<FamilyHome> => request("GET", "/api/family/home", { schema: FamilyHomeSchema }),
  history: (residentId: number): Promise<FamilyCase[]> =>
    request("GET", `/api/family/residents/${residentId}/cases`, { schema: z.array(FamilyCaseSchema) }),
  onMyWay: (caseId: number, etaMinutes: number | null): Promise<FamilyCase> =>
    request("POST", `/api/family/cases/${caseId}/on-my-way`, {
      body: etaMinutes === null ? {} : { etaMinutes },
      schema: FamilyCaseSchema,
    }),
};
