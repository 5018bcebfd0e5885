import { describe, expect, it } from "vitest";
import { haversineMeters } from "../../protocol/geo.ts";
import { DEFAULT_MATCHING_OPTIONS, etaSeconds } from "../../dispatcher/matching/index.ts";
import { BAOJI, at } from "./matching-fixtures.ts";

describe("distance and travel time", () => {
  it("one degree of latitude is about 111.2 km", () => {
    expect(haversineMeters(34, 107, 35, 107)).toBeCloseTo(111_195, -1);
  });

  it("Baoji to Xi'an is about 157 km as the crow flies", () => {
    const km = haversineMeters(BAOJI.lat, BAOJI.lng, 34.27, 108.95) / 1000;
    expect(km).toBeGreaterThan(155);
    expect(km).toBeLessThan(159);
  });

  it("is symmetric and zero for the same place", () => {
    const a = at(1200, -300);
    const b = at(-400, 2500);
    expect(haversineMeters(a.lat, a.lng, b.lat, b.lng)).toBeCloseTo(
      haversineMeters(b.lat, b.lng, a.lat, a.lng),
      6,
    );
    expect(haversineMeters(a.lat, a.lng, a.lat, a.lng)).toBe(0);
  });

  it("a kilometre takes a walker about 17 minutes and a car about 3, once streets are accounted for", () => {
    expect(etaSeconds(1000, "walk", DEFAULT_MATCHING_OPTIONS)).toBe(Math.ceil((1000 * 1.35) / 1.3)); // 1039
    expect(etaSeconds(1000, "bike", DEFAULT_MATCHING_OPTIONS)).toBe(386);
    expect(etaSeconds(1000, "ebike", DEFAULT_MATCHING_OPTIONS)).toBe(270);
    expect(etaSeconds(1000, "car", DEFAULT_MATCHING_OPTIONS)).toBe(193);
    expect(etaSeconds(0, "walk", DEFAULT_MATCHING_OPTIONS)).toBe(0);
  });

  it("rounds up, so someone a few metres away is never 'zero seconds' away", () => {
    expect(etaSeconds(0.5, "car", DEFAULT_MATCHING_OPTIONS)).toBe(1);
  });
});
