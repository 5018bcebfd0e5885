import { describe, expect, it } from "vitest";
import { ACCEPT_SLA, ARRIVAL_SLA, caseClocks, secondsUntil, slaLevel } from "../../console/src/lib/sla.ts";
import { caseSummary, iso, T0 } from "./console-fixtures.ts";

const at = (seconds: number) => T0 + seconds * 1000;

describe("SLA thresholds", () => {
  it("accept: green under 45 s, amber from 45 s, red from the 60 s target", () => {
    expect(slaLevel(0, ACCEPT_SLA)).toBe("ok");
    expect(slaLevel(44, ACCEPT_SLA)).toBe("ok");
    expect(slaLevel(45, ACCEPT_SLA)).toBe("amber");
    expect(slaLevel(59, ACCEPT_SLA)).toBe("amber");
    expect(slaLevel(60, ACCEPT_SLA)).toBe("red");
  });

  it("arrival: amber from 10 min, red from the 15 min target", () => {
    expect(slaLevel(599, ARRIVAL_SLA)).toBe("ok");
    expect(slaLevel(600, ARRIVAL_SLA)).toBe("amber");
    expect(slaLevel(899, ARRIVAL_SLA)).toBe("amber");
    expect(slaLevel(900, ARRIVAL_SLA)).toBe("red");
  });
});

describe("the clocks of a queue row", () => {
  it("a fresh SOS shows how long it waited and counts down to the accept and on-scene targets", () => {
    const clocks = caseClocks(caseSummary(1), at(50));
    expect(clocks.sincePress).toEqual({ seconds: 50, level: "none", running: true });
    expect(clocks.toAccept).toEqual({ seconds: 10, level: "amber", running: true });
    expect(clocks.toArrival).toEqual({ seconds: 850, level: "ok", running: true });
    expect(clocks.eta).toBeNull();
    // Three different numbers, not the same one three times.
    expect(
      new Set([clocks.sincePress.seconds, clocks.toAccept!.seconds, clocks.toArrival!.seconds]).size,
    ).toBe(3);
  });

  it("past the accept target the countdown goes negative and red", () => {
    expect(caseClocks(caseSummary(1), at(75)).toAccept).toEqual({
      seconds: -15,
      level: "red",
      running: true,
    });
  });

  it("once accepted: the accept time is frozen, the responder's ETA and the on-scene target count down", () => {
    const c = caseSummary(1, { status: "en_route", acceptedAt: iso(at(38)), etaSeconds: 420 });
    const clocks = caseClocks(c, at(5 * 60));
    expect(clocks.toAccept).toEqual({ seconds: 38, level: "ok", running: false });
    expect(clocks.eta).toEqual({ seconds: 38 + 420 - 300, level: "ok", running: true });
    expect(clocks.toArrival).toEqual({ seconds: 600, level: "ok", running: true });
  });

  it("the ETA clock is good news until the responder is late: amber once past it, red minutes later", () => {
    const c = caseSummary(1, { status: "en_route", acceptedAt: iso(at(30)), etaSeconds: 120 });
    expect(caseClocks(c, at(140)).eta).toEqual({ seconds: 10, level: "ok", running: true });
    expect(caseClocks(c, at(200)).eta).toEqual({ seconds: -50, level: "amber", running: true });
    expect(caseClocks(c, at(150 + 5 * 60)).eta).toEqual({ seconds: -300, level: "red", running: true });
  });

  it("a late arrival stays red after the fact, and the waiting clock stops at the door", () => {
    const c = caseSummary(1, { status: "on_scene", acceptedAt: iso(at(70)), arrivedAt: iso(at(16 * 60)) });
    const clocks = caseClocks(c, at(30 * 60));
    expect(clocks.toAccept?.level).toBe("red");
    expect(clocks.toArrival).toEqual({ seconds: 960, level: "red", running: false });
    expect(clocks.sincePress).toEqual({ seconds: 960, level: "none", running: false });
    expect(clocks.eta).toBeNull();
  });

  it("a case waiting for its follow-up counts down to the call, then shows it overdue", () => {
    const c = caseSummary(1, { status: "cancelled", cancelledAt: iso(at(60)), followUpDueAt: iso(at(1800)) });
    expect(caseClocks(c, at(1200)).followUp).toEqual({ seconds: 600, level: "ok", running: true });
    expect(caseClocks(c, at(1900)).followUp).toEqual({ seconds: -100, level: "red", running: true });
    expect(caseClocks(c, at(1900)).toAccept).toBeNull();
  });

  it("service requests are held to the accept target, not to the 15-minute arrival one", () => {
    const c = caseSummary(1, { kind: "service", type: "service_request", service: "meal", priority: 3 });
    const clocks = caseClocks(c, at(20 * 60));
    expect(clocks.toAccept?.level).toBe("red");
    expect(clocks.toArrival).toBeNull();
  });

  it("technical cases only show how long they have been waiting", () => {
    const clocks = caseClocks(caseSummary(1, { kind: "technical", type: "device_offline" }), at(3600));
    expect(clocks).toEqual({
      sincePress: { seconds: 3600, level: "none", running: true },
      toAccept: null,
      eta: null,
      toArrival: null,
      followUp: null,
    });
  });

  it("a device clock slightly ahead of ours never shows negative waiting time", () => {
    const c = caseSummary(1, { createdAt: iso(at(3)) });
    expect(caseClocks(c, at(0)).sincePress.seconds).toBe(0);
  });
});

describe("offer countdown", () => {
  it("counts whole seconds up to the deadline, then goes negative", () => {
    expect(secondsUntil(iso(at(60)), at(0))).toBe(60);
    expect(secondsUntil(iso(at(60)), at(59.2))).toBe(1);
    expect(secondsUntil(iso(at(60)), at(61))).toBe(-1);
  });
});
