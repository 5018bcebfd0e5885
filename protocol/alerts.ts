// REST DTOs of staff alerts: stored escalations, help requests and device faults that sound on the
// console until a person acknowledges each one.
import { z } from "zod";
import { AlertKindSchema, PrioritySchema } from "./domain.ts";
import { id, isoDate } from "./wire.ts";

export const StaffAlertSchema = z.object({
  id,
  caseId: id,
  kind: AlertKindSchema,
  /** English, for logs and API users; the console shows the kind in the UI language. */
  message: z.string(),
  at: isoDate,
  residentName: z.string(),
  communityId: id,
  priority: PrioritySchema,
  acknowledgedAt: isoDate.nullable(),
  acknowledgedBy: z.string().nullable(),
});
export type StaffAlert = z.infer<typeof StaffAlertSchema>;

export const AlertListQuerySchema = z.object({
  /** open: not yet acknowledged (the default); all: the latest, acknowledged or not. */
  state: z.enum(["open", "all"]).default("open"),
  caseId: z.coerce.number().int().positive().optional(),
});
export type AlertListQuery = z.infer<typeof AlertListQuerySchema>;
