// Formatting helpers for durations, distances, times and percentages. Pure and locale-free
// (numbers and clock times read the same in Chinese and English); words for units come from the
// translations (i18n.ts: etaText, distanceText). Times are on the platform's clock (lib/zone.ts).
import { localDate, localTime, nextDay, startOfLocalDay } from "../../../protocol/time.ts";
import { platformZone } from "./zone.ts";

/** 45 → "0:45", 725 → "12:05", 3723 → "1:02:03". Negative values count as 0. */
export function formatDuration(totalSeconds: number): string {
  const s = Math.max(0, Math.floor(totalSeconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  const pad = (n: number) => String(n).padStart(2, "0");
  return h > 0 ? `${h}:${pad(m)}:${pad(sec)}` : `${m}:${pad(sec)}`;
}

/** 850 → "850 m", 1234 → "1.2 km", 15000 → "15 km". */
export function formatDistance(meters: number): string {
  if (!Number.isFinite(meters) || meters < 0) return "—";
  if (meters < 1000) return `${Math.round(meters)} m`;
  const km = meters / 1000;
  return `${km < 10 ? km.toFixed(1) : Math.round(km)} km`;
}

/** ETA in whole minutes, at least 1: 30 → "1 min", 410 → "7 min". */
export function formatEtaMinutes(seconds: number): string {
  return `${Math.max(1, Math.round(seconds / 60))} min`;
}

/** Wall-clock time to the second on the platform's clock; with the date when not today there. */
export function formatTimestamp(iso: string, nowMs: number, zone = platformZone()): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return "—";
  const day = localDate(ms, zone);
  return day === localDate(nowMs, zone) ? localTime(ms, zone) : `${day} ${localTime(ms, zone)}`;
}

/** "12-07 08:00" on the platform's clock: a shift, a service window, a reminder. */
export function formatShortDateTime(iso: string, zone = platformZone()): string {
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? "—" : `${localDate(ms, zone).slice(5)} ${localTime(ms, zone).slice(0, 5)}`;
}

/** "2026-12-07 08:05" on the platform's clock: a log line, whatever day it was. */
export function formatDateTime(iso: string, zone = platformZone()): string {
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? "—" : `${localDate(ms, zone)} ${localTime(ms, zone).slice(0, 5)}`;
}

/** The instant falls on today's date on the platform's calendar. */
export function isToday(iso: string, nowMs: number, zone = platformZone()): boolean {
  const ms = Date.parse(iso);
  return !Number.isNaN(ms) && localDate(ms, zone) === localDate(nowMs, zone);
}

/** "14:05" on the platform's clock (a due time, an expected arrival). */
export function formatClock(iso: string, zone = platformZone()): string {
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? "—" : localTime(ms, zone).slice(0, 5);
}

/** 93.456 → "93.5%", null → "—". */
export function formatPercent(pct: number | null): string {
  return pct === null || !Number.isFinite(pct) ? "—" : `${Math.round(pct * 10) / 10}%`;
}

/** Today on the platform's clock, as the value of an <input type="date">. */
export function todayInput(nowMs = Date.now(), zone = platformZone()): string {
  return localDate(nowMs, zone);
}

/** A day and "HH:MM" on the platform's wall clock (date and time inputs) → ISO instant; null when unreadable. */
export function wallClockInstant(day: string, hhmm: string, zone = platformZone()): string | null {
  const start = startOfLocalDay(day, zone);
  const m = /^(\d{2}):(\d{2})$/.exec(hhmm);
  if (start === null || !m) return null;
  return new Date(start + (Number(m[1]) * 60 + Number(m[2])) * 60_000).toISOString();
}

/**
 * Turns two <input type="date"> values (days on the platform's clock, inclusive) into the ISO
 * instants the report endpoints expect: from midnight of `from` to midnight after `to` there.
 */
export function dayRange(
  from: string,
  to: string,
  zone = platformZone(),
): { from: string; to: string } | null {
  const start = startOfLocalDay(from, zone);
  const last = startOfLocalDay(to, zone);
  if (start === null || last === null || last < start) return null;
  const end = startOfLocalDay(nextDay(to), zone)!;
  return { from: new Date(start).toISOString(), to: new Date(end).toISOString() };
}

/** Battery and signal are percentages; null means never reported. */
export function formatLevel(pct: number | null): string {
  return pct === null ? "—" : `${pct}%`;
}

/** A `tel:` link for a phone number as people write it ("029-8888 1234" → "tel:02988881234"). */
export function telHref(phone: string): string {
  return `tel:${phone.replace(/[^\d+]/g, "")}`;
}
