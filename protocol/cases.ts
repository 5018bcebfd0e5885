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
  FollowUpPartySchema,
  GenderSchema,
  LivingSituationSchema,
  OfferStatusSchema,
  PhoneStateSchema,
  PrioritySchema,
  ResponderRoleSchema,
  ServiceKindSchema,
  TransportModeSchema,
} from "./domain.ts";
import { GuidanceSchema } from "./sensors.ts";
import { DialledNumberSchema } from "./calls.ts";
import { id, isoDate, lat, lng, pageOf, pageQuery } from "./wire.ts";

export const CaseSummarySchema = z.object({
  id,
  type: CaseTypeSchema,
  kind: CaseKindSchema,
  priority: PrioritySchema,
  status: CaseStatusSchema,
  escalated: z.boolean(),
  /** The latest escalation's reason (null when never escalated). */
  escalationReason: EscalationReasonSchema.nullable(),
  /** Every escalation target and reason so far, once each, oldest first ("120 已呼叫", "家属已通知"). */
  escalations: z.array(EscalationReasonSchema),
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
  /** When the next follow-up call (回访) is due; null when none is booked. */
  followUpDueAt: isoDate.nullable(),
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
  /** The open offer of this case the responder holds (their phone is counting down), if any. */
  offer: z.object({ id, createdAt: isoDate, deadline: isoDate }).nullable(),
  /** How an offer would reach the phone now; an unreachable one is listed for a phone call, never offered. */
  phoneState: PhoneStateSchema,
  /** The phone's last sign of life; null if never seen. */
  lastSeenAt: isoDate.nullable(),
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

/** `GET /api/cases/history`: closed and open cases, newest first. Text filters match a part. */
export const CaseHistoryQuerySchema = z.object({
  /** Resident's name or phone. */
  resident: z.string().trim().min(1).max(64).optional(),
  device: z.string().trim().min(1).max(64).optional(),
  /** Responder's name. */
  responder: z.string().trim().min(1).max(64).optional(),
  type: CaseTypeSchema.optional(),
  status: CaseStatusSchema.optional(),
  /** Created in [from, to). */
  from: isoDate.optional(),
  to: isoDate.optional(),
  ...pageQuery,
});
export type CaseHistoryQuery = z.infer<typeof CaseHistoryQuerySchema>;
export const CaseHistoryPageSchema = pageOf(CaseSummarySchema);
export type CaseHistoryPage = z.infer<typeof CaseHistoryPageSchema>;

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
  /** Whom the call reached (or tried to): the resident by default. */
  party: FollowUpPartySchema.default("resident"),
  number: DialledNumberSchema.optional(),
  note: z.string().max(2000).optional(),
  /** Default by outcome (FOLLOW_UP_CLOSES_BY_DEFAULT); "no answer" never closes, a retry is booked. */
  close: z.boolean().optional(),
});
export type FollowUpRequest = z.input<typeof FollowUpRequestSchema>;
export const CancelRequestSchema = z.object({ reason: z.string().min(1).max(500) });
/** Closing a case without its follow-up call: why (the family was with the resident, moved away…). */
export const SkipFollowUpRequestSchema = z.object({ reason: z.string().trim().min(1).max(500) });
