// REST DTOs of the response-time KPIs.
import { z } from "zod";
import { UiLanguageSchema } from "./domain.ts";
import { isoDate } from "./wire.ts";

export const KpiQuerySchema = z.object({
  from: isoDate.optional(),
  to: isoDate.optional(),
});
export type KpiQuery = z.infer<typeof KpiQuerySchema>;

/** The CSV export: headers and values in `lang`, times in the platform's zone with its offset. */
export const KpiCsvQuerySchema = KpiQuerySchema.extend({ lang: UiLanguageSchema.default("zh-CN") });
export type KpiCsvQuery = z.infer<typeof KpiCsvQuerySchema>;

export const KpiSchema = z.object({
  from: isoDate,
  to: isoDate,
  alarms: z.number().int(),
  emergencies: z.number().int(),
  serviceRequests: z.number().int(),
  /** Shares of the emergencies that were not cancelled (a cancelled alarm needed nobody). */
  acceptedWithin60sPct: z.number().min(0).max(100).nullable(),
  onSceneWithin15minPct: z.number().min(0).max(100).nullable(),
  onSceneWithin45minPct: z.number().min(0).max(100).nullable(),
  medianAcceptSeconds: z.number().nullable(),
  medianOnSceneSeconds: z.number().nullable(),
  openEscalations: z.number().int(),
});
export type Kpi = z.infer<typeof KpiSchema>;
