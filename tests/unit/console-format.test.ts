import { describe, expect, it } from "vitest";
import {
  dayRange,
  formatDistance,
  formatDuration,
  formatEtaMinutes,
  formatLevel,
  formatPercent,
  formatClock,
  formatTimestamp,
  todayInput,
} from "../../console/src/lib/format.ts";

describe("duration formatting", () => {
  it("shows minutes and seconds under an hour", () => {
    expect(formatDuration(0)).toBe("0:00");
    expect(formatDuration(45)).toBe("0:45");
    expect(formatDuration(60)).toBe("1:00");
    expect(formatDuration(725)).toBe("12:05");
    expect(formatDuration(3599)).toBe("59:59");
  });

  it("adds hours from one hour on", () => {
    expect(formatDuration(3600)).toBe("1:00:00");
    expect(formatDuration(3723)).toBe("1:02:03");
    expect(formatDuration(27 * 3600 + 5)).toBe("27:00:05");
  });

  it("drops fractions and never goes negative", () => {
    expect(formatDuration(59.9)).toBe("0:59");
    expect(formatDuration(-5)).toBe("0:00");
  });
});

describe("distances, ETAs, percentages", () => {
  it("metres under a kilometre, one decimal under ten", () => {
    expect(formatDistance(850.4)).toBe("850 m");
    expect(formatDistance(1234)).toBe("1.2 km");
    expect(formatDistance(15_400)).toBe("15 km");
    expect(formatDistance(Number.NaN)).toBe("—");
  });

  it("ETA in whole minutes, at least one", () => {
    expect(formatEtaMinutes(20)).toBe("1 min");
    expect(formatEtaMinutes(410)).toBe("7 min");
  });

  it("percent with one decimal; no data is a dash", () => {
    expect(formatPercent(93.456)).toBe("93.5%");
    expect(formatPercent(100)).toBe("100%");
    expect(formatPercent(null)).toBe("—");
    expect(formatLevel(null)).toBe("—");
    expect(formatLevel(17)).toBe("17%");
  });
});

describe("times and days, on the platform's clock whatever the browser's zone", () => {
  it("timeline times are to the second; another day there shows the date", () => {
    const at = Date.UTC(2025, 2, 1, 0, 5, 9); // 08:05:09 in Shanghai
    expect(formatTimestamp(new Date(at).toISOString(), at + 3600_000, "Asia/Shanghai")).toBe("08:05:09");
    expect(formatTimestamp(new Date(at).toISOString(), at + 2 * 86_400_000, "Asia/Shanghai")).toBe(
      "2025-03-01 08:05:09",
    );
    expect(formatTimestamp(new Date(at).toISOString(), at, "UTC")).toBe("00:05:09");
    expect(formatClock(new Date(at).toISOString(), "Asia/Shanghai")).toBe("08:05");
  });

  it("a KPI range covers whole days there, the last one included", () => {
    const r = dayRange("2025-03-01", "2025-03-02", "Asia/Shanghai");
    expect(r).toEqual({ from: "2025-02-28T16:00:00.000Z", to: "2025-03-02T16:00:00.000Z" });
    // 23:59 on 1 March in Shanghai is 15:59Z: still the 1st there.
    expect(todayInput(Date.UTC(2025, 2, 1, 15, 59), "Asia/Shanghai")).toBe("2025-03-01");
    expect(todayInput(Date.UTC(2025, 2, 1, 16, 1), "Asia/Shanghai")).toBe("2025-03-02");
  });

  it("rejects an inverted or malformed range", () => {
    expect(dayRange("2025-03-02", "2025-03-01", "Asia/Shanghai")).toBeNull();
    expect(dayRange("yesterday", "2025-03-01", "Asia/Shanghai")).toBeNull();
    expect(dayRange("2025-02-30", "2025-03-01", "Asia/Shanghai")).toBeNull();
  });
});
