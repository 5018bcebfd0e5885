// `GET /api/platform`: what the console needs to know of this deployment.
import { z } from "zod";

export const PlatformInfoSchema = z.object({
  /** IANA zone every time is shown in (and "today" is counted in). */
  timeZone: z.string(),
  alarm: z.object({
    /** How many times an unacknowledged alarm sounds again before only its flag stays. */
    repeats: z.number().int().min(0),
    repeatSeconds: z.number().int().positive(),
  }),
  /** A follow-up call nobody answered is due again after this many minutes. */
  followUpRetryMinutes: z.number().int().positive(),
});
export type PlatformInfo = z.infer<typeof PlatformInfoSchema>;
