// Shared vocabulary of the platform: case states, responder roles, skills, staff roles.
import { z } from "zod";
import { ServiceKindSchema } from "./mqtt.ts";

export const CASE_STATUSES = [
  "new",
  "offered",
  "accepted",
  "en_route",
  "on_scene",
  "resolved",
  "closed",
  "cancelled",
] as const;
export const CaseStatusSchema = z.enum(CASE_STATUSES);
export type CaseStatus = z.infer<typeof CaseStatusSchema>;
/** Shown in the queue until closed: a cancelled or resolved case still needs its follow-up call (回访). */
export const OPEN_CASE_STATUSES: readonly CaseStatus[] = [
  "new",
  "offered",
  "accepted",
  "en_route",
  "on_scene",
  "resolved",
  "cancelled",
];
/** Someone still has to act in person; a new press joins such a case instead of opening another. */
export const ACTIVE_CASE_STATUSES: readonly CaseStatus[] = [
  "new",
  "offered",
  "accepted",
  "en_route",
  "on_scene",
];

/** emergency: sos/fall; service: meals, bathing…; technical: device health for staff. */
export const CASE_KINDS = ["emergency", "service", "technical"] as const;
export const CaseKindSchema = z.enum(CASE_KINDS);
export type CaseKind = z.infer<typeof CaseKindSchema>;

export const CASE_TYPES = [
  "sos",
  "fall",
  "service_request",
  "low_battery",
  "device_offline",
  "no_activity",
] as const;
export const CaseTypeSchema = z.enum(CASE_TYPES);
export type CaseType = z.infer<typeof CaseTypeSchema>;

/** 1 = most urgent. */
export const PrioritySchema = z.number().int().min(1).max(4);
export type Priority = 1 | 2 | 3 | 4;

export const RESPONDER_ROLES = ["caregiver", "volunteer", "grid_worker", "doctor"] as const;
export const ResponderRoleSchema = z.enum(RESPONDER_ROLES);
export type ResponderRole = z.infer<typeof ResponderRoleSchema>;

export const SKILLS = [
  "first_aid",
  "lifting",
  "medical",
  "meal",
  "bathing",
  "haircut",
  "housekeeping",
  "massage",
  "companionship",
] as const;
export const SkillSchema = z.enum(SKILLS);
export type Skill = z.infer<typeof SkillSchema>;

export const TRANSPORT_MODES = ["walk", "bike", "ebike", "car"] as const;
export const TransportModeSchema = z.enum(TRANSPORT_MODES);
export type TransportMode = z.infer<typeof TransportModeSchema>;

export const STAFF_ROLES = ["admin", "dispatcher", "manager", "responder"] as const;
export const StaffRoleSchema = z.enum(STAFF_ROLES);
export type StaffRole = z.infer<typeof StaffRoleSchema>;

export const LIVING_SITUATIONS = ["alone", "empty_nest", "disabled", "with_family"] as const; // 独居/空巢/失能
export const LivingSituationSchema = z.enum(LIVING_SITUATIONS);
export type LivingSituation = z.infer<typeof LivingSituationSchema>;

export const ACTOR_TYPES = ["system", "device", "responder", "staff"] as const;
export const ActorTypeSchema = z.enum(ACTOR_TYPES);
export type ActorType = z.infer<typeof ActorTypeSchema>;

export const OFFER_STATUSES = ["pending", "accepted", "declined", "expired", "withdrawn"] as const;
export const OfferStatusSchema = z.enum(OFFER_STATUSES);
export type OfferStatus = z.infer<typeof OfferStatusSchema>;

export const ESCALATION_TARGETS = ["staff", "ambulance_120", "family"] as const;
export const EscalationTargetSchema = z.enum(ESCALATION_TARGETS);
export type EscalationTarget = z.infer<typeof EscalationTargetSchema>;

export const ContactSchema = z.object({
  name: z.string(),
  relation: z.string(),
  phone: z.string(),
});
export type Contact = z.infer<typeof ContactSchema>;

export { ServiceKindSchema };
