// REST DTOs of responders and of the responder phone app.
import { z } from "zod";
import {
  CaseKindSchema,
  CaseStatusSchema,
  CaseTypeSchema,
  PhoneStateSchema,
  ResponderActivitySchema,
  ResponderRoleSchema,
  ServiceKindSchema,
  SkillSchema,
  TransportModeSchema,
} from "./domain.ts";
import { CaseSummarySchema, OfferWithCaseSchema } from "./cases.ts";
import { id, isoDate, lat, lng } from "./wire.ts";

export const ResponderSummarySchema = z.object({
  id,
  name: z.string(),
  phone: z.string(),
  role: ResponderRoleSchema,
  skills: z.array(SkillSchema),
  transport: TransportModeSchema,
  communityId: id,
  onDuty: z.boolean(),
  activity: ResponderActivitySchema,
  caseId: id.nullable(),
  lat: lat.nullable(),
  lng: lng.nullable(),
  locationAt: isoDate.nullable(),
  /** How an offer would reach the phone now (live socket, push only, unreachable). */
  phoneState: PhoneStateSchema,
  /** The phone's last sign of life (heartbeat, request, live connection); null if never seen. */
  lastSeenAt: isoDate.nullable(),
});
export type ResponderSummary = z.infer<typeof ResponderSummarySchema>;

/**
 * Told once to a phone that comes back after the platform lost it: it was unreachable from
 * `since` (its last sign of life) until `until`, and may have been taken off duty meanwhile.
 */
export const PresenceNoticeSchema = z.object({
  kind: z.enum(["was_unreachable", "taken_off_duty"]),
  since: isoDate,
  until: isoDate,
});
export type PresenceNotice = z.infer<typeof PresenceNoticeSchema>;

/** `POST /api/responder/heartbeat`: the platform's view of this phone's presence. */
export const PresenceSchema = z.object({
  phoneState: PhoneStateSchema,
  onDuty: z.boolean(),
  /** Heartbeat at least this often while on duty. */
  heartbeatSeconds: z.number().int().positive(),
  /** Silent this long, the phone is unreachable and gets no offers. */
  presenceSeconds: z.number().int().positive(),
  notice: PresenceNoticeSchema.nullable(),
});
export type Presence = z.infer<typeof PresenceSchema>;

/** `GET /api/responder/me`: everything the phone shows after a (re)connect. */
export const ResponderMeSchema = z.object({
  responder: ResponderSummarySchema,
  offers: z.array(OfferWithCaseSchema),
  activeCase: CaseSummarySchema.nullable(),
  presence: PresenceSchema,
  /** The platform's duty desk (值班室) number, for the phone's call button; null if not configured. */
  dutyDeskPhone: z.string().nullable(),
});
export type ResponderMe = z.infer<typeof ResponderMeSchema>;

export const DutyRequestSchema = z.object({ onDuty: z.boolean() });
export const LocationUpdateSchema = z.object({
  lat,
  lng,
  accuracy: z.number().min(0).max(10_000).optional(),
});
export type LocationUpdate = z.infer<typeof LocationUpdateSchema>;

/** `POST /api/responder/cases/:id/help`: ask the duty desk for an ambulance (120). */
export const HelpRequestSchema = z.object({ note: z.string().trim().max(500).optional() });
export type HelpRequest = z.infer<typeof HelpRequestSchema>;

/** One job in the responder's "my jobs" list. */
export const JobSchema = z.object({
  caseId: id,
  type: CaseTypeSchema,
  kind: CaseKindSchema,
  service: ServiceKindSchema.nullable(),
  status: CaseStatusSchema,
  residentName: z.string(),
  address: z.string(),
  acceptedAt: isoDate.nullable(),
  arrivedAt: isoDate.nullable(),
  resolvedAt: isoDate.nullable(),
  /** Time at the door, arrival to resolution (the service log's duration); null until resolved. */
  serviceMinutes: z.number().int().nullable(),
});
export type Job = z.infer<typeof JobSchema>;

export const JobTotalsSchema = z.object({ jobs: z.number().int(), serviceMinutes: z.number().int() });
export type JobTotals = z.infer<typeof JobTotalsSchema>;

/** `GET /api/responder/jobs`: this month's jobs (newest first) with today's and the month's totals. */
export const MyJobsSchema = z.object({
  today: JobTotalsSchema,
  month: JobTotalsSchema,
  jobs: z.array(JobSchema),
});
export type MyJobs = z.infer<typeof MyJobsSchema>;
