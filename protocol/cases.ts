// REST DTOs of cases: the queue, the case file, offers, and staff actions.
import { z } from "zod";
import {
  ActorTypeSchema,
  CaseEventTypeSchema,
  CaseKindSchema,
  CaseStatusSchema,
  CaseTypeSchema,
  ContactSchema,
  EscalationReasonSchema,
  EscalationTargetSchema,
  FollowUpOutcomeSchema,
  GenderSchema,
  LivingSituationSchema,
  OfferStatusSchema,
  PrioritySchema,
  ResponderRoleSchema,
  ServiceKindSchema,
  TransportModeSchema,
} from "./domain.ts";
import { GuidanceSchema } from "./sensors.ts";
import { id, isoDate, lat, lng } from "./wire.ts";

export const CaseSummarySchema = z.object({
  id,
  type: CaseTypeSchema,
  kind: CaseKindSchema,
  priority: PrioritySchema,
  status: CaseStatusSchema,
  escalated: z.boolean(),
  escalationReason: EscalationReasonSchema.nullable(),
  service: ServiceKindSchema.nullable(),
  residentId: id,
  residentName: z.string(),
  address: z.string(),
  /** Where help goes: the resident's home, or a mobile device's position fix (see `location`). */
  lat,
  lng,
  /** The fix of a mobile device the case is placed at; null: the case is at the resident's home. */
  location: z
    .object({
      accuracyMeters: z.number(),
      fixAt: isoDate,
      /** Far enough from home that help must not go to the flat ("not at home"). */
      away: z.boolean(),
    })
    .nullable(),
  communityId: id,
  communityName: z.string(),
  deviceId: z.string().nullable(),
  pressCount: z.number().int(),
  responderId: id.nullable(),
  responderName: z.string().nullable(),
  etaSeconds: z.number().int().nullable(),
  createdAt: isoDate,
  acceptedAt: isoDate.nullable(),
  arrivedAt: isoDate.nullable(),
  resolvedAt: isoDate.nullable(),
  closedAt: isoDate.nullable(),
  cancelledAt: isoDate.nullable(),
  offerDeadline: isoDate.nullable(),
  escalationDeadline: isoDate.nullable(),
  /** When a staff member acknowledged the alarm on the console (stops the sound). */
  staffAckAt: isoDate.nullable(),
  updatedAt: isoDate,
});
export type CaseSummary = z.infer<typeof CaseSummarySchema>;

export const CaseEventSchema = z.object({
  id,
  type: CaseEventTypeSchema,
  actorType: ActorTypeSchema,
  actorId: z.string().nullable(),
  actorName: z.string().nullable(),
  at: isoDate,
  note: z.string().nullable(),
  /** Details of the step: escalation target, follow-up outcome, assigned responder… */
  data: z.record(z.string(), z.unknown()).nullable(),
});
export type CaseEventDto = z.infer<typeof CaseEventSchema>;

export const ResidentFileSchema = z.object({
  id,
  /** A hotline caller not in the register: only name, place and contacts are known (null below). */
  unregistered: z.boolean(),
  name: z.string(),
  gender: GenderSchema.nullable(),
  age: z.number().int().nullable(),
  phone: z.string(),
  address: z.string(),
  lat,
  lng,
  livingSituation: LivingSituationSchema.nullable(),
  conditions: z.array(z.string()),
  medicines: z.array(z.string()),
  emergencyContacts: z.array(ContactSchema),
  keyHolder: z.string().nullable(),
  pairedVolunteer: z.object({ id, name: z.string(), phone: z.string() }).nullable(),
  communityName: z.string(),
  gridName: z.string(),
  gridWorker: z.string().nullable(),
});
export type ResidentFile = z.infer<typeof ResidentFileSchema>;

export const CandidateSchema = z.object({
  responderId: id,
  name: z.string(),
  role: ResponderRoleSchema,
  transport: TransportModeSchema,
  distanceMeters: z.number(),
  etaSeconds: z.number().int(),
  paired: z.boolean(),
  sameCommunity: z.boolean(),
});
export type Candidate = z.infer<typeof CandidateSchema>;

export const OfferDtoSchema = z.object({
  id,
  caseId: id,
  responderId: id,
  responderName: z.string(),
  status: OfferStatusSchema,
  etaSeconds: z.number().int(),
  distanceMeters: z.number(),
  createdAt: isoDate,
  deadline: isoDate,
});
export type OfferDto = z.infer<typeof OfferDtoSchema>;

/** An offer as the responder's phone gets it: with the case it is for. */
export const OfferWithCaseSchema = OfferDtoSchema.extend({ case: CaseSummarySchema });
export type OfferWithCase = z.infer<typeof OfferWithCaseSchema>;

export const CaseDetailSchema = z.object({
  case: CaseSummarySchema,
  /** What staff and the responder should do first (smoke: call 119…); null: the usual. */
  guidance: GuidanceSchema.nullable(),
  resident: ResidentFileSchema,
  timeline: z.array(CaseEventSchema),
  offers: z.array(OfferDtoSchema),
  candidates: z.array(CandidateSchema),
});
export type CaseDetail = z.infer<typeof CaseDetailSchema>;

export const CaseListQuerySchema = z.object({
  scope: z.enum(["open", "all"]).default("open"),
  from: isoDate.optional(),
  to: isoDate.optional(),
});
export type CaseListQuery = z.infer<typeof CaseListQuerySchema>;

// ---- staff and responder actions ----
export const AssignRequestSchema = z.object({ responderId: id.positive() });
export const EscalateRequestSchema = z.object({
  target: EscalationTargetSchema,
  note: z.string().max(500).optional(),
});
export const NoteRequestSchema = z.object({ text: z.string().min(1).max(2000) });
export const ResolveRequestSchema = z.object({ note: z.string().min(1).max(2000) });
export const FollowUpRequestSchema = z.object({
  outcome: FollowUpOutcomeSchema,
  note: z.string().max(2000).optional(),
  close: z.boolean().default(true),
});
export type FollowUpRequest = z.input<typeof FollowUpRequestSchema>;
export const CancelRequestSchema = z.object({ reason: z.string().min(1).max(500) });
