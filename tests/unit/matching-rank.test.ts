import { describe, expect, it } from "vitest";
import {
  DEFAULT_MATCHING_OPTIONS,
  ResponderIndex,
  rankCandidates,
  type ResponderState,
} from "../../dispatcher/matching/index.ts";
import { mulberry32 } from "../helpers/random.ts";
import { NOW, responder, sos } from "./matching-fixtures.ts";

const ids = (list: { responderId: number }[]) => list.map((c) => c.responderId);
const rank = (responders: ResponderState[], need = sos()) =>
  rankCandidates(need, new ResponderIndex(responders), NOW);

describe("ranking responders for one case", () => {
  it("an off-duty caregiver is never offered, however close", () => {
    expect(ids(rank([responder(1, 50, 0, { onDuty: false }), responder(2, 800, 0)]))).toEqual([2]);
  });

  it("busy responders are skipped", () => {
    expect(ids(rank([responder(1, 50, 0, { busy: true }), responder(2, 800, 0)]))).toEqual([2]);
  });

  it("staff's list counts one holding this case's own offer, never one holding another's or working", () => {
    // Case 1's need; responder 1 holds case 1's offer, 2 a P1 offer elsewhere, 3 works a case.
    const crew = [
      responder(1, 50, 0, { busy: true, holding: { caseId: 1, priority: 1 } }),
      responder(2, 100, 0, { busy: true, holding: { caseId: 9, priority: 1 } }),
      responder(3, 150, 0, { busy: true, holding: null }),
      responder(4, 800, 0),
    ];
    expect(ids(rank(crew))).toEqual([4]);
    const listed = rank(crew, sos(1, { includeOfferedHere: true }));
    expect(ids(listed)).toEqual([1, 4]);
    expect(listed[0]!.preempts).toBeNull();
  });

  it("a stale location is ignored; one 14 minutes old still counts", () => {
    const stale = responder(1, 50, 0, { locationAt: NOW - 16 * 60_000 });
    const recent = responder(2, 300, 0, { locationAt: NOW - 14 * 60_000 });
    const unlocated = responder(3, 0, 0, { lat: null, lng: null, locationAt: null });
    expect(ids(rank([stale, recent, unlocated]))).toEqual([2]);
  });

  it("responders who already declined this case are not asked again", () => {
    const need = sos(1, { excludeResponderIds: [1] });
    expect(ids(rank([responder(1, 50, 0), responder(2, 800, 0)], need))).toEqual([2]);
  });

  it("orders by ETA, not by distance: a bike at 1 km beats a walker at 600 m", () => {
    const ranked = rank([responder(1, 600, 0), responder(2, 0, 1000, { transport: "bike" })]);
    expect(ids(ranked)).toEqual([2, 1]);
    expect(ranked[0]!.etaSeconds).toBe(386);
    expect(ranked[1]!.etaSeconds).toBe(624);
    expect(ranked[1]!.distanceMeters).toBe(600);
  });

  it("the radius widens when nobody is within 1.5 km", () => {
    const ranked = rank([responder(1, 2000, 0), responder(2, 0, -5000)]);
    expect(ids(ranked)).toEqual([1]);
    expect(ranked[0]!.distanceMeters).toBe(2000);
  });

  it("ETA bands beat distance steps: an e-bike at 1.6 km (7 min) is asked, not a walker at 1.4 km (24 min)", () => {
    const walker = responder(1, 1400, 0);
    const ebike = responder(2, 1600, 0, { transport: "ebike" });
    const ranked = rank([walker, ebike]);
    expect(ids(ranked)).toEqual([2]);
    expect(ranked[0]!.etaSeconds).toBe(432);
    // As first shipped, the first distance step (1.5 km) held only the walker and stopped there.
    const byDistance = rankCandidates(sos(), new ResponderIndex([walker, ebike]), NOW, {
      ...DEFAULT_MATCHING_OPTIONS,
      steps: { by: "distance", radiiMeters: [1500, 3000, 6000, 12000] },
    });
    expect(ids(byDistance)).toEqual([1]);
  });

  it("a later band is searched only when the first holds nobody", () => {
    // 24 min on foot: nobody within 15 min, so the 30-minute band answers.
    expect(ids(rank([responder(1, 1400, 0), responder(2, 3000, 0)]))).toEqual([1]);
  });

  it("nobody beyond the last band (an hour) is offered a case, even within range", () => {
    expect(rank([responder(1, 4000, 0)])).toEqual([]); // 69 min on foot
  });

  it("nobody within 12 km means no candidates: the case escalates", () => {
    expect(rank([responder(1, 13_000, 0, { transport: "car" })])).toEqual([]);
  });

  it("the paired volunteer is preferred when only a minute slower", () => {
    const need = sos(1, { pairedVolunteerId: 9 });
    const nearest = responder(1, 500, 0); // 520 s
    const paired = responder(9, 0, 560, { role: "volunteer", skills: ["first_aid"] }); // 582 s
    const ranked = rank([nearest, paired], need);
    expect(ids(ranked)).toEqual([9, 1]);
    expect(ranked[0]!.paired).toBe(true);
  });

  it("the paired volunteer is not preferred when five minutes slower", () => {
    const need = sos(1, { pairedVolunteerId: 9 });
    const paired = responder(9, 0, 800, { role: "volunteer", skills: ["first_aid"] }); // 831 s vs 520 s
    expect(ids(rank([responder(1, 500, 0), paired], need))).toEqual([1, 9]);
  });

  it("the paired volunteer leads even over a caregiver of the community who is a bit faster", () => {
    const need = sos(1, { pairedVolunteerId: 9 });
    const own = responder(1, 500, 0, { communityId: 1 });
    const paired = responder(9, 0, 650, { role: "volunteer", skills: ["first_aid"], communityId: 2 }); // +155 s
    expect(ids(rank([own, paired], need))).toEqual([9, 1]);
  });

  it("the paired volunteer from the next band still leads when within its preference", () => {
    const need = sos(1, { pairedVolunteerId: 9 });
    const nearest = responder(1, 820, 0); // 852 s: first band
    const paired = responder(9, -3000, 0, { role: "volunteer", skills: ["first_aid"], transport: "bike" }); // 1158 s
    expect(ids(rank([nearest, paired], need))).toEqual([1]); // 306 s slower: beyond the preference
    const closer = responder(9, -2500, 0, { role: "volunteer", skills: ["first_aid"], transport: "bike" }); // 965 s
    expect(ids(rank([nearest, closer], need))).toEqual([9, 1]);
  });

  it("with distance steps, the paired volunteer on an e-bike just beyond 1.5 km still leads a walker at 1 km", () => {
    const need = sos(1, { pairedVolunteerId: 9 });
    const paired = responder(9, -1800, 0, { role: "volunteer", skills: ["first_aid"], transport: "ebike" });
    const options = {
      ...DEFAULT_MATCHING_OPTIONS,
      steps: { by: "distance", radiiMeters: [1500, 3000] } as const,
    };
    const ranked = rankCandidates(need, new ResponderIndex([responder(1, 1000, 0), paired]), NOW, options);
    expect(ids(ranked)).toEqual([9, 1]); // 486 s vs 1039 s
  });

  it("a paired volunteer who cannot handle the case is not offered it", () => {
    const need = sos(1, { type: "fall", pairedVolunteerId: 9 });
    const paired = responder(9, 10, 0, { role: "volunteer", skills: ["companionship"] });
    expect(ids(rank([responder(1, 500, 0), paired], need))).toEqual([1]);
  });

  it("the community's own caregiver goes ahead of an outsider who is less than a minute faster", () => {
    const own = responder(1, 0, 540, { communityId: 1 }); // 561 s
    const outsider = responder(2, 500, 0, { communityId: 2 }); // 520 s
    const ranked = rank([outsider, own]);
    expect(ids(ranked)).toEqual([1, 2]);
    expect(ranked[0]!.sameCommunity).toBe(true);
    expect(ranked[1]!.sameCommunity).toBe(false);
  });

  it("but not ahead of an outsider who is two minutes faster", () => {
    const own = responder(1, 0, 620, { communityId: 1 }); // 644 s vs 520 s
    expect(ids(rank([responder(2, 500, 0, { communityId: 2 }), own]))).toEqual([2, 1]);
  });

  it("the community head start is for caregivers, not for grid workers of the same community", () => {
    const ownGridWorker = responder(1, 0, 540, { role: "grid_worker", communityId: 1 });
    expect(ids(rank([responder(2, 500, 0, { communityId: 2 }), ownGridWorker]))).toEqual([2, 1]);
  });

  it("returns at most ten candidates, best first", () => {
    const many = Array.from({ length: 30 }, (_, i) => responder(i + 1, 40 * (30 - i), 0));
    const ranked = rank(many);
    expect(ranked).toHaveLength(DEFAULT_MATCHING_OPTIONS.maxCandidates);
    expect(ids(ranked)).toEqual([30, 29, 28, 27, 26, 25, 24, 23, 22, 21]);
    const etas = ranked.map((c) => c.etaSeconds);
    expect(etas).toEqual([...etas].sort((a, b) => a - b));
  });

  it("ranking is deterministic: equal ETAs are ordered by id, whatever the input order", () => {
    const random = mulberry32(42);
    // Four responders on a circle of 700 m: identical ETAs.
    const ring = [4, 2, 3, 1].map((id, k) => {
      const angle = (k * Math.PI) / 2;
      return responder(id, 700 * Math.cos(angle), 700 * Math.sin(angle));
    });
    const others = Array.from({ length: 40 }, (_, i) =>
      responder(100 + i, (random() - 0.5) * 3000, (random() - 0.5) * 3000, { communityId: 1 + (i % 3) }),
    );
    const all = [...ring, ...others];
    const first = rank(all, sos(1, { pairedVolunteerId: 105 }));
    for (let round = 0; round < 5; round++) {
      const shuffled = [...all].sort(() => random() - 0.5);
      expect(rank(shuffled, sos(1, { pairedVolunteerId: 105 }))).toEqual(first);
    }
    const ringOnly = ids(rank(ring));
    expect(ringOnly).toEqual([1, 2, 3, 4]);
  });
});
