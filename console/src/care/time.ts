// Times of care screens in the platform's zone, whatever the browser's zone is.
import { localDate, localTime, PLATFORM_TIME_ZONE, startOfLocalDay } from "../../../protocol/index.ts";

/** "12-07 08:00" */
export function shortDateTime(iso: string): string {
  const ms = Date.parse(iso);
  return `${localDate(ms, PLATFORM_TIME_ZONE).slice(5)} ${localTime(ms, PLATFORM_TIME_ZONE).slice(0, 5)}`;
}

/** Today, "YYYY-MM-DD", in the platform's zone. */
export function today(now = Date.now()): string {
  return localDate(now, PLATFORM_TIME_ZONE);
}

/** A day and "HH:MM" on the platform's wall clock → ISO instant; null when unreadable. */
export function zonedInstant(day: string, hhmm: string): string | null {
  const start = startOfLocalDay(day, PLATFORM_TIME_ZONE);
  const m = /^(\d{2}):(\d{2})$/.exec(hhmm);
  if (start === null || !m) return null;
  return new Date(start + (Number(m[1]) * 60 + Number(m[2])) * 60_000).toISOString();
}
