// Distance and travel time estimates. Great-circle distance stretched by a detour factor is
// crude but needs no road graph, and the ranking only has to order responders correctly.
import type { TransportMode } from "../../protocol/index.ts";
import type { MatchingOptions } from "./types.ts";

/** Same mean radius as geokdbush, so index radii and computed distances agree. */
export const EARTH_RADIUS_METERS = 6_371_000;
const RAD = Math.PI / 180;

export function haversineMeters(lat1: number, lng1: number, lat2: number, lng2: number): number {
  const sinDLat = Math.sin(((lat2 - lat1) * RAD) / 2);
  const sinDLng = Math.sin(((lng2 - lng1) * RAD) / 2);
  const h = sinDLat * sinDLat + Math.cos(lat1 * RAD) * Math.cos(lat2 * RAD) * sinDLng * sinDLng;
  return 2 * EARTH_RADIUS_METERS * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Whole seconds, rounded up, so a zero distance is 0 and anything else at least 1. */
export function etaSeconds(
  distanceMeters: number,
  transport: TransportMode,
  options: Pick<MatchingOptions, "detourFactor" | "speedsMps">,
): number {
  return Math.ceil((distanceMeters * options.detourFactor) / options.speedsMps[transport]);
}
