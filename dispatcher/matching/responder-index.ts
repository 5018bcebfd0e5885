// Spatial index over responders' last known positions (kdbush + geokdbush great-circle kNN).
//
// The index is immutable: when a responder moves, goes on duty or becomes busy, build a new one.
// Rebuilding for 10,000 responders takes a few milliseconds (kdbush itself 2–3 ms, see
// bench/matching.bench.ts): cheaper than keeping an updatable tree consistent, and readers never
// see a half-updated index. Coalesce bursts of position updates into one rebuild.
import KDBush from "kdbush";
import { around } from "geokdbush";
import { haversineMeters } from "../../protocol/geo.ts";
import type { ResponderState } from "./types.ts";

export interface NearbyResponder {
  responder: ResponderState;
  distanceMeters: number;
}

/** What ranking needs from a responder store; the index is one, a linear scan is another. */
export interface ResponderSource {
  /** Responders within the radius that pass the filter, nearest first. */
  nearby(
    lng: number,
    lat: number,
    maxDistanceMeters: number,
    filter?: (responder: ResponderState) => boolean,
    maxResults?: number,
  ): NearbyResponder[];
  get(id: number): ResponderState | undefined;
}

export function hasLocation(r: ResponderState): r is ResponderState & { lat: number; lng: number } {
  return r.lat !== null && r.lng !== null && Number.isFinite(r.lat) && Number.isFinite(r.lng);
}

export class ResponderIndex implements ResponderSource {
  /** Responders with a position; kdbush item i is located[i]. */
  private readonly located: (ResponderState & { lat: number; lng: number })[];
  private readonly tree: KDBush | null;
  private readonly byId = new Map<number, ResponderState>();

  constructor(responders: readonly ResponderState[]) {
    for (const r of responders) this.byId.set(r.id, r);
    // Responders without a position cannot be ranked by distance, so they are not indexed.
    this.located = responders.filter(hasLocation);
    if (this.located.length === 0) {
      this.tree = null;
      return;
    }
    const tree = new KDBush(this.located.length);
    for (const r of this.located) tree.add(r.lng, r.lat);
    this.tree = tree.finish();
  }

  /** Number of responders with a position. */
  get size(): number {
    return this.located.length;
  }

  /** Any responder by id, located or not. */
  get(id: number): ResponderState | undefined {
    return this.byId.get(id);
  }

  nearby(
    lng: number,
    lat: number,
    maxDistanceMeters: number,
    filter?: (responder: ResponderState) => boolean,
    maxResults = Infinity,
  ): NearbyResponder[] {
    if (this.tree === null) return [];
    const located = this.located;
    const predicate = filter ? (i: number) => filter(located[i]!) : undefined;
    const ids = around(this.tree, lng, lat, maxResults, maxDistanceMeters / 1000, predicate);
    return ids.map((i) => {
      const responder = located[i]!;
      return { responder, distanceMeters: haversineMeters(lat, lng, responder.lat, responder.lng) };
    });
  }
}
