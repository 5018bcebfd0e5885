// The responders matching may ask, in a spatial index that is updated in place (rbush, an R-tree)
// as positions, duty and work change — never rebuilt per press (issue 20, decision 0009). Only
// responders who could take a case are indexed: on duty, located, and free or holding only an
// offer (a more urgent case may take them). Distances are great-circle, checked after a bounding
// box search, so results are exact within the radius.
import RBush from "rbush";
import { METERS_PER_DEGREE, haversineMeters } from "../../protocol/geo.ts";
import { hasLocation, type NearbyResponder, type ResponderSource } from "./responder-index.ts";
import type { ResponderState } from "./types.ts";

interface Item {
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
  id: number;
}

export class ResponderPool implements ResponderSource {
  private readonly tree = new RBush<Item>();
  private readonly items = new Map<number, Item>();
  private readonly states = new Map<number, ResponderState>();

  /** Adds a responder or takes in a change of theirs (the state object may be the same, changed). */
  put(r: ResponderState): void {
    this.states.set(r.id, r);
    const item = this.items.get(r.id);
    const indexable = r.onDuty && hasLocation(r) && (!r.busy || !!r.holding);
    if (item && (!indexable || item.minX !== r.lng || item.minY !== r.lat)) {
      this.tree.remove(item);
      this.items.delete(r.id);
    }
    if (indexable && !this.items.has(r.id)) {
      const next = { minX: r.lng, minY: r.lat, maxX: r.lng, maxY: r.lat, id: r.id };
      this.tree.insert(next);
      this.items.set(r.id, next);
    }
  }

  delete(id: number): void {
    const item = this.items.get(id);
    if (item) this.tree.remove(item);
    this.items.delete(id);
    this.states.delete(id);
  }

  get(id: number): ResponderState | undefined {
    return this.states.get(id);
  }

  /** Responders indexed now (those who could be asked). */
  get size(): number {
    return this.items.size;
  }

  nearby(
    lng: number,
    lat: number,
    maxDistanceMeters: number,
    filter?: (responder: ResponderState) => boolean,
    maxResults = Infinity,
  ): NearbyResponder[] {
    const dLat = maxDistanceMeters / METERS_PER_DEGREE;
    const dLng = maxDistanceMeters / (METERS_PER_DEGREE * Math.max(0.01, Math.cos((lat * Math.PI) / 180)));
    const found: NearbyResponder[] = [];
    const box = { minX: lng - dLng, minY: lat - dLat, maxX: lng + dLng, maxY: lat + dLat };
    for (const item of this.tree.search(box)) {
      const responder = this.states.get(item.id)!;
      if (filter && !filter(responder)) continue;
      const distanceMeters = haversineMeters(lat, lng, item.minY, item.minX);
      if (distanceMeters <= maxDistanceMeters) found.push({ responder, distanceMeters });
    }
    found.sort((a, b) => a.distanceMeters - b.distanceMeters || a.responder.id - b.responder.id);
    return found.length > maxResults ? found.slice(0, maxResults) : found;
  }
}
