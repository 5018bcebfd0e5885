import { describe, expect, it } from "vitest";
import type { DeviceSummary, ResponderSummary } from "../../protocol/api.ts";
import { createCoalescer, type Scheduler } from "../../console/src/lib/coalesce.ts";
import { applyDeltas, emptyEntities, type Delta } from "../../console/src/lib/deltas.ts";
import { caseSummary, iso, T0 } from "./console-fixtures.ts";

/** A hand-cranked animation frame. */
function manualFrames(): { schedule: Scheduler; tick: () => void; scheduled: () => number } {
  let pending: (() => void) | null = null;
  let count = 0;
  return {
    schedule: (flush) => {
      pending = flush;
      count++;
      return () => {
        pending = null;
      };
    },
    tick: () => {
      const f = pending;
      pending = null;
      f?.();
    },
    scheduled: () => count,
  };
}

function responder(id: number, over: Partial<ResponderSummary> = {}): ResponderSummary {
  return {
    id,
    name: `照护员${id}`,
    phone: "13800000000",
    role: "caregiver",
    skills: ["first_aid"],
    transport: "ebike",
    communityId: 1,
    onDuty: true,
    activity: "idle",
    caseId: null,
    lat: 34.36,
    lng: 107.2,
    locationAt: iso(T0),
    phoneState: "live",
    lastSeenAt: iso(T0),
    ...over,
  };
}

describe("coalescing realtime bursts", () => {
  it("a burst of a thousand deltas becomes one store update in the next frame", () => {
    const frames = manualFrames();
    const batches: number[][] = [];
    const c = createCoalescer<number>((b) => batches.push(b), frames.schedule);
    for (let i = 0; i < 1000; i++) c.push(i);
    expect(batches).toHaveLength(0);
    expect(frames.scheduled()).toBe(1);
    frames.tick();
    expect(batches).toHaveLength(1);
    expect(batches[0]).toHaveLength(1000);
    expect(batches[0]?.[999]).toBe(999);
  });

  it("the next burst waits for the next frame", () => {
    const frames = manualFrames();
    const batches: number[][] = [];
    const c = createCoalescer<number>((b) => batches.push(b), frames.schedule);
    c.push(1);
    frames.tick();
    c.push(2);
    c.push(3);
    frames.tick();
    expect(batches).toEqual([[1], [2, 3]]);
    expect(frames.scheduled()).toBe(2);
  });

  it("flush applies at once; clear drops what is queued", () => {
    const frames = manualFrames();
    const batches: number[][] = [];
    const c = createCoalescer<number>((b) => batches.push(b), frames.schedule);
    c.push(1);
    c.flush();
    expect(batches).toEqual([[1]]);
    c.push(2);
    c.clear();
    frames.tick();
    expect(batches).toEqual([[1]]);
    expect(c.pending).toBe(0);
  });
});

describe("applying a batch of deltas", () => {
  it("the last position of each responder wins, in one new map", () => {
    const start = applyDeltas(emptyEntities(), [{ type: "responder", value: responder(1) }]);
    const batch: Delta[] = [];
    for (let i = 1; i <= 50; i++)
      batch.push({ type: "responder", value: responder(1, { lat: 34.36 + i / 1000 }) });
    const next = applyDeltas(start, batch);
    expect(next.responders.get(1)?.lat).toBeCloseTo(34.41);
    expect(next.responders).not.toBe(start.responders);
    // Untouched slices keep their identity so React skips their components.
    expect(next.cases).toBe(start.cases);
    expect(next.offers).toBe(start.offers);
  });

  it("an older case update arriving late does not roll the case back", () => {
    const accepted = caseSummary(1, { status: "accepted", updatedAt: iso(T0 + 20_000) });
    const stale = caseSummary(1, { status: "offered", updatedAt: iso(T0 + 10_000) });
    const s = applyDeltas(emptyEntities(), [
      { type: "case", value: accepted },
      { type: "case", value: stale },
    ]);
    expect(s.cases.get(1)?.status).toBe("accepted");
  });

  it("a closed case leaves the store; a closed case never seen is not added", () => {
    const open = applyDeltas(emptyEntities(), [{ type: "case", value: caseSummary(1) }]);
    const closed = applyDeltas(open, [
      { type: "case", value: caseSummary(1, { status: "closed", updatedAt: iso(T0 + 1000) }) },
      { type: "case", value: caseSummary(2, { status: "closed" }) },
    ]);
    expect([...closed.cases.keys()]).toEqual([]);
  });

  it("an offer disappears when it is withdrawn or its case moves on", () => {
    const c = caseSummary(9, { status: "offered" });
    const offer = (id: number) => ({
      id,
      caseId: 9,
      responderId: 1,
      responderName: "照护员1",
      status: "pending" as const,
      etaSeconds: 300,
      distanceMeters: 900,
      createdAt: iso(T0),
      deadline: iso(T0 + 60_000),
      case: c,
    });
    const s1 = applyDeltas(emptyEntities(), [
      { type: "offer", value: offer(1) },
      { type: "offer", value: offer(2) },
    ]);
    const s2 = applyDeltas(s1, [
      { type: "offer:withdrawn", value: { offerId: 1, caseId: 9, reason: "taken" } },
    ]);
    expect([...s2.offers.keys()]).toEqual([2]);
    expect(s2.withdrawn.at(-1)?.reason).toBe("taken");
    const s3 = applyDeltas(s2, [
      { type: "case", value: caseSummary(9, { status: "accepted", updatedAt: iso(T0 + 5000) }) },
    ]);
    expect(s3.offers.size).toBe(0);
  });

  it("device deltas refresh rows already loaded and ignore the rest", () => {
    const device: DeviceSummary = {
      id: "dev-1",
      residentId: 1,
      residentPhone: "13800000000",
      residentName: "居民1",
      communityId: 1,
      communityName: "经二路社区",
      kind: "wall_button",
      online: true,
      battery: 80,
      signal: 70,
      lastSeenAt: iso(T0),
      lastTestAt: null,
      rejectedEvents: 0,
      lastRejectedAt: null,
      lastRejectReason: null,
    };
    const loaded = { ...emptyEntities(), devices: new Map([[device.id, device]]) };
    const s = applyDeltas(loaded, [
      { type: "device", value: { ...device, online: false } },
      { type: "device", value: { ...device, id: "dev-2" } },
    ]);
    expect(s.devices.get("dev-1")?.online).toBe(false);
    expect(s.devices.has("dev-2")).toBe(false);
  });
});
