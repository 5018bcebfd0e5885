import { describe, expect, it } from "vitest";
import { haversineMeters } from "../../protocol/geo.ts";
import { ResponderIndex } from "../../dispatcher/matching/index.ts";
import { mulberry32 } from "../helpers/random.ts";
import { BAOJI, at, responder } from "./matching-fixtures.ts";

describe("the responder index", () => {
  it("finds responders within the radius, nearest first, with their distance", () => {
    const index = new ResponderIndex([responder(1, 900, 0), responder(2, 0, 300), responder(3, 0, -2500)]);
    const found = index.nearby(BAOJI.lng, BAOJI.lat, 1000);
    expect(found.map((f) => f.responder.id)).toEqual([2, 1]);
    expect(found[0]!.distanceMeters).toBeCloseTo(300, 0);
    expect(found[1]!.distanceMeters).toBeCloseTo(900, 0);
  });

  it("applies the filter and the result limit", () => {
    const index = new ResponderIndex([responder(1, 100, 0), responder(2, 200, 0), responder(3, 300, 0)]);
    expect(index.nearby(BAOJI.lng, BAOJI.lat, 1000, (r) => r.id !== 1).map((f) => f.responder.id)).toEqual([
      2, 3,
    ]);
    expect(index.nearby(BAOJI.lng, BAOJI.lat, 1000, undefined, 1).map((f) => f.responder.id)).toEqual([1]);
  });

  it("does not index responders without a location, but still knows them by id", () => {
    const unlocated = responder(7, 0, 0, { lat: null, lng: null, locationAt: null });
    const index = new ResponderIndex([unlocated, responder(8, 10, 0)]);
    expect(index.size).toBe(1);
    expect(index.get(7)).toBe(unlocated);
    expect(index.nearby(BAOJI.lng, BAOJI.lat, 50_000).map((f) => f.responder.id)).toEqual([8]);
  });

  it("an empty city has nobody nearby", () => {
    expect(new ResponderIndex([]).nearby(BAOJI.lng, BAOJI.lat, 50_000)).toEqual([]);
  });

  it("agrees with a linear scan on a random city", () => {
    const random = mulberry32(7);
    const responders = Array.from({ length: 2000 }, (_, i) =>
      responder(i + 1, (random() - 0.5) * 20_000, (random() - 0.5) * 20_000),
    );
    const index = new ResponderIndex(responders);
    for (let q = 0; q < 50; q++) {
      const p = at((random() - 0.5) * 16_000, (random() - 0.5) * 16_000);
      const radius = 500 + random() * 3000;
      const viaIndex = index.nearby(p.lng, p.lat, radius).map((f) => f.responder.id);
      const viaScan = responders
        .map((r) => ({ id: r.id, d: haversineMeters(p.lat, p.lng, r.lat!, r.lng!) }))
        .filter((x) => x.d <= radius)
        .sort((a, b) => a.d - b.d)
        .map((x) => x.id);
      expect(viaIndex).toEqual(viaScan);
    }
  });
});
