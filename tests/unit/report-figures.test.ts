// Report figures from hand-made events: every expectation below is worked out by hand.
import { describe, expect, it } from "vitest";
import {
  bucketOf,
  bucketsBetween,
  figures,
  groupFigures,
  percentile,
  type ReportCase,
  type ReportEvent,
} from "../../dispatcher/reports/figures.ts";

const TZ = "Asia/Shanghai";
const bj = (s: string) => Date.parse(`${s}+08:00`);
const T0 = bj("2026-12-07T09:00:00");
const S = 1000;

const c = (caseId: number, more: Partial<ReportCase> = {}): ReportCase => ({
  caseId,
  type: "sos",
  kind: "emergency",
  status: "closed",
  escalated: false,
  communityId: 1,
  gridId: 10,
  responderId: 100,
  createdAt: T0,
  ...more,
});
const e = (caseId: number, type: string, afterSeconds: number): ReportEvent => ({
  caseId,
  type,
  at: T0 + afterSeconds * S,
});

// Case 1: offered at 5 s, accepted at 40 s, on scene at 600 s (10 min).
// Case 2: offered at 10 s, accepted at 90 s, on scene at 1500 s (25 min); escalated.
// Case 3: a fall, offered at 2 s, assigned by staff at 20 s, never arrived.
// Case 4: cancelled (false alarm): left out of response figures.
// Case 5: a technical case: not an alarm.
// Case 6: a service request in community 2.
const cases = [
  c(1),
  c(2, { escalated: true, responderId: 101 }),
  c(3, { type: "fall" }),
  c(4, { status: "cancelled", responderId: null }),
  c(5, { type: "device_offline", kind: "technical", responderId: null }),
  c(6, { type: "service_request", kind: "service", communityId: 2, gridId: 20, responderId: 102 }),
];
const events = [
  e(1, "offered", 5),
  e(1, "accepted", 40),
  e(1, "arrived", 600),
  e(2, "offered", 10),
  e(2, "offered", 70), // a second round: the first offer counts
  e(2, "accepted", 90),
  e(2, "arrived", 1500),
  e(3, "offered", 2),
  e(3, "assigned", 20),
  e(4, "offered", 3),
];
const service = [
  { responderId: 102, communityId: 2, gridId: 20, at: T0, minutes: 90 },
  { responderId: 100, communityId: 1, gridId: 10, at: T0, minutes: 45 },
];

describe("nearest-rank percentiles", () => {
  it.each([
    [[], 50, null],
    [[7], 90, 7],
    [[30, 90], 50, 30],
    [[30, 90], 90, 90],
    [[5, 1, 4, 2, 3], 50, 3],
    [[5, 1, 4, 2, 3], 90, 5],
  ] as const)("%j p%d = %s", (values, p, expected) => {
    expect(percentile(values, p)).toBe(expected);
  });
});

describe("report figures", () => {
  it("the whole selection", () => {
    expect(figures(cases, events, service)).toEqual({
      alarms: 5, // 1, 2, 3, 4, 6
      byType: { sos: 3, fall: 1, service_request: 1 },
      falseAlarms: 1,
      escalations: 1,
      // dispatched emergencies 1, 2, 3: offers at 5, 10, 2 s → sorted 2, 5, 10
      pressToOfferP50: 5,
      pressToOfferP90: 10,
      // takes at 40, 90, 20 s → 20, 40, 90
      pressToAcceptP50: 40,
      pressToAcceptP90: 90,
      // arrivals at 600, 1500 s (case 3 never arrived)
      pressToSceneP50: 600,
      pressToSceneP90: 1500,
      acceptedWithin60sPct: 66.7, // 40 and 20 of 3
      onSceneWithin15minPct: 33.3, // 600 of 3
      onSceneWithin45minPct: 66.7, // 600 and 1500 of 3
      deviceProblems: 1,
      serviceHours: 2.25, // 90 + 45 minutes
    });
  });

  it("per community", () => {
    const byCommunity = groupFigures(
      { cases, events, service },
      { case: (x) => x.communityId, service: (s) => s.communityId },
    );
    expect([...byCommunity.keys()].sort()).toEqual([1, 2]);
    expect(byCommunity.get(2)).toMatchObject({
      alarms: 1,
      byType: { service_request: 1 },
      serviceHours: 1.5,
      pressToAcceptP50: null,
    });
    expect(byCommunity.get(1)).toMatchObject({ alarms: 4, falseAlarms: 1, serviceHours: 0.75 });
  });

  it("per responder: the cases each took, and their service hours", () => {
    const byResponder = groupFigures(
      { cases, events, service },
      { case: (x) => x.responderId, service: (s) => s.responderId },
    );
    expect(byResponder.get(100)).toMatchObject({ alarms: 2, pressToAcceptP50: 20, serviceHours: 0.75 }); // cases 1 and 3
    expect(byResponder.get(101)).toMatchObject({ alarms: 1, escalations: 1, pressToSceneP50: 1500 });
    expect(byResponder.get(102)).toMatchObject({ alarms: 1, serviceHours: 1.5 });
  });
});

describe("periods on the platform's calendar", () => {
  it("a late evening in Beijing is still that day; weeks start on Monday", () => {
    expect(bucketOf(bj("2026-12-07T23:30:00"), "day", TZ)).toBe("2026-12-07");
    expect(bucketOf(bj("2026-12-13T23:30:00"), "week", TZ)).toBe("2026-12-07"); // Sunday → its Monday
    expect(bucketOf(bj("2026-12-14T00:10:00"), "week", TZ)).toBe("2026-12-14");
    expect(bucketOf(bj("2026-12-31T23:59:00"), "month", TZ)).toBe("2026-12");
  });

  it("every bucket of a range, empty ones too", () => {
    expect(bucketsBetween("2026-12-05", "2026-12-08", "day", TZ)).toEqual([
      "2026-12-05",
      "2026-12-06",
      "2026-12-07",
      "2026-12-08",
    ]);
    expect(bucketsBetween("2026-12-05", "2026-12-15", "week", TZ)).toEqual([
      "2026-11-30",
      "2026-12-07",
      "2026-12-14",
    ]);
    expect(bucketsBetween("2026-11-20", "2027-01-02", "month", TZ)).toEqual([
      "2026-11",
      "2026-12",
      "2027-01",
    ]);
  });
});
