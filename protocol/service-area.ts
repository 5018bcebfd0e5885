// The service area: where a resident's home may lie. Defined once, as the bounding box of the
// communities' centres grown by a margin, so a mistyped coordinate (swapped lat/lng, a missing
// digit, a point in another city) is caught at enrolment, import and hotline intake alike. Pure.
import { METERS_PER_DEGREE, type LatLng } from "./geo.ts";

/** How far beyond the outermost community centre a home may be. */
export const SERVICE_AREA_MARGIN_METERS = 5000;

export interface ServiceArea {
  south: number;
  west: number;
  north: number;
  east: number;
}

/** The communities' bounding box plus `marginMeters` on every side; null without communities. */
export function serviceAreaOf(
  communities: readonly LatLng[],
  marginMeters = SERVICE_AREA_MARGIN_METERS,
): ServiceArea | null {
  if (communities.length === 0) return null;
  const lats = communities.map((c) => c.lat);
  const lngs = communities.map((c) => c.lng);
  const south = Math.min(...lats);
  const north = Math.max(...lats);
  const dLat = marginMeters / METERS_PER_DEGREE;
  // Longitude degrees shrink away from the equator: use the widest (most poleward) edge.
  const poleward = Math.max(Math.abs(south - dLat), Math.abs(north + dLat));
  const dLng = marginMeters / (METERS_PER_DEGREE * Math.cos((Math.min(poleward, 89) * Math.PI) / 180));
  return {
    south: south - dLat,
    north: north + dLat,
    west: Math.min(...lngs) - dLng,
    east: Math.max(...lngs) + dLng,
  };
}

export function isInServiceArea(area: ServiceArea, p: LatLng): boolean {
  return p.lat >= area.south && p.lat <= area.north && p.lng >= area.west && p.lng <= area.east;
}
