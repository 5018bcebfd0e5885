// The pure rules of duty rosters: when a responder is on shift, given weekly patterns (RFC 5545
// recurrences, expanded by `rrule`) and one-off exceptions, and where a community's coverage has
// gaps. Patterns are wall-clock times in the platform's zone: the recurrence is expanded in
// "floating" time (the wall clock written as if it were UTC) and each occurrence is then placed
// at the instant that wall clock shows, asking Intl for the zone's offset there.
import { createRequire } from "node:module";
import { offsetMinutes, type ResponderRole, type Weekday } from "../../protocol/index.ts";

// rrule ships a UMD bundle Node's ESM loader cannot name exports from.
const { RRule } = createRequire(import.meta.url)("rrule") as typeof import("rrule");

const MINUTE = 60_000;
const DAY = 86_400_000;

export interface Interval {
  start: number;
  end: number;
}

export interface PatternRule {
  days: readonly Weekday[];
  /** "HH:MM" */
  start: string;
  minutes: number;
  /** "YYYY-MM-DD", first day the pattern applies */
  from: string;
  /** last day (inclusive), or open-ended */
  until: string | null;
}

export interface ExceptionRule {
  kind: "off" | "extra";
  startsAt: number;
  endsAt: number;
}

export interface RosterRules {
  patterns: readonly PatternRule[];
  exceptions: readonly ExceptionRule[];
}

function floatingOf(day: string, hhmm = "00:00", seconds = 0): Date {
  const [y, m, d] = day.split("-").map(Number) as [number, number, number];
  const [hh, mm] = hhmm.split(":").map(Number) as [number, number];
  return new Date(Date.UTC(y, m - 1, d, hh, mm, seconds));
}

/** The wall-clock reading of `ms` in `timeZone`, written as a UTC instant. */
function toFloating(ms: number, timeZone: string): number {
  return ms + offsetMinutes(ms, timeZone) * MINUTE;
}

/** The instant at which `timeZone`'s wall clock shows the floating time `f`. */
function fromFloating(f: number, timeZone: string): number {
  const guess = f - offsetMinutes(f, timeZone) * MINUTE;
  return f - offsetMinutes(guess, timeZone) * MINUTE;
}

/** The pattern as an RRULE in floating time (DTSTART is the first day's start on the wall). */
export function toRRule(p: PatternRule): InstanceType<typeof RRule> {
  return new RRule({
    freq: RRule.WEEKLY,
    byweekday: p.days.map((d) => RRule[d]),
    dtstart: floatingOf(p.from, p.start),
    until: p.until === null ? null : floatingOf(p.until, "23:59", 59),
  });
}

/** The RRULE line alone ("FREQ=WEEKLY;BYDAY=MO,TU;…"), as stored and shown. */
export function rruleText(p: PatternRule): string {
  return (
    toRRule(p)
      .toString()
      .split("\n")
      .find((l) => l.startsWith("RRULE:"))
      ?.slice("RRULE:".length) ?? ""
  );
}

/** The pattern's shifts that overlap [from, to). */
export function occurrences(p: PatternRule, from: number, to: number, timeZone: string): Interval[] {
  const length = p.minutes * MINUTE;
  // A shift that began before `from` may still be running: look back by its length (and a day
  // for the zone's offset).
  const starts = toRRule(p).between(
    new Date(toFloating(from, timeZone) - length - DAY),
    new Date(toFloating(to, timeZone) + DAY),
    true,
  );
  return starts
    .map((s) => {
      const start = fromFloating(s.getTime(), timeZone);
      return { start, end: start + length };
    })
    .filter((i) => i.end > from && i.start < to);
}

/** Sorted, overlapping and touching intervals joined. */
export function merge(intervals: readonly Interval[]): Interval[] {
  const sorted = [...intervals].sort((a, b) => a.start - b.start);
  const out: Interval[] = [];
  for (const i of sorted) {
    const last = out[out.length - 1];
    if (last && i.start <= last.end) last.end = Math.max(last.end, i.end);
    else out.push({ ...i });
  }
  return out;
}

/** `intervals` without what `holes` cover. */
export function subtract(intervals: readonly Interval[], holes: readonly Interval[]): Interval[] {
  let out = merge(intervals);
  for (const h of merge(holes)) {
    out = out.flatMap((i) => {
      if (h.end <= i.start || h.start >= i.end) return [i];
      const parts: Interval[] = [];
      if (h.start > i.start) parts.push({ start: i.start, end: h.start });
      if (h.end < i.end) parts.push({ start: h.end, end: i.end });
      return parts;
    });
  }
  return out;
}

/** A responder's shifts overlapping [from, to): patterns and extra shifts, minus time off. */
export function shiftsBetween(r: RosterRules, from: number, to: number, timeZone: string): Interval[] {
  const worked = [
    ...r.patterns.flatMap((p) => occurrences(p, from, to, timeZone)),
    ...r.exceptions.filter((e) => e.kind === "extra").map((e) => ({ start: e.startsAt, end: e.endsAt })),
  ];
  const off = r.exceptions.filter((e) => e.kind === "off").map((e) => ({ start: e.startsAt, end: e.endsAt }));
  return subtract(worked, off).filter((i) => i.end > from && i.start < to);
}

export function isRostered(r: RosterRules): boolean {
  return r.patterns.length > 0 || r.exceptions.length > 0;
}

/** The shift `at` falls in, if any. */
export function shiftAt(r: RosterRules, at: number, timeZone: string): Interval | null {
  return shiftsBetween(r, at, at + 1, timeZone).find((i) => i.start <= at && at < i.end) ?? null;
}

/**
 * Whether the roster keeps a responder from being offered jobs now. A responder with no roster
 * at all follows the duty switch alone (rosters are optional per community); a volunteer is
 * asked whenever they have opted in on the phone, on a roster or not.
 */
export function isOffShift(role: ResponderRole, r: RosterRules, at: number, timeZone: string): boolean {
  if (role === "volunteer" || !isRostered(r)) return false;
  return shiftAt(r, at, timeZone) === null;
}

/** The stretches of [from, to) that none of the shifts cover, each at least `minMs` long. */
export function coverageGaps(
  shifts: readonly Interval[],
  from: number,
  to: number,
  minMs = MINUTE,
): Interval[] {
  return subtract([{ start: from, end: to }], shifts).filter((g) => g.end - g.start >= minMs);
}
