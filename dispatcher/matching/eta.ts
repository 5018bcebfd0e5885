// Travel time estimates. Great-circle distance (protocol/geo.ts) stretched by a detour factor is
// crude but needs no road graph, and the ranking only has to order responders correctly.
import type { TransportMode } from "../../protocol/index.ts";
import type { MatchingOptions } from "./types.ts";

// device-sim/geo.ts still imports the distance from here; the definition lives in protocol/geo.ts.

/** Whole seconds, rounded up, so a zero distance is 0 and anything else at least 1. */
export function etaSeconds(
  distanceMeters: number,
  transport: TransportMode,
  options: Pick<MatchingOptions, "detourFactor" | "speedsMps">,
): number {
  return Math.ceil((distanceMeters * options.detourFactor) / options.speedsMps[transport]);
}
