// Reports (统计报表) per community, grid or responder, per day, week or month: alarms by type,
// response-time percentiles, shares within the promises, escalations, false alarms, device health
// and volunteer service hours; exported as CSV or XLSX in the platform's time zone.
import { z } from "zod";
import { LocalDaySchema } from "./rosters.ts";
import { isoDate } from "./wire.ts";

export const REPORT_GROUPS = ["community", "grid", "responder"] as const;
export const ReportGroupSchema = z.enum(REPORT_GROUPS);
export type ReportGroup = z.infer<typeof ReportGroupSchema>;

export const REPORT_PERIODS = ["day", "week", "month"] as const;
export const ReportPeriodSchema = z.enum(REPORT_PERIODS);
export type ReportPeriod = z.infer<typeof ReportPeriodSchema>;

export const ReportQuerySchema = z
  .object({
    /** First and last day (inclusive), platform time zone. */
    from: LocalDaySchema,
    to: LocalDaySchema,
    group: ReportGroupSchema.default("community"),
    period: ReportPeriodSchema.default("day"),
    /** Language of the export's headers. */
    lang: z.enum(["zh-CN", "en"]).default("zh-CN"),
  })
  .refine((q) => q.to >= q.from, { message: "to is before from", path: ["to"] })
  .refine((q) => Date.parse(q.to) - Date.parse(q.from) <= 366 * 86_400_000, {
    message: "a report covers at most a year",
    path: ["to"],
  });
export type ReportQuery = z.infer<typeof ReportQuerySchema>;

const seconds = z.number().nullable();
const share = z.number().min(0).max(100).nullable();

export const ReportFiguresSchema = z.object({
  alarms: z.number().int(),
  /** Alarms by case type (sos, fall, medical, welfare_check, service_request). */
  byType: z.record(z.string(), z.number().int()),
  /** Emergencies the resident or staff cancelled (nobody was needed). */
  falseAlarms: z.number().int(),
  escalations: z.number().int(),
  pressToOfferP50: seconds,
  pressToOfferP90: seconds,
  pressToAcceptP50: seconds,
  pressToAcceptP90: seconds,
  pressToSceneP50: seconds,
  pressToSceneP90: seconds,
  acceptedWithin60sPct: share,
  onSceneWithin15minPct: share,
  onSceneWithin45minPct: share,
  /** Technical cases opened (device offline, low battery, no weekly test). */
  deviceProblems: z.number().int(),
  /** Hours of service given (service orders and jobs with a duration). */
  serviceHours: z.number(),
});
export type ReportFigures = z.infer<typeof ReportFiguresSchema>;

export const ReportSchema = z.object({
  from: isoDate,
  to: isoDate,
  group: ReportGroupSchema,
  period: ReportPeriodSchema,
  total: ReportFiguresSchema,
  /** One row per community, grid or responder with anything in the period. */
  rows: z.array(z.object({ key: z.number().int(), name: z.string(), figures: ReportFiguresSchema })),
  /** The whole selection per day, week (from Monday) or month: "2026-12-01", "2026-12". */
  series: z.array(z.object({ bucket: z.string(), figures: ReportFiguresSchema })),
});
export type Report = z.infer<typeof ReportSchema>;
