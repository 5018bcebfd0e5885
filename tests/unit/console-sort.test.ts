import { describe, expect, it } from "vitest";
import { compareQueue, groupQueue, isUnackedEmergency } from "../../console/src/lib/queue.ts";
import { caseSummary, iso, T0 } from "./console-fixtures.ts";

const ids = (list: { id: number }[]) => list.map((c) => c.id);

describe("the case queue order", () => {
  it("puts the most urgent priority first, whatever the waiting time", () => {
    const oldService = caseSummary(1, {
      kind: "service",
      type: "service_request",
      priority: 3,
      createdAt: iso(T0),
    });
    const freshSos = caseSummary(2, { priority: 1, createdAt: iso(T0 + 600_000) });
    const fall = caseSummary(3, { type: "fall", priority: 2, createdAt: iso(T0 + 60_000) });
    expect(ids(groupQueue([oldService, freshSos, fall]).active)).toEqual([2, 3, 1]);
  });

  it("within one priority, the one waiting longest comes first", () => {
    const a = caseSummary(1, { createdAt: iso(T0 + 30_000) });
    const b = caseSummary(2, { createdAt: iso(T0) });
    const c = caseSummary(3, { createdAt: iso(T0 + 10_000) });
    expect(ids(groupQueue([a, b, c]).active)).toEqual([2, 3, 1]);
  });

  it("breaks exact ties by id so rows never jump around", () => {
    const a = caseSummary(7);
    const b = caseSummary(3);
    expect(compareQueue(a, b)).toBeGreaterThan(0);
    expect(ids(groupQueue([a, b]).active)).toEqual([3, 7]);
  });

  it("shows technical cases in their own section, even a priority-1 one", () => {
    const offline = caseSummary(1, { kind: "technical", type: "device_offline", priority: 1 });
    const service = caseSummary(2, { kind: "service", type: "service_request", priority: 4 });
    const q = groupQueue([offline, service]);
    expect(ids(q.active)).toEqual([2]);
    expect(ids(q.technical)).toEqual([1]);
  });

  it("keeps resolved and cancelled cases apart until the follow-up call closes them", () => {
    const resolved = caseSummary(1, { status: "resolved" });
    const cancelled = caseSummary(2, { status: "cancelled", createdAt: iso(T0 - 1000) });
    const open = caseSummary(3, { status: "en_route", priority: 2 });
    const closed = caseSummary(4, { status: "closed" });
    const q = groupQueue([resolved, cancelled, open, closed]);
    expect(ids(q.active)).toEqual([3]);
    expect(ids(q.followUp)).toEqual([2, 1]);
    expect([...q.active, ...q.followUp, ...q.technical].some((c) => c.id === 4)).toBe(false);
  });
});

describe("which cases sound the alarm", () => {
  it("an emergency nobody acknowledged, while it still waits for a responder", () => {
    expect(isUnackedEmergency(caseSummary(1))).toBe(true);
    expect(isUnackedEmergency(caseSummary(1, { status: "offered" }))).toBe(true);
  });

  it("stops sounding once a responder has accepted it, acknowledged or not", () => {
    expect(isUnackedEmergency(caseSummary(1, { status: "accepted" }))).toBe(false);
    expect(isUnackedEmergency(caseSummary(1, { status: "en_route" }))).toBe(false);
  });

  it("not once staff acknowledged it, nor after it is resolved or cancelled", () => {
    expect(isUnackedEmergency(caseSummary(1, { staffAckAt: iso(T0 + 5000) }))).toBe(false);
    expect(isUnackedEmergency(caseSummary(1, { status: "resolved" }))).toBe(false);
    expect(isUnackedEmergency(caseSummary(1, { status: "cancelled" }))).toBe(false);
  });

  it("never for service requests or device health", () => {
    expect(isUnackedEmergency(caseSummary(1, { kind: "service", type: "service_request" }))).toBe(false);
    expect(isUnackedEmergency(caseSummary(1, { kind: "technical", type: "low_battery" }))).toBe(false);
  });
});
