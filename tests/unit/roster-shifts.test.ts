import { describe, expect, it } from "vitest";
import {
  coverageGaps,
  isOffShift,
  merge,
  occurrences,
  rruleText,
  shiftAt,
  shiftsBetween,
  subtract,
  type PatternRule,
} from "../../dispatcher/rosters/shifts.ts";

const TZ = "Asia/Shanghai";
const H = 3_600_000;
/** An instant written as Beijing wall-clock time. */
const bj = (s: string) => Date.parse(`${s}+08:00`);

// 2026-12-07 is a Monday.
const weekdays: PatternRule = {
  days: ["MO", "TU", "WE", "TH", "FR"],
  start: "08:00",
  minutes: 12 * 60,
  from: "2026-12-07",
  until: null,
};

describe("weekly shift patterns in the platform's time zone", () => {
  it("writes the pattern as an RRULE", () => {
    expect(rruleText(weekdays)).toBe("FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR");
    expect(rruleText({ ...weekdays, until: "2026-12-31" })).toBe(
      "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR;UNTIL=20261231T235959Z",
    );
  });

  it("places each shift at 08:00 Beijing time (00:00 UTC), Monday to Friday only", () => {
    const week = occurrences(weekdays, bj("2026-12-07T00:00:00"), bj("2026-12-14T00:00:00"), TZ);
    expect(week.map((i) => new Date(i.start).toISOString())).toEqual([
      "2026-12-07T00:00:00.000Z",
      "2026-12-08T00:00:00.000Z",
      "2026-12-09T00:00:00.000Z",
      "2026-12-10T00:00:00.000Z",
      "2026-12-11T00:00:00.000Z",
    ]);
    expect(week.every((i) => i.end - i.start === 12 * H)).toBe(true);
  });

  it("starts on its first day and stops after its last", () => {
    const p = { ...weekdays, from: "2026-12-09", until: "2026-12-10" };
    const found = occurrences(p, bj("2026-12-01T00:00:00"), bj("2027-01-01T00:00:00"), TZ);
    expect(found.map((i) => i.start)).toEqual([bj("2026-12-09T08:00:00"), bj("2026-12-10T08:00:00")]);
  });

  it("finds a night shift that began the evening before the window", () => {
    const night: PatternRule = {
      days: ["SU"],
      start: "20:00",
      minutes: 720,
      from: "2026-12-06",
      until: null,
    };
    const r = { patterns: [night], exceptions: [] };
    expect(shiftAt(r, bj("2026-12-07T07:59:00"), TZ)).toEqual({
      start: bj("2026-12-06T20:00:00"),
      end: bj("2026-12-07T08:00:00"),
    });
    expect(shiftAt(r, bj("2026-12-07T08:00:00"), TZ)).toBeNull();
  });

  it("keeps wall-clock hours in a zone with daylight saving", () => {
    const p: PatternRule = {
      days: ["SU"],
      start: "09:00",
      minutes: 60,
      from: "2027-03-07",
      until: "2027-03-21",
    };
    const found = occurrences(
      p,
      Date.parse("2027-03-01T00:00:00Z"),
      Date.parse("2027-03-31T00:00:00Z"),
      "America/New_York",
    );
    // EST (-05:00) before 14 March, EDT (-04:00) from it.
    expect(found.map((i) => new Date(i.start).toISOString())).toEqual([
      "2027-03-07T14:00:00.000Z",
      "2027-03-14T13:00:00.000Z",
      "2027-03-21T13:00:00.000Z",
    ]);
  });
});

describe("exceptions", () => {
  it("leave removes the hours it covers; an extra shift adds its own", () => {
    const r = {
      patterns: [weekdays],
      exceptions: [
        { kind: "off" as const, startsAt: bj("2026-12-08T12:00:00"), endsAt: bj("2026-12-10T00:00:00") },
        { kind: "extra" as const, startsAt: bj("2026-12-12T09:00:00"), endsAt: bj("2026-12-12T13:00:00") },
      ],
    };
    const shifts = shiftsBetween(r, bj("2026-12-08T00:00:00"), bj("2026-12-13T00:00:00"), TZ);
    expect(shifts).toEqual([
      { start: bj("2026-12-08T08:00:00"), end: bj("2026-12-08T12:00:00") },
      { start: bj("2026-12-10T08:00:00"), end: bj("2026-12-10T20:00:00") },
      { start: bj("2026-12-11T08:00:00"), end: bj("2026-12-11T20:00:00") },
      { start: bj("2026-12-12T09:00:00"), end: bj("2026-12-12T13:00:00") },
    ]);
  });

  it("merges and subtracts intervals", () => {
    expect(
      merge([
        { start: 5, end: 9 },
        { start: 1, end: 3 },
        { start: 3, end: 6 },
      ]),
    ).toEqual([{ start: 1, end: 9 }]);
    expect(
      subtract(
        [{ start: 0, end: 10 }],
        [
          { start: 2, end: 4 },
          { start: 8, end: 12 },
        ],
      ),
    ).toEqual([
      { start: 0, end: 2 },
      { start: 4, end: 8 },
    ]);
  });
});

describe("who the roster keeps from jobs", () => {
  const r = { patterns: [weekdays], exceptions: [] };
  const saturday = bj("2026-12-12T10:00:00");
  const monday = bj("2026-12-07T10:00:00");

  it("a rostered caregiver off shift", () => {
    expect(isOffShift("caregiver", r, saturday, TZ)).toBe(true);
    expect(isOffShift("caregiver", r, monday, TZ)).toBe(false);
  });

  it("never a volunteer (they opt in on the phone), nor a responder without any roster", () => {
    expect(isOffShift("volunteer", r, saturday, TZ)).toBe(false);
    expect(isOffShift("caregiver", { patterns: [], exceptions: [] }, saturday, TZ)).toBe(false);
  });
});

describe("coverage gaps", () => {
  it("the hours ahead no shift covers", () => {
    const day = { start: bj("2026-12-07T08:00:00"), end: bj("2026-12-07T20:00:00") };
    const evening = { start: bj("2026-12-07T18:00:00"), end: bj("2026-12-07T22:00:00") };
    expect(coverageGaps([day, evening], bj("2026-12-07T06:00:00"), bj("2026-12-08T00:00:00"))).toEqual([
      { start: bj("2026-12-07T06:00:00"), end: bj("2026-12-07T08:00:00") },
      { start: bj("2026-12-07T22:00:00"), end: bj("2026-12-08T00:00:00") },
    ]);
  });
});
