// The pure rule of the daily check-in: by the resident's hour, some press that day, or the day's
// silence is an episode for the one-welfare-check rule (cases/welfare-rule.ts). The episode of a
// day is identified by that day's deadline, so one day raises one case however often we look.
import { localDate, startOfLocalDay } from "../../protocol/index.ts";

const MINUTE = 60_000;

/** The instant of "HH:MM" on the day `at` falls on, in `timeZone`. */
export function deadlineOn(at: number, dueTime: string, timeZone: string): number {
  const [hh, mm] = dueTime.split(":").map(Number) as [number, number];
  return startOfLocalDay(localDate(at, timeZone), timeZone)! + (hh * 60 + mm) * MINUTE;
}

/**
 * The silent day's episode (its deadline), or null: before the hour, or the resident pressed
 * something since the day began.
 */
export function missedCheckIn(
  plan: { dueTime: string; lastActivityAt: number | null },
  now: number,
  timeZone: string,
): { startedAt: number } | null {
  const deadline = deadlineOn(now, plan.dueTime, timeZone);
  if (now < deadline) return null;
  const dayStart = startOfLocalDay(localDate(now, timeZone), timeZone)!;
  if (plan.lastActivityAt !== null && plan.lastActivityAt >= dayStart) return null;
  return { startedAt: deadline };
}
