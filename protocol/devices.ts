// REST DTOs of call devices and their health.
import { z } from "zod";
import { DeviceFilterSchema, DeviceKindSchema } from "./domain.ts";
import { EventRejectReasonSchema } from "./mqtt.ts";
import { id, isoDate } from "./wire.ts";

export const DeviceSummarySchema = z.object({
  id: z.string(),
  residentId: id,
  residentName: z.string(),
  communityId: id,
  communityName: z.string(),
  kind: DeviceKindSchema,
  online: z.boolean(),
  battery: z.number().int().nullable(),
  signal: z.number().int().nullable(),
  lastSeenAt: isoDate.nullable(),
  lastTestAt: isoDate.nullable(),
  /** Events the device sent that could not be used at all (acknowledged `rejected`). */
  rejectedEvents: z.number().int(),
  lastRejectedAt: isoDate.nullable(),
  lastRejectReason: EventRejectReasonSchema.nullable(),
});
export type DeviceSummary = z.infer<typeof DeviceSummarySchema>;

export const DeviceListQuerySchema = z.object({ filter: DeviceFilterSchema.default("all") });
export type DeviceListQuery = z.infer<typeof DeviceListQuerySchema>;
