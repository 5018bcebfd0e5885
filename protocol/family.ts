// The family circle: a resident's emergency contacts invited as family users (phone + one-time
// code), what they see of their elder's cases, what they are told and how (docs/family.md).
import { z } from "zod";
import { CaseTypeSchema, type CaseStatus } from "./domain.ts";
import { normalizePhone } from "./phone.ts";
import { id, isoDate } from "./wire.ts";

/** How far a case has come, as a family member follows it. */
export const FAMILY_STAGES = ["received", "coming", "on_scene", "resolved", "cancelled"] as const;
export const FamilyStageSchema = z.enum(FAMILY_STAGES);
export type FamilyStage = z.infer<typeof FamilyStageSchema>;

export function familyStageOf(status: CaseStatus): FamilyStage {
  switch (status) {
    case "new":
    case "offered":
      return "received";
    case "accepted":
    case "en_route":
      return "coming";
    case "on_scene":
      return "on_scene";
    case "resolved":
    case "closed":
      return "resolved";
    case "cancelled":
      return "cancelled";
  }
}

/** A mainland mobile number (codes go out by SMS), normalised like every phone of the platform. */
export const FamilyPhoneSchema = z
  .string()
  .transform((raw) => normalizePhone(raw) ?? raw)
  .pipe(z.string().regex(/^1\d{10}$/, "an 11-digit mobile number"));

export const FamilyCodeSchema = z
  .string()
  .trim()
  .regex(/^\d{6}$/, "the 6-digit code");

/** What a family member is told, chosen by staff per member. */
export const FamilyNotifySchema = z.strictObject({
  stages: z.array(FamilyStageSchema).max(FAMILY_STAGES.length),
  /** By SMS too, where the platform has an SMS gateway. */
  sms: z.boolean(),
});
export type FamilyNotify = z.infer<typeof FamilyNotifySchema>;

export const DEFAULT_FAMILY_NOTIFY: FamilyNotify = {
  stages: ["received", "coming", "on_scene", "resolved", "cancelled"],
  sms: true,
};

export const FamilyMemberSchema = z.object({
  id,
  residentId: id,
  name: z.string(),
  relation: z.string(),
  phone: z.string(),
  /** null until they have signed in with their code. */
  userId: id.nullable(),
  joinedAt: isoDate.nullable(),
  invitedAt: isoDate,
  /** The resident agreed that this member may see their medical details. */
  medicalConsent: z.boolean(),
  notify: FamilyNotifySchema,
  revokedAt: isoDate.nullable(),
});
export type FamilyMember = z.infer<typeof FamilyMemberSchema>;

/** `GET /api/residents/:id/family`: the resident's emergency contacts and who of them is in the circle. */
export const FamilyCircleSchema = z.object({
  residentId: id,
  contacts: z.array(
    z.object({
      name: z.string(),
      relation: z.string(),
      phone: z.string(),
      member: FamilyMemberSchema.nullable(),
    }),
  ),
  /** Whether codes go out by SMS; otherwise staff read the code to the contact on the phone. */
  smsConfigured: z.boolean(),
});
export type FamilyCircle = z.infer<typeof FamilyCircleSchema>;

export const FamilyInviteRequestSchema = z.strictObject({ phone: FamilyPhoneSchema });
export type FamilyInviteRequest = z.input<typeof FamilyInviteRequestSchema>;

/** The code is shown once, to staff (to read out on the phone), and sent by SMS when configured. */
export const FamilyInviteResponseSchema = z.object({
  member: FamilyMemberSchema,
  code: z.string(),
  expiresAt: isoDate,
  sentBySms: z.boolean(),
});
export type FamilyInviteResponse = z.infer<typeof FamilyInviteResponseSchema>;

export const FamilyMemberPatchSchema = z
  .strictObject({ medicalConsent: z.boolean(), notify: FamilyNotifySchema, revoked: z.literal(true) })
  .partial()
  .refine((p) => Object.keys(p).length > 0, "nothing to change");
export type FamilyMemberPatch = z.infer<typeof FamilyMemberPatchSchema>;

/** `POST /api/family/code`: a member asks for a sign-in code by SMS (answered alike whoever asks). */
export const FamilyCodeRequestSchema = z.strictObject({ phone: FamilyPhoneSchema });
/** `POST /api/family/login`: phone + one-time code → a session, like `POST /api/auth/login`. */
export const FamilyLoginRequestSchema = z.strictObject({ phone: FamilyPhoneSchema, code: FamilyCodeSchema });
export type FamilyLoginRequest = z.input<typeof FamilyLoginRequestSchema>;

/** One line of the case as family follow it. */
export const FAMILY_STEP_TYPES = [
  "received",
  "coming",
  "on_scene",
  "resolved",
  "cancelled",
  "family_on_way",
] as const;
export const FamilyStepSchema = z.object({
  type: z.enum(FAMILY_STEP_TYPES),
  at: isoDate,
  /** The responder coming, or the family member on their way. */
  name: z.string().nullable(),
});
export type FamilyStep = z.infer<typeof FamilyStepSchema>;

export const FamilyCaseSchema = z.object({
  id,
  residentId: id,
  type: CaseTypeSchema,
  stage: FamilyStageSchema,
  createdAt: isoDate,
  /** Who is coming (first name as the platform knows it), and in how many seconds from acceptedAt. */
  responderName: z.string().nullable(),
  etaSeconds: z.number().int().nullable(),
  acceptedAt: isoDate.nullable(),
  arrivedAt: isoDate.nullable(),
  endedAt: isoDate.nullable(),
  /** The case is where the resident's pendant was, not at home. */
  away: z.boolean(),
  steps: z.array(FamilyStepSchema),
  /** The responder's closing note: only as the resident consented. */
  resolutionNote: z.string().nullable(),
});
export type FamilyCase = z.infer<typeof FamilyCaseSchema>;

export const FamilyElderSchema = z.object({
  residentId: id,
  name: z.string(),
  relation: z.string(),
  openCase: FamilyCaseSchema.nullable(),
  /** Conditions and medicines, only as the resident consented for this member. */
  medical: z.object({ conditions: z.array(z.string()), medicines: z.array(z.string()) }).nullable(),
});
export type FamilyElder = z.infer<typeof FamilyElderSchema>;

export const FamilyHomeSchema = z.object({ elders: z.array(FamilyElderSchema) });
export type FamilyHome = z.infer<typeof FamilyHomeSchema>;

export const OnMyWayRequestSchema = z.strictObject({
  etaMinutes: z.number().int().min(1).max(600).optional(),
});
export type OnMyWayRequest = z.infer<typeof OnMyWayRequestSchema>;
