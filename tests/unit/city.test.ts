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

  it("places residents within 600 m of their community; every responder starts off duty, last seen there hours ago", () => {
    const city = generateCity(SMALL);
    const centre = (c: number) => COMMUNITIES[c]!;
    for (const r of city.residents) {
      expect(haversineMeters(r.lat, r.lng, centre(r.community).lat, centre(r.community).lng)).toBeLessThan(
        601,
      );
    }
    // A phone nobody carries must not be offered cases: the simulator puts its own phones on duty.
    expect(city.responders.filter((x) => x.onDuty)).toEqual([]);
    for (const r of city.responders) {
      expect(haversineMeters(r.lat!, r.lng!, centre(r.community).lat, centre(r.community).lng)).toBeLessThan(
        801,
      );
      expect(SMALL.now - r.locationAt!).toBeGreaterThanOrEqual(8 * 3_600_000);
    }
  });

  it("numbers each role round the communities, so the first logins cover the city", () => {
    const city = generateCity({ ...SMALL, caregivers: 40 });
    const caregivers = city.users
      .filter((u) => u.username.startsWith("caregiver"))
      .map((u) => city.responders[u.responder!]!.community);
    expect(caregivers.slice(0, COMMUNITIES.length)).toEqual(COMMUNITIES.map((_c, i) => i));
  });

  it("draws each grid as the outline of its own homes, one sector of the community each", () => {
    const city = generateCity({ ...SMALL, residents: 600 });
    const inside = (p: [number, number], ring: [number, number][]) => {
      // Ray casting; a point on the edge counts as inside (hull corners are residents).
      let hit = false;
      for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
        const [ai, bi] = ring[i]!;
        const [aj, bj] = ring[j]!;
        if (bi > p[1] !== bj > p[1] && p[0] < ((aj - ai) * (p[1] - bi)) / (bj - bi) + ai) hit = !hit;
      }
      return hit || ring.some(([a, b]) => a === p[0] && b === p[1]);
    };
    for (const g of city.grids) expect(g.outline?.length).toBeGreaterThanOrEqual(3);
    for (const r of city.residents) {
      const own = city.grids[r.grid]!;
      expect(inside([r.lat, r.lng], own.outline!)).toBe(true);
      const others = city.grids.filter((g) => g !== own && g.community === r.community);
      // Strictly inside a neighbour's outline would mean the grids overlap.
      const strictlyIn = others.filter(
        (g) => inside([r.lat, r.lng], g.outline!) && !g.outline!.some(([a, b]) => a === r.lat && b === r.lng),
      );
      expect(strictlyIn).toEqual([]);
    }
  });

  it("refuses a negative or fractional head count", () => {
    expect(() => generateCity({ ...SMALL, residents: -1 })).toThrow(/residents/);
    expect(() => generateCity({ ...SMALL, volunteers: 1.5 })).toThrow(/volunteers/);
  });
});
