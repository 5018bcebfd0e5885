// Duty rosters (排班): weekly shift patterns per responder, one-off exceptions (leave, an extra
// shift), and the duty board staff read ("on duty now", "next", gaps in coverage ahead).
import { z } from "zod";
import { ResponderRoleSchema } from "./domain.ts";
import { ClockTimeSchema, id, isoDate } from "./wire.ts";

export const WEEKDAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"] as const;
export const WeekdaySchema = z.enum(WEEKDAYS);
export type Weekday = z.infer<typeof WeekdaySchema>;

/** "2026-12-01": a calendar day in the platform's time zone. */
export const LocalDaySchema = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "expected YYYY-MM-DD");

export const ShiftPatternInputSchema = z
  .object({
    days: z.array(WeekdaySchema).min(1).max(7),
    start: ClockTimeSchema,
    /** Up to a day: a night shift from 20:00 for 720 minutes ends at 08:00 the next morning. */
    minutes: z.number().int().min(30).max(1440),
    from: LocalDaySchema,
    until: LocalDaySchema.nullable().default(null),
    note: z.string().trim().max(200).default(""),
  })
  .refine((p) => p.until === null || p.until >= p.from, { message: "until is before from", path: ["until"] });
export type ShiftPatternInput = z.infer<typeof ShiftPatternInputSchema>;

export const ShiftPatternSchema = z.object({
  id,
  responderId: id,
  days: z.array(WeekdaySchema),
  start: ClockTimeSchema,
  minutes: z.number().int(),
  from: LocalDaySchema,
  until: LocalDaySchema.nullable(),
  note: z.string(),
  /** The recurrence as an RFC 5545 RRULE (what a calendar program reads). */
  rrule: z.string(),
});
export type ShiftPattern = z.infer<typeof ShiftPatternSchema>;

/** off: leave, sickness, a swapped shift (no duty inside it); extra: a one-off shift. */
export const SHIFT_EXCEPTION_KINDS = ["off", "extra"] as const;
export const ShiftExceptionKindSchema = z.enum(SHIFT_EXCEPTION_KINDS);
export type ShiftExceptionKind = z.infer<typeof ShiftExceptionKindSchema>;

export const ShiftExceptionInputSchema = z
  .object({
    kind: ShiftExceptionKindSchema,
    startsAt: isoDate,
    endsAt: isoDate,
    note: z.string().trim().max(200).default(""),
  })
  .refine((e) => Date.parse(e.endsAt) > Date.parse(e.startsAt), {
    message: "endsAt must be after startsAt",
    path: ["endsAt"],
  })
  .refine((e) => Date.parse(e.endsAt) - Date.parse(e.startsAt) <= 60 * 86_400_000, {
    message: "an exception lasts at most 60 days",
    path: ["endsAt"],
  });
export type ShiftExceptionInput = z.infer<typeof ShiftExceptionInputSchema>;

export const ShiftExceptionSchema = z.object({
  id,
  responderId: id,
  kind: ShiftExceptionKindSchema,
  startsAt: isoDate,
  endsAt: isoDate,
  note: z.string(),
});
export type ShiftException = z.infer<typeof ShiftExceptionSchema>;

export const RosterSchema = z.object({
  responderId: id,
  patterns: z.array(ShiftPatternSchema),
  exceptions: z.array(ShiftExceptionSchema),
  /** The responder's next shifts (two weeks ahead), as the rules above make them. */
  upcoming: z.array(z.object({ startsAt: isoDate, endsAt: isoDate })),
});
export type Roster = z.infer<typeof RosterSchema>;

const BoardResponderSchema = z.object({
  responderId: id,
  name: z.string(),
  role: ResponderRoleSchema,
  phone: z.string(),
  startsAt: isoDate,
  endsAt: isoDate,
});

export const DutyBoardQuerySchema = z.object({
  communityId: z.coerce.number().int().optional(),
  /** How far ahead gaps in coverage are looked for (default 24). */
  hours: z.coerce.number().int().min(1).max(168).default(24),
});
export type DutyBoardQuery = z.infer<typeof DutyBoardQuerySchema>;

export const DutyBoardSchema = z.object({
  at: isoDate,
  until: isoDate,
  communities: z.array(
    z.object({
      communityId: id,
      communityName: z.string(),
      /** On shift now, ending soonest first. */
      onDuty: z.array(BoardResponderSchema),
      /** The next shifts to begin, soonest first (at most five). */
      next: z.array(BoardResponderSchema),
      /** Stretches ahead with no rostered caregiver on shift (a warning to fix the roster). */
      gaps: z.array(z.object({ from: isoDate, until: isoDate })),
    }),
  ),
});
export type DutyBoard = z.infer<typeof DutyBoardSchema>;

/** A coverage gap is raised as a stored alert this long before it starts (a day shift to fix it). */
export const COVERAGE_ALERT_AHEAD_HOURS = 12;

/**
 * How a coverage alert ended: `filled` (the roster now covers the stretch) or `ended` (the gap
 * went by uncovered). Open until then; acknowledging it only says someone has seen it.
 */
export const COVERAGE_ALERT_RESOLUTIONS = ["filled", "ended"] as const;
export const CoverageAlertResolutionSchema = z.enum(COVERAGE_ALERT_RESOLUTIONS);

/** One stored alert per community per gap in its roster's coverage (no caregiver on shift). */
export const CoverageAlertSchema = z.object({
  id,
  communityId: id,
  communityName: z.string(),
  /** The stretch nobody covers, as the latest sweep saw it. */
  from: isoDate,
  until: isoDate,
  raisedAt: isoDate,
  acknowledgedAt: isoDate.nullable(),
  acknowledgedBy: z.string().nullable(),
  resolvedAt: isoDate.nullable(),
  resolution: CoverageAlertResolutionSchema.nullable(),
});
export type CoverageAlert = z.infer<typeof CoverageAlertSchema>;

export const CoverageAlertListQuerySchema = z.object({
  /** open: not resolved yet (the default); all: the latest, resolved or not. */
  state: z.enum(["open", "all"]).default("open"),
});
export type CoverageAlertListQuery = z.infer<typeof CoverageAlertListQuerySchema>;
