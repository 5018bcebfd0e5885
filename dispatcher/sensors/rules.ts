// The pure rules of home sensors, with the clock passed in: when a resident's silence becomes a
// welfare check (longer at night), whether a door opening is a warning, and whether a mobile
// device's fix is away from home.
import { haversineMeters, type LatLng, type SensorSettings } from "../../protocol/index.ts";
import { inClockWindow, nextClockTime } from "./clock-time.ts";

const MINUTE = 60_000;

type InactivitySettings = Pick<
  SensorSettings,
  "inactivityDayMinutes" | "inactivityNightMinutes" | "nightStart" | "nightEnd"
>;

/**
 * When a silence that began at `lastMotionAt` has lasted too long: the first moment at which it
 * is longer than the window of that time of day. By day that is the day window; a silence that
 * reaches the day window at night waits for the night window, or for the morning, whichever is
 * first (a resident who sleeps late is checked on once the night is over).
 */
export function inactivityDueAt(lastMotionAt: number, s: InactivitySettings): number {
  const byDay = lastMotionAt + s.inactivityDayMinutes * MINUTE;
  if (!inClockWindow(byDay, s.nightStart, s.nightEnd)) return byDay;
  const byNight = lastMotionAt + s.inactivityNightMinutes * MINUTE;
  return Math.min(byNight, nextClockTime(byDay, s.nightEnd));
}

/** The door of a resident with dementia opened in the hours staff set: a warning. */
export function isDoorWarning(
  s: Pick<SensorSettings, "doorWatch" | "doorFrom" | "doorTo">,
  at: number,
): boolean {
  return s.doorWatch && inClockWindow(at, s.doorFrom, s.doorTo);
}

/** Closer than this to home (beyond the fix's own uncertainty) still counts as at home. */
export const HOME_RADIUS_METERS = 100;

/** The fix says the resident is not at home: further than its accuracy plus the home radius. */
export function isAwayFromHome(home: LatLng, fix: LatLng & { accuracy: number }): boolean {
  return haversineMeters(home.lat, home.lng, fix.lat, fix.lng) > HOME_RADIUS_METERS + fix.accuracy;
}
