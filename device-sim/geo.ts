// Small geodesy helpers for simulated movement (WGS84, spherical earth).

export interface Point {
  lat: number;
  lng: number;
}

const EARTH_RADIUS_M = 6_371_000;
const rad = (deg: number) => (deg * Math.PI) / 180;

export function distanceMeters(a: Point, b: Point): number {
  const dLat = rad(b.lat - a.lat);
  const dLng = rad(b.lng - a.lng);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(rad(a.lat)) * Math.cos(rad(b.lat)) * Math.sin(dLng / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** The point `north` and `east` metres away from `p` (fine for a few kilometres). */
export function offsetMeters(p: Point, north: number, east: number): Point {
  return {
    lat: p.lat + north / 111_320,
    lng: p.lng + east / (111_320 * Math.cos(rad(p.lat))),
  };
}

/** Moves up to `meters` from `from` straight toward `to`; returns `to` once within reach. */
export function stepToward(from: Point, to: Point, meters: number): Point {
  const d = distanceMeters(from, to);
  if (d <= meters || d === 0) return { ...to };
  const f = meters / d;
  return { lat: from.lat + (to.lat - from.lat) * f, lng: from.lng + (to.lng - from.lng) * f };
}

/** A random point within `radius` metres of `p`, uniform over the disc. */
export function scatter(p: Point, radius: number, random: () => number = Math.random): Point {
  const r = radius * Math.sqrt(random());
  const angle = 2 * Math.PI * random();
  return offsetMeters(p, r * Math.cos(angle), r * Math.sin(angle));
}
