// The service log (民情日记): every resolved job, service order, follow-up call and welfare check,
// with time, place, person and content; searched by resident, responder, grid, community and date.
import { z } from "zod";
import { PageQuerySchema, pageSchema } from "./paging.ts";
import { UiLanguageSchema } from "./domain.ts";
import { LocalDaySchema } from "./rosters.ts";
import { id, isoDate } from "./wire.ts";

export const SERVICE_LOG_KINDS = ["job", "service_order", "follow_up", "welfare_check"] as const;
export const ServiceLogKindSchema = z.enum(SERVICE_LOG_KINDS);
export type ServiceLogKind = z.infer<typeof ServiceLogKindSchema>;

export const ServiceLogQuerySchema = PageQuerySchema.extend({
  residentId: z.coerce.number().int().optional(),
  responderId: z.coerce.number().int().optional(),
  gridId: z.coerce.number().int().optional(),
  communityId: z.coerce.number().int().optional(),
  kind: ServiceLogKindSchema.optional(),
  /** First and last day (inclusive), platform time zone. */
  from: LocalDaySchema.optional(),
  to: LocalDaySchema.optional(),
});
export type ServiceLogQuery = z.infer<typeof ServiceLogQuerySchema>;

/** `/api/service-log.csv|xlsx`: every entry the filters match (up to SERVICE_LOG_EXPORT_MAX). */
export const ServiceLogExportQuerySchema = ServiceLogQuerySchema.omit({ page: true, pageSize: true }).extend({
  /** Language of the headers and the kinds. */
  lang: UiLanguageSchema.default("zh-CN"),
});
export type ServiceLogExportQuery = z.infer<typeof ServiceLogExportQuerySchema>;
export const SERVICE_LOG_EXPORT_MAX = 50_000;

export const ServiceLogEntrySchema = z.object({
  id,
  at: isoDate,
  kind: ServiceLogKindSchema,
  residentId: id,
  residentName: z.string(),
  place: z.string(),
  communityName: z.string(),
  gridName: z.string(),
  responderId: id.nullable(),
  responderName: z.string().nullable(),
  content: z.string(),
  minutes: z.number().int().nullable(),
  caseId: id.nullable(),
  serviceOrderId: id.nullable(),
});
export type ServiceLogEntry = z.infer<typeof ServiceLogEntrySchema>;

export const ServiceLogPageSchema = pageSchema(ServiceLogEntrySchema);

/** Minutes as hours to two decimals (45 → 0.75): the unit volunteer hours are counted in. */
export const hoursOfMinutes = (minutes: number): number => Math.round((minutes / 60) * 100) / 100;
