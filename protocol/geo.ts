// Distances on the map, defined once for the platform, the seed, the simulator, tests and benchmarks.
// A sphere of the mean Earth radius is accurate to ~0.5 % — far below the detour factor's error.

export const EARTH_RADIUS_METERS = 6_371_000;
/** Length of one degree of latitude (and of longitude at the equator) on that sphere. */
export const METERS_PER_DEGREE = (Math.PI * EARTH_RADIUS_METERS) / 180;

export interface LatLng {
  lat: number;
  lng: number;
}

const rad = (deg: number) => (deg * Math.PI) / 180;

/** Great-circle distance in metres. */
export function haversineMeters(lat1: number, lng1: number, lat2: number, lng2: number): number {
  const dLat = rad(lat2 - lat1);
  const dLng = rad(lng2 - lng1);
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(rad(lat1)) * Math.cos(rad(lat2)) * Math.sin(dLng / 2) ** 2;
  return 2 * EARTH_RADIUS_METERS * Math.asin(Math.min(1, Math.sqrt(a)));
}

/** The point `north` and `east` metres away (small offsets; flat-Earth approximation). */
export function offsetMeters(p: LatLng, north: number, east: number): LatLng {
  return {
    lat: p.lat + north / METERS_PER_DEGREE,
    lng: p.lng + east / (METERS_PER_DEGREE * Math.cos(rad(p.lat))),
  };
}

/** Moves up to `meters` from `from` straight toward `to`; returns `to` once within reach. */
export function stepToward(from: LatLng, to: LatLng, meters: number): LatLng {
  const d = haversineMeters(from.lat, from.lng, to.lat, to.lng);
  if (d <= meters || d === 0) return { ...to };
  const f = meters / d;
  return { lat: from.lat + (to.lat - from.lat) * f, lng: from.lng + (to.lng - from.lng) * f };
}

/** A random point within `radius` metres of `p`, uniform over the disc. */
export function scatter(p: LatLng, radius: number, random: () => number = Math.random): LatLng {
  const r = radius * Math.sqrt(random());
  const angle = 2 * Math.PI * random();
  return offsetMeters(p, r * Math.cos(angle), r * Math.sin(angle));
}
