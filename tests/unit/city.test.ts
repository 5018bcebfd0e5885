// The demo city as plain data, before any database: the same seed gives the same city.
import { describe, expect, it } from "vitest";
import { haversineMeters } from "../../protocol/geo.ts";
import { COMMUNITIES } from "../../prisma/demo-data.ts";
import { DEFAULT_RANDOM_SEED, generateCity, type CityOptions } from "../../prisma/city.ts";

const SMALL: CityOptions = {
  residents: 60,
  caregivers: 6,
  volunteers: 20,
  randomSeed: DEFAULT_RANDOM_SEED,
  now: Date.UTC(2026, 10, 23),
};

describe("generateCity", () => {
  it("same seed, same city", () => {
    expect(generateCity(SMALL)).toEqual(generateCity({ ...SMALL }));
  });

  it("another seed, another city of the same shape", () => {
    const a = generateCity(SMALL);
    const b = generateCity({ ...SMALL, randomSeed: 7 });
    expect(b.residents.map((r) => r.name)).not.toEqual(a.residents.map((r) => r.name));
    expect(b.residents).toHaveLength(a.residents.length);
    expect(b.devices.map((d) => d.id)).toEqual(a.devices.map((d) => d.id));
  });

  it("has the requested people, every reference pointing at a row of the right kind", () => {
    const city = generateCity(SMALL);
    const roleOf = (i: number | null) => (i === null ? null : city.responders[i]?.role);
    expect(city.communities).toHaveLength(COMMUNITIES.length);
    expect(city.residents).toHaveLength(60);
    expect(city.devices.map((d) => d.resident)).toEqual(city.residents.map((_r, i) => i));
    expect(city.responders.filter((r) => r.role === "caregiver")).toHaveLength(6);
    expect(city.responders.filter((r) => r.role === "volunteer")).toHaveLength(20);
    expect(city.responders.filter((r) => r.role === "doctor")).toHaveLength(COMMUNITIES.length);
    for (const g of city.grids) expect(roleOf(g.gridWorker)).toBe("grid_worker");
    for (const r of city.residents) {
      expect(city.grids[r.grid]?.community).toBe(r.community);
      if (r.pairedVolunteer !== null) {
        expect(roleOf(r.pairedVolunteer)).toBe("volunteer");
        expect(city.responders[r.pairedVolunteer]?.community).toBe(r.community);
      }
    }
    // Every responder has exactly one login; staff have none.
    const logins = city.users.filter((u) => u.responder !== null).map((u) => u.responder);
    expect(new Set(logins).size).toBe(city.responders.length);
    expect(city.users.filter((u) => u.responder === null).map((u) => u.role)).toEqual([
      "admin",
      "dispatcher",
      "manager",
    ]);
  });

  it("places residents within 600 m and on-duty responders within 800 m of their community", () => {
    const city = generateCity(SMALL);
    const centre = (c: number) => COMMUNITIES[c]!;
    for (const r of city.residents) {
      expect(haversineMeters(r.lat, r.lng, centre(r.community).lat, centre(r.community).lng)).toBeLessThan(
        601,
      );
    }
    for (const r of city.responders.filter((x) => x.onDuty)) {
      expect(haversineMeters(r.lat!, r.lng!, centre(r.community).lat, centre(r.community).lng)).toBeLessThan(
        801,
      );
      expect(r.locationAt).toBe(SMALL.now);
    }
    expect(
      city.responders.filter((x) => !x.onDuty).every((x) => x.lat === null && x.locationAt === null),
    ).toBe(true);
  });

  it("refuses a negative or fractional head count", () => {
    expect(() => generateCity({ ...SMALL, residents: -1 })).toThrow(/residents/);
    expect(() => generateCity({ ...SMALL, volunteers: 1.5 })).toThrow(/volunteers/);
  });
});
