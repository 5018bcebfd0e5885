// Daily check-in (每日平安报): a resident who has not pressed "I'm OK" (or any button) by their
// set hour gets one welfare check that day.
import { z } from "zod";
import { ClockTimeSchema, id, isoDate } from "./wire.ts";

export const CheckInPlanInputSchema = z.object({
  enabled: z.boolean(),
  /** By this wall-clock hour in the platform's zone. */
  dueTime: ClockTimeSchema,
});
export type CheckInPlanInput = z.infer<typeof CheckInPlanInputSchema>;

export const CheckInPlanSchema = z.object({
  residentId: id,
  enabled: z.boolean(),
  dueTime: ClockTimeSchema,
  /** Today's deadline: the hour on today's date in the platform's zone. */
  dueAt: isoDate,
  /** The resident's last press of any kind, if any. */
  lastActivityAt: isoDate.nullable(),
  /** Today's deadline has passed with no sign of life (a welfare check is raised). */
  missedToday: z.boolean(),
  /** The welfare-check case raised for the latest missed day. */
  raisedCaseId: id.nullable(),
  /** That welfare check was raised for today's silence (not an earlier day's). */
  raisedToday: z.boolean(),
});
export type CheckInPlan = z.infer<typeof CheckInPlanSchema>;
