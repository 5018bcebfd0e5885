// The in-place responder index answers exactly as an index built from scratch, through any
// sequence of moves, duty changes and work.
import { describe, expect, it } from "vitest";
import { ResponderIndex, ResponderPool, type ResponderState } from "../../dispatcher/matching/index.ts";
import { mulberry32 } from "../helpers/random.ts";
import { at, responder } from "./matching-fixtures.ts";

describe("the responder pool", () => {
  it("after 5,000 random changes, every query equals a freshly built index's", () => {
    const random = mulberry32(20);
    const crew = new Map<number, ResponderState>();
    const pool = new ResponderPool();
    for (let id = 1; id <= 300; id++) {
      const r = responder(id, (random() - 0.5) * 8000, (random() - 0.5) * 8000);
      crew.set(id, r);
      pool.put(r);
    }
    for (let i = 0; i < 5_000; i++) {
      const r = crew.get(1 + Math.floor(random() * 300))!;
      const roll = random();
      if (roll < 0.6) Object.assign(r, at((random() - 0.5) * 8000, (random() - 0.5) * 8000));
      else if (roll < 0.75) r.onDuty = !r.onDuty;
      else if (roll < 0.9) {
        r.busy = !r.busy;
        r.holding = r.busy && random() < 0.5 ? { caseId: 1, priority: 3 } : null;
      } else Object.assign(r, { lat: null, lng: null });
      pool.put(r);
      if (i % 250 === 0) {
        const truth = new ResponderIndex(
          [...crew.values()].filter((x) => x.onDuty && (!x.busy || x.holding)),
        );
        const spot = at((random() - 0.5) * 6000, (random() - 0.5) * 6000);
        const radius = 500 + random() * 4000;
        const ids = (list: { responder: ResponderState }[]) =>
          list.map((n) => n.responder.id).sort((a, b) => a - b);
        expect(ids(pool.nearby(spot.lng, spot.lat, radius))).toEqual(
          ids(truth.nearby(spot.lng, spot.lat, radius)),
        );
      }
    }
  });

  it("indexes only who could be asked: on duty, located, free or only holding an offer", () => {
    const pool = new ResponderPool();
    pool.put(responder(1, 0, 0));
    pool.put(responder(2, 0, 0, { onDuty: false }));
    pool.put(responder(3, 0, 0, { busy: true }));
    pool.put(responder(4, 0, 0, { busy: true, holding: { caseId: 9, priority: 3 } }));
    pool.put(responder(5, 0, 0, { lat: null, lng: null, locationAt: null }));
    expect(pool.size).toBe(2);
    expect(pool.nearby(at(0, 0).lng, at(0, 0).lat, 100).map((n) => n.responder.id)).toEqual([1, 4]);
    expect(pool.get(2)?.onDuty).toBe(false);
    pool.delete(1);
    expect(pool.size).toBe(1);
  });
});
