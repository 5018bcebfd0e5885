// Home sensors and the guidance that comes with their cases: what staff and responders should do
// first for each kind of case, and the per-resident settings of the time-based rules
// (inactivity window by time of day, door watch for residents with dementia).
import { z } from "zod";
import type { CaseType } from "./domain.ts";
import { ClockTimeSchema } from "./wire.ts";

/** One thing to do, shown as a checklist line (texts in the console's case.json, `guidance`). */
export const GUIDANCE_STEPS = [
  "call_119",
  "call_gas_company",
  "call_resident",
  "call_family",
  "tell_responder_hazard",
  "evacuate_first",
  "no_flames_no_switches",
  "open_windows_from_outside",
  "shut_gas_valve",
  "shut_water_main",
  "mind_electrics",
  "knock_then_key_holder",
  "check_for_fall",
  "search_nearby",
  "stay_with_resident",
] as const;
export const GuidanceStepSchema = z.enum(GUIDANCE_STEPS);
export type GuidanceStep = z.infer<typeof GuidanceStepSchema>;

export const GuidanceSchema = z.object({
  staff: z.array(GuidanceStepSchema),
  responder: z.array(GuidanceStepSchema),
});
export type Guidance = z.infer<typeof GuidanceSchema>;

/**
 * The case types that come with their own instructions. Smoke and gas put lives at risk beyond the
 * resident: the fire brigade or the gas company is called before anyone is sent in.
 */
export const CASE_GUIDANCE: Partial<Record<CaseType, Guidance>> = {
  smoke: {
    staff: ["call_119", "call_resident", "tell_responder_hazard", "call_family"],
    responder: ["evacuate_first", "call_119", "stay_with_resident"],
  },
  gas: {
    staff: ["call_gas_company", "call_resident", "tell_responder_hazard", "call_family"],
    responder: [
      "no_flames_no_switches",
      "open_windows_from_outside",
      "evacuate_first",
      "shut_gas_valve",
      "stay_with_resident",
    ],
  },
  water_leak: {
    staff: ["call_resident", "call_family"],
    responder: ["mind_electrics", "shut_water_main", "check_for_fall"],
  },
  welfare_check: {
    staff: ["call_resident", "call_family"],
    responder: ["knock_then_key_holder", "check_for_fall", "stay_with_resident"],
  },
  door_alert: {
    staff: ["call_resident", "call_family"],
    responder: ["search_nearby", "stay_with_resident"],
  },
};

export function guidanceFor(type: CaseType): Guidance | null {
  return CASE_GUIDANCE[type] ?? null;
}

// ---- per-resident settings of the time-based rules ----

export const SensorSettingsSchema = z
  .strictObject({
    /** Silence of the motion sensor, in minutes, that raises a welfare check in the day. */
    inactivityDayMinutes: z
      .number()
      .int()
      .min(30)
      .max(24 * 60),
    /** The same at night: longer, the resident sleeps. */
    inactivityNightMinutes: z
      .number()
      .int()
      .min(30)
      .max(24 * 60),
    nightStart: ClockTimeSchema,
    nightEnd: ClockTimeSchema,
    /** The resident has dementia: a door opened between doorFrom and doorTo is a warning. */
    doorWatch: z.boolean(),
    doorFrom: ClockTimeSchema,
    doorTo: ClockTimeSchema,
  })
  .refine((s) => s.inactivityNightMinutes >= s.inactivityDayMinutes, {
    message: "the night window is at least as long as the day window",
    path: ["inactivityNightMinutes"],
  });
export type SensorSettings = z.infer<typeof SensorSettingsSchema>;

/** What a resident gets until staff set otherwise: 4 h by day, 10 h by night (22:00–07:00). */
export const DEFAULT_SENSOR_SETTINGS: SensorSettings = {
  inactivityDayMinutes: 4 * 60,
  inactivityNightMinutes: 10 * 60,
  nightStart: "22:00",
  nightEnd: "07:00",
  doorWatch: false,
  doorFrom: "22:00",
  doorTo: "06:00",
};
