// Small geodesy helpers for simulated movement (WGS84, spherical earth).
import { haversineMeters } from "../dispatcher/matching/eta.ts";

export interface Point {
  lat: number;
  lng: number;
}

const rad = (deg: number) => (deg * Math.PI) / 180;

/** The platform's own great-circle distance, so simulated arrivals agree with its ETAs. */
export function distanceMeters(a: Point, b: Point): number {
  return haversineMeters(a.lat, a.lng, b.lat, b.lng);
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
