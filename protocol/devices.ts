// REST DTOs of call devices and their health.
import { z } from "zod";
import {
  DEVICE_FILTERS,
  DeviceFilterSchema,
  DeviceKindSchema,
  DeviceSortSchema,
  SortDirectionSchema,
  type DeviceFilter,
} from "./domain.ts";
import { EventRejectReasonSchema } from "./mqtt.ts";
import { id, isoDate, pageOf, pageQuery } from "./wire.ts";

export const DeviceSummarySchema = z.object({
  id: z.string(),
  residentId: id,
  residentName: z.string(),
  residentPhone: z.string(),
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

export const DeviceListQuerySchema = z.object({
  filter: DeviceFilterSchema.default("all"),
  /** A part of the device id, the resident's name or phone. */
  q: z.string().trim().max(64).optional(),
  sort: DeviceSortSchema.default("id"),
  dir: SortDirectionSchema.default("asc"),
  ...pageQuery,
});
export type DeviceListQuery = z.infer<typeof DeviceListQuerySchema>;

export const DevicePageSchema = pageOf(DeviceSummarySchema).extend({
  /** How many devices each filter holds, for the same search. */
  counts: z.object(
    Object.fromEntries(DEVICE_FILTERS.map((f) => [f, z.number().int()])) as Record<DeviceFilter, z.ZodNumber>,
  ),
});
export type DevicePage = z.infer<typeof DevicePageSchema>;
