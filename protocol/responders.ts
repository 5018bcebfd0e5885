// REST DTOs of responders and of the responder phone app.
import { z } from "zod";
import { ResponderActivitySchema, ResponderRoleSchema, SkillSchema, TransportModeSchema } from "./domain.ts";
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
});
export type ResponderSummary = z.infer<typeof ResponderSummarySchema>;

/** `GET /api/responder/me`: everything the phone shows after a (re)connect. */
export const ResponderMeSchema = z.object({
  responder: ResponderSummarySchema,
  offers: z.array(OfferWithCaseSchema),
  activeCase: CaseSummarySchema.nullable(),
});
export type ResponderMe = z.infer<typeof ResponderMeSchema>;

export const DutyRequestSchema = z.object({ onDuty: z.boolean() });
export const LocationUpdateSchema = z.object({
  lat,
  lng,
  accuracy: z.number().min(0).max(10_000).optional(),
});
export type LocationUpdate = z.infer<typeof LocationUpdateSchema>;
