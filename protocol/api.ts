// REST DTOs: what the dispatcher's HTTP API returns and accepts. Validated at the edge.
import { z } from "zod";
import {
  ActorTypeSchema,
  CaseKindSchema,
  CaseStatusSchema,
  CaseTypeSchema,
  ContactSchema,
  EscalationTargetSchema,
  LivingSituationSchema,
  OfferStatusSchema,
  PrioritySchema,
  ResponderRoleSchema,
  SkillSchema,
  StaffRoleSchema,
  TransportModeSchema,
} from "./domain.ts";
import { ServiceKindSchema } from "./mqtt.ts";

const isoDate = z.iso.datetime({ offset: true });
const lat = z.number().min(-90).max(90);
const lng = z.number().min(-180).max(180);

// ---- auth ----
export const LoginRequestSchema = z.object({
  username: z.string().min(1).max(64),
  password: z.string().min(1).max(200),
});
export type LoginRequest = z.infer<typeof LoginRequestSchema>;

export const UserSchema = z.object({
  id: z.number().int(),
  username: z.string(),
  displayName: z.string(),
  role: StaffRoleSchema,
  responderId: z.number().int().nullable(),
});
export type User = z.infer<typeof UserSchema>;

export const LoginResponseSchema = z.object({ token: z.string(), user: UserSchema });
export type LoginResponse = z.infer<typeof LoginResponseSchema>;

// ---- cases ----
export const CaseSummarySchema = z.object({
  id: z.number().int(),
  type: CaseTypeSchema,
  kind: CaseKindSchema,
  priority: PrioritySchema,
  status: CaseStatusSchema,
  escalated: z.boolean(),
  escalationReason: z.string().nullable(),
  service: ServiceKindSchema.nullable(),
  residentId: z.number().int(),
  residentName: z.string(),
  address: z.string(),
  lat,
  lng,
  communityId: z.number().int(),
  communityName: z.string(),
  deviceId: z.string().nullable(),
  pressCount: z.number().int(),
  responderId: z.number().int().nullable(),
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
  id: z.number().int(),
  type: z.string(),
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
  id: z.number().int(),
  name: z.string(),
  gender: z.enum(["male", "female"]),
  age: z.number().int(),
  phone: z.string(),
  address: z.string(),
  lat,
  lng,
  livingSituation: LivingSituationSchema,
  conditions: z.array(z.string()),
  medicines: z.array(z.string()),
  emergencyContacts: z.array(ContactSchema),
  keyHolder: z.string().nullable(),
  pairedVolunteer: z.object({ id: z.number().int(), name: z.string(), phone: z.string() }).nullable(),
  communityName: z.string(),
  gridName: z.string(),
  gridWorker: z.string().nullable(),
});
export type ResidentFile = z.infer<typeof ResidentFileSchema>;

export const CandidateSchema = z.object({
  responderId: z.number().int(),
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
  id: z.number().int(),
  caseId: z.number().int(),
  responderId: z.number().int(),
  responderName: z.string(),
  status: OfferStatusSchema,
  etaSeconds: z.number().int(),
  distanceMeters: z.number(),
  createdAt: isoDate,
  deadline: isoDate,
});
export type OfferDto = z.infer<typeof OfferDtoSchema>;

export const CaseDetailSchema = z.object({
  case: CaseSummarySchema,
  resident: ResidentFileSchema,
  timeline: z.array(CaseEventSchema),
  offers: z.array(OfferDtoSchema),
  candidates: z.array(CandidateSchema),
});
export type CaseDetail = z.infer<typeof CaseDetailSchema>;

// ---- staff actions ----
export const AssignRequestSchema = z.object({ responderId: z.number().int().positive() });
export const EscalateRequestSchema = z.object({
  target: EscalationTargetSchema,
  note: z.string().max(500).optional(),
});
export const NoteRequestSchema = z.object({ text: z.string().min(1).max(2000) });
export const ResolveRequestSchema = z.object({ note: z.string().min(1).max(2000) });
export const FollowUpRequestSchema = z.object({
  outcome: z.enum(["reached_ok", "reached_needs_help", "no_answer"]),
  note: z.string().max(2000).optional(),
  close: z.boolean().default(true),
});
export const CancelRequestSchema = z.object({ reason: z.string().min(1).max(500) });

// ---- responders ----
export const ResponderSummarySchema = z.object({
  id: z.number().int(),
  name: z.string(),
  phone: z.string(),
  role: ResponderRoleSchema,
  skills: z.array(SkillSchema),
  transport: TransportModeSchema,
  communityId: z.number().int(),
  onDuty: z.boolean(),
  /** idle | offered | en_route | on_scene | off_duty */
  activity: z.enum(["off_duty", "idle", "offered", "accepted", "en_route", "on_scene"]),
  caseId: z.number().int().nullable(),
  lat: lat.nullable(),
  lng: lng.nullable(),
  locationAt: isoDate.nullable(),
});
export type ResponderSummary = z.infer<typeof ResponderSummarySchema>;

export const DutyRequestSchema = z.object({ onDuty: z.boolean() });
export const LocationUpdateSchema = z.object({
  lat,
  lng,
  accuracy: z.number().min(0).max(10_000).optional(),
});
export type LocationUpdate = z.infer<typeof LocationUpdateSchema>;

// ---- devices ----
export const DeviceSummarySchema = z.object({
  id: z.string(),
  residentId: z.number().int(),
  residentName: z.string(),
  communityName: z.string(),
  kind: z.string(),
  online: z.boolean(),
  battery: z.number().int().nullable(),
  signal: z.number().int().nullable(),
  lastSeenAt: isoDate.nullable(),
  lastTestAt: isoDate.nullable(),
});
export type DeviceSummary = z.infer<typeof DeviceSummarySchema>;

// ---- KPIs ----
export const KpiQuerySchema = z.object({
  from: isoDate.optional(),
  to: isoDate.optional(),
});
export const KpiSchema = z.object({
  from: isoDate,
  to: isoDate,
  alarms: z.number().int(),
  emergencies: z.number().int(),
  serviceRequests: z.number().int(),
  acceptedWithin60sPct: z.number().nullable(),
  onSceneWithin15minPct: z.number().nullable(),
  onSceneWithin45minPct: z.number().nullable(),
  medianAcceptSeconds: z.number().nullable(),
  medianOnSceneSeconds: z.number().nullable(),
  openEscalations: z.number().int(),
});
export type Kpi = z.infer<typeof KpiSchema>;

export const HealthSchema = z.object({
  status: z.enum(["ok", "degraded"]),
  broker: z.enum(["up", "down", "external"]),
  mqtt: z.enum(["connected", "disconnected"]),
  db: z.enum(["up", "down"]),
  uptimeSeconds: z.number(),
});
export type Health = z.infer<typeof HealthSchema>;

/** Every API error has this shape; `code` is stable, `message` is for people. */
export const ApiErrorSchema = z.object({ error: z.object({ code: z.string(), message: z.string() }) });
export type ApiError = z.infer<typeof ApiErrorSchema>;
