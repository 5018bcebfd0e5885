// Times of day in the platform's time zone (Asia/Shanghai keeps one offset all year), for rules
// that depend on the hour: the night window of the inactivity rule, the door watch hours.
import { PLATFORM_TIME_ZONE } from "../../protocol/index.ts";

const MINUTE = 60_000;
const DAY_MINUTES = 24 * 60;

const hourMinute = new Intl.DateTimeFormat("en-GB", {
  timeZone: PLATFORM_TIME_ZONE,
  hour: "2-digit",
  minute: "2-digit",
  hourCycle: "h23",
});

/** "HH:MM" → minutes after midnight. */
export function clockMinutes(hhmm: string): number {
  const [h, m] = hhmm.split(":").map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
}

/** Minutes after local midnight at `ms`. */
export function minutesOfDay(ms: number): number {
  const parts = hourMinute.formatToParts(new Date(ms));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return get("hour") * 60 + get("minute");
}

/** Whether `ms` lies in [from, to) of the local day; the window may run past midnight (22:00–06:00). */
export function inClockWindow(ms: number, from: string, to: string): boolean {
  const m = minutesOfDay(ms);
  const a = clockMinutes(from);
  const b = clockMinutes(to);
  if (a === b) return false;
  return a < b ? m >= a && m < b : m >= a || m < b;
}

/** The first moment after `ms` at which the local clock shows `hhmm`. */
export function nextClockTime(ms: number, hhmm: string): number {
  const startOfMinute = ms - (ms % MINUTE);
  const ahead = (clockMinutes(hhmm) - minutesOfDay(ms) + DAY_MINUTES) % DAY_MINUTES || DAY_MINUTES;
  return startOfMinute + ahead * MINUTE;
}
