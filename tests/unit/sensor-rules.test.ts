// The pure rules of home sensors and the welfare check, with times in the platform's zone (+08:00).
import { describe, expect, it } from "vitest";
import { DEFAULT_SENSOR_SETTINGS, offsetMeters } from "../../protocol/index.ts";
import { decideWelfare } from "../../dispatcher/cases/welfare-rule.ts";
import { inClockWindow, minutesOfDay, nextClockTime } from "../../dispatcher/sensors/clock-time.ts";
import { inactivityDueAt, isAwayFromHome, isDoorWarning } from "../../dispatcher/sensors/rules.ts";

/** A time on 2026-11-23 in Asia/Shanghai. */
const at = (hhmm: string, day = 23) => Date.parse(`2026-11-${day}T${hhmm}:00+08:00`);
const settings = { ...DEFAULT_SENSOR_SETTINGS }; // 4 h by day, 10 h by night, night 22:00–07:00

describe("clock times in the platform's zone", () => {
  it("reads the local time of day", () => {
    expect(minutesOfDay(at("00:00"))).toBe(0);
    expect(minutesOfDay(at("13:45"))).toBe(13 * 60 + 45);
  });
  it("windows may run past midnight, and end before their end", () => {
    expect(inClockWindow(at("23:00"), "22:00", "06:00")).toBe(true);
    expect(inClockWindow(at("05:59"), "22:00", "06:00")).toBe(true);
    expect(inClockWindow(at("06:00"), "22:00", "06:00")).toBe(false);
    expect(inClockWindow(at("12:00"), "09:00", "17:00")).toBe(true);
    expect(inClockWindow(at("12:00"), "10:00", "10:00")).toBe(false);
  });
  it("finds the next time the clock shows a time, never now itself", () => {
    expect(nextClockTime(at("21:30"), "07:00")).toBe(at("07:00", 24));
    expect(nextClockTime(at("07:00"), "07:00")).toBe(at("07:00", 24));
    expect(nextClockTime(at("06:10"), "07:00")).toBe(at("07:00"));
  });
});

describe("inactivityDueAt", () => {
  it("by day: the day window after the last motion", () => {
    expect(inactivityDueAt(at("09:00"), settings)).toBe(at("13:00"));
  });
  it("a silence that reaches the day window at night waits for the night window", () => {
    expect(inactivityDueAt(at("20:00"), settings)).toBe(at("06:00", 24));
  });
  it("or for the morning, when the night ends first", () => {
    expect(inactivityDueAt(at("23:30"), settings)).toBe(at("07:00", 24));
  });
  it("a silence begun at night that passes the day window after the morning counts the day window", () => {
    expect(inactivityDueAt(at("05:00"), settings)).toBe(at("09:00"));
  });
  it("is never before the day window", () => {
    for (let h = 0; h < 24; h++) {
      const last = at(`${String(h).padStart(2, "0")}:17`);
      expect(inactivityDueAt(last, settings) - last).toBeGreaterThanOrEqual(
        settings.inactivityDayMinutes * 60_000,
      );
      expect(inactivityDueAt(last, settings) - last).toBeLessThanOrEqual(
        settings.inactivityNightMinutes * 60_000,
      );
    }
  });
});

describe("the door rule", () => {
  const watched = { ...settings, doorWatch: true };
  it("warns for a watched resident between the set hours only", () => {
    expect(isDoorWarning(watched, at("02:30"))).toBe(true);
    expect(isDoorWarning(watched, at("14:00"))).toBe(false);
  });
  it("never warns for a resident not watched", () => {
    expect(isDoorWarning(settings, at("02:30"))).toBe(false);
  });
});

describe("away from home", () => {
  const home = { lat: 34.36, lng: 107.14 };
  it("a fix in the courtyard is at home; one across town is not", () => {
    expect(isAwayFromHome(home, { ...offsetMeters(home, 60, 0), accuracy: 20 })).toBe(false);
    expect(isAwayFromHome(home, { ...offsetMeters(home, 3000, 0), accuracy: 20 })).toBe(true);
  });
  it("a coarse fix near home is not called away", () => {
    expect(isAwayFromHome(home, { ...offsetMeters(home, 400, 0), accuracy: 500 })).toBe(false);
  });
});

describe("decideWelfare: exactly one per episode", () => {
  it("opens a welfare check for a new episode", () => {
    expect(decideWelfare({ startedAt: 5, raisedFor: null }, [])).toEqual({ action: "open" });
    expect(decideWelfare({ startedAt: 9, raisedFor: 5 }, [])).toEqual({ action: "open" });
  });
  it("raises nothing more for the episode already raised", () => {
    expect(decideWelfare({ startedAt: 5, raisedFor: 5 }, [])).toEqual({
      action: "none",
      reason: "already_raised",
    });
  });
  it("notes it on a case that already sends someone, instead of a second case", () => {
    expect(decideWelfare({ startedAt: 9, raisedFor: 5 }, [{ id: 3, type: "welfare_check" }])).toEqual({
      action: "note",
      caseId: 3,
    });
    expect(decideWelfare({ startedAt: 9, raisedFor: null }, [{ id: 4, type: "sos" }])).toEqual({
      action: "note",
      caseId: 4,
    });
    expect(decideWelfare({ startedAt: 9, raisedFor: null }, [{ id: 4, type: "low_battery" }])).toEqual({
      action: "open",
    });
  });
});
