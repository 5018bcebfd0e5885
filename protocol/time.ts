// Wall-clock time in the platform's time zone, for the dispatcher (reports, CSV) and the console
// (every time shown, "today"): pure, Intl only, no time-zone library. Zones with daylight saving
// are handled by asking Intl for the offset at the instant in question.

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    formatters.set(timeZone, f);
  }
  return f;
}

export interface WallClock {
  year: number;
  /** 1–12 */
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/** What a clock on the wall in `timeZone` shows at `ms`. */
export function wallClock(ms: number, timeZone: string): WallClock {
  const parts = Object.fromEntries(
    formatter(timeZone)
      .formatToParts(ms)
      .map((p) => [p.type, Number(p.value)]),
  ) as Record<keyof WallClock, number>;
  return {
    year: parts.year,
    month: parts.month,
    day: parts.day,
    hour: parts.hour,
    minute: parts.minute,
    second: parts.second,
  };
}

/** Minutes `timeZone` is ahead of UTC at `ms` (480 for Asia/Shanghai). */
export function offsetMinutes(ms: number, timeZone: string): number {
  const w = wallClock(ms, timeZone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return Math.round((asUtc - (ms - (((ms % 1000) + 1000) % 1000))) / 60_000);
}

const pad = (n: number, width = 2) => String(n).padStart(width, "0");

/** "2026-12-01": the calendar day `ms` falls on in `timeZone`. */
export function localDate(ms: number, timeZone: string): string {
  const w = wallClock(ms, timeZone);
  return `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}`;
}

/** "19:53:07" in `timeZone`. */
export function localTime(ms: number, timeZone: string): string {
  const w = wallClock(ms, timeZone);
  return `${pad(w.hour)}:${pad(w.minute)}:${pad(w.second)}`;
}

/** "+08:00" */
export function formatOffset(minutes: number): string {
  const sign = minutes < 0 ? "-" : "+";
  const m = Math.abs(minutes);
  return `${sign}${pad(Math.floor(m / 60))}:${pad(m % 60)}`;
}

/** "2026-12-01 19:53:07+08:00": unambiguous, and what a spreadsheet reads as a date and time. */
export function formatZoned(ms: number, timeZone: string): string {
  return `${localDate(ms, timeZone)} ${localTime(ms, timeZone)}${formatOffset(offsetMinutes(ms, timeZone))}`;
}

/** The instant a "YYYY-MM-DD" day begins in `timeZone`; null for anything else. */
export function startOfLocalDay(day: string, timeZone: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const utcMidnight = Date.UTC(y, mo - 1, d);
  if (new Date(utcMidnight).getUTCDate() !== d) return null; // 2026-02-30
  // The offset at midnight may differ from the offset a few hours before it (daylight saving).
  const guess = utcMidnight - offsetMinutes(utcMidnight, timeZone) * 60_000;
  return utcMidnight - offsetMinutes(guess, timeZone) * 60_000;
}

/** Midnight of the day `ms` falls on, in `timeZone`. */
export function startOfDay(ms: number, timeZone: string): number {
  return startOfLocalDay(localDate(ms, timeZone), timeZone)!;
}

/** The "YYYY-MM-DD" after `day`. */
export function nextDay(day: string): string {
  const [y, m, d] = day.split("-").map(Number) as [number, number, number];
  const next = new Date(Date.UTC(y, m - 1, d + 1));
  return `${pad(next.getUTCFullYear(), 4)}-${pad(next.getUTCMonth() + 1)}-${pad(next.getUTCDate())}`;
}
