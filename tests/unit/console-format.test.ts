import { describe, expect, it } from "vitest";
import {
  dayRange,
  formatDistance,
  formatDuration,
  formatEtaMinutes,
  formatLevel,
  formatPercent,
  formatTimestamp,
  toDateInput,
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

describe("times and days", () => {
  it("timeline times are to the second; another day shows the date", () => {
    const at = new Date(2025, 2, 1, 8, 5, 9).getTime();
    expect(formatTimestamp(new Date(at).toISOString(), at + 3600_000)).toBe("08:05:09");
    expect(formatTimestamp(new Date(at).toISOString(), at + 2 * 86_400_000)).toBe("2025-03-01 08:05:09");
  });

  it("a KPI range covers whole local days, the last one included", () => {
    const r = dayRange("2025-03-01", "2025-03-02");
    expect(r).not.toBeNull();
    expect(Date.parse(r!.from)).toBe(new Date(2025, 2, 1).getTime());
    expect(Date.parse(r!.to)).toBe(new Date(2025, 2, 3).getTime());
    expect(toDateInput(new Date(2025, 2, 1, 23, 59))).toBe("2025-03-01");
  });

  it("rejects an inverted or malformed range", () => {
    expect(dayRange("2025-03-02", "2025-03-01")).toBeNull();
    expect(dayRange("yesterday", "2025-03-01")).toBeNull();
  });
});
