// Response-time KPIs and the CSV export, against hand-computed expectations. The rule under test:
// a cancelled emergency needed nobody, so it counts in neither the numerator nor the denominator
// of a percentage, nor in a median; an escalated or never-accepted one counts against the target.
import { describe, expect, it } from "vitest";
import type { Kpi } from "../../protocol/index.ts";
import {
  computeKpis,
  summarizeTimings,
  type CaseTiming,
  type KpiCall,
  type KpiCase,
  type KpiEvent,
} from "../../dispatcher/kpi/kpis.ts";
import { startOfDay } from "../../protocol/time.ts";
import { toCsv } from "../../dispatcher/kpi/csv.ts";
import { CSV_TEXTS } from "../../dispatcher/kpi/csv-texts.ts";

const FROM = Date.UTC(2026, 10, 23, 0, 0, 0); // 2026-11-23T00:00:00Z
const TO = FROM + 86_400_000;
const at = (seconds: number) => FROM + 3600_000 + seconds * 1000; // cases start at 01:00Z

interface Spec {
  kind?: "emergency" | "service" | "technical";
  status?: CaseTiming["status"];
  escalated?: boolean;
  /** Seconds after creation; null = never. */
  accepted?: number | null;
  arrived?: number | null;
  resolved?: number | null;
}

let nextId = 1;
function timing(s: Spec): CaseTiming {
  const kind = s.kind ?? "emergency";
  const sec = (v: number | null | undefined) => (v === null || v === undefined ? null : at(v));
  return {
    caseId: nextId++,
    type: kind === "emergency" ? "sos" : kind === "service" ? "service_request" : "low_battery",
    kind,
    status: s.status ?? "closed",
    escalated: s.escalated ?? false,
    residentName: "王秀英",
    communityName: "经二路社区",
    createdAt: at(0),
    acceptedAt: sec(s.accepted),
    arrivedAt: sec(s.arrived),
    resolvedAt: sec(s.resolved),
  };
}

const EMPTY: Omit<Kpi, "from" | "to" | "openEscalations"> = {
  alarms: 0,
  emergencies: 0,
  serviceRequests: 0,
  acceptedWithin60sPct: null,
  onSceneWithin15minPct: null,
  onSceneWithin45minPct: null,
  medianAcceptSeconds: null,
  medianOnSceneSeconds: null,
};

describe("summarizeTimings", () => {
  const table: [string, Spec[], Partial<Kpi>][] = [
    ["no cases at all", [], {}],
    [
      "one emergency accepted in 30 s, at the door in 10 min",
      [{ accepted: 30, arrived: 600, resolved: 1500 }],
      {
        alarms: 1,
        emergencies: 1,
        acceptedWithin60sPct: 100,
        onSceneWithin15minPct: 100,
        onSceneWithin45minPct: 100,
        medianAcceptSeconds: 30,
        medianOnSceneSeconds: 600,
      },
    ],
    [
      "two emergencies accepted within a minute, one of them then cancelled: 100 %, not 200 %",
      [
        { accepted: 20, status: "cancelled" },
        { accepted: 40, arrived: 700 },
      ],
      {
        alarms: 2,
        emergencies: 2,
        acceptedWithin60sPct: 100,
        onSceneWithin15minPct: 100,
        onSceneWithin45minPct: 100,
        medianAcceptSeconds: 40,
        medianOnSceneSeconds: 700,
      },
    ],
    [
      "a cancelled emergency accepted fast does not hide a slow one",
      [
        { accepted: 20, status: "cancelled" },
        { accepted: 90, arrived: 1200 },
      ],
      {
        alarms: 2,
        emergencies: 2,
        acceptedWithin60sPct: 0,
        onSceneWithin15minPct: 0,
        onSceneWithin45minPct: 100,
        medianAcceptSeconds: 90,
        medianOnSceneSeconds: 1200,
      },
    ],
    [
      "only a cancelled emergency: nothing to measure",
      [{ accepted: null, status: "cancelled" }],
      { alarms: 1, emergencies: 1 },
    ],
    [
      "a never-accepted (escalated) emergency counts against every target",
      [
        { accepted: 30, arrived: 300 },
        { accepted: null, arrived: null, escalated: true, status: "resolved" },
      ],
      {
        alarms: 2,
        emergencies: 2,
        acceptedWithin60sPct: 50,
        onSceneWithin15minPct: 50,
        onSceneWithin45minPct: 50,
        medianAcceptSeconds: 30,
        medianOnSceneSeconds: 300,
      },
    ],
    [
      "escalated, then accepted late and at the door after 30 min",
      [{ accepted: 240, arrived: 1800, escalated: true }],
      {
        alarms: 1,
        emergencies: 1,
        acceptedWithin60sPct: 0,
        onSceneWithin15minPct: 0,
        onSceneWithin45minPct: 100,
        medianAcceptSeconds: 240,
        medianOnSceneSeconds: 1800,
      },
    ],
    [
      "exactly 60 s and exactly 15 min still meet the target",
      [{ accepted: 60, arrived: 900 }],
      {
        alarms: 1,
        emergencies: 1,
        acceptedWithin60sPct: 100,
        onSceneWithin15minPct: 100,
        onSceneWithin45minPct: 100,
        medianAcceptSeconds: 60,
        medianOnSceneSeconds: 900,
      },
    ],
    [
      "one in three, rounded to a tenth; the median of an even count is the mean of the middle two",
      [
        { accepted: 10, arrived: 100 },
        { accepted: 61, arrived: 200 },
        { accepted: 70, arrived: 1000 },
        { accepted: 80, arrived: 3000, status: "cancelled" },
      ],
      {
        alarms: 4,
        emergencies: 4,
        acceptedWithin60sPct: 33.3,
        onSceneWithin15minPct: 66.7,
        onSceneWithin45minPct: 100,
        medianAcceptSeconds: 61,
        medianOnSceneSeconds: 200,
      },
    ],
    [
      "even count: median accept of 10, 20, 30, 50 s is 25 s",
      [{ accepted: 10 }, { accepted: 20 }, { accepted: 30 }, { accepted: 50 }],
      {
        alarms: 4,
        emergencies: 4,
        acceptedWithin60sPct: 100,
        onSceneWithin15minPct: 0,
        onSceneWithin45minPct: 0,
        medianAcceptSeconds: 25,
      },
    ],
    [
      "service requests are alarms but not emergencies; technical cases are neither",
      [
        { kind: "service", accepted: 600, arrived: 3000 },
        { kind: "technical" },
        { accepted: 45, arrived: 500 },
      ],
      {
        alarms: 2,
        emergencies: 1,
        serviceRequests: 1,
        acceptedWithin60sPct: 100,
        onSceneWithin15minPct: 100,
        onSceneWithin45minPct: 100,
        medianAcceptSeconds: 45,
        medianOnSceneSeconds: 500,
      },
    ],
  ];

  it.each(table)("%s", (_name, specs, expected) => {
    const kpi = summarizeTimings(specs.map(timing), 3, FROM, TO);
    expect(kpi).toEqual({
      ...EMPTY,
      ...expected,
      from: "2026-11-23T00:00:00.000Z",
      to: "2026-11-24T00:00:00.000Z",
      openEscalations: 3,
    });
  });
});

describe("computeKpis from the case event log", () => {
  const kase = (caseId: number, over: Partial<KpiCase> = {}): KpiCase => ({
    caseId,
    type: "sos",
    kind: "emergency",
    status: "closed",
    escalated: false,
    residentName: `resident ${caseId}`,
    communityName: "西关社区",
    createdAt: at(0),
    ...over,
  });
  const ev = (caseId: number, type: string, seconds: number): KpiEvent => ({ caseId, type, at: at(seconds) });

  const table: [string, KpiCase[], KpiEvent[], Partial<Kpi>][] = [
    [
      "the accept clock stops at the first accept or staff assignment, not at a reassignment",
      [kase(1), kase(2)],
      [
        ev(1, "created", 0),
        ev(1, "offered", 1),
        ev(1, "declined", 20),
        ev(1, "assigned", 45),
        ev(1, "reassigned", 100),
        ev(1, "arrived", 800),
        ev(2, "created", 0),
        ev(2, "accepted", 70),
        ev(2, "accepted", 75),
        ev(2, "arrived", 2000),
      ],
      {
        alarms: 2,
        emergencies: 2,
        acceptedWithin60sPct: 50,
        onSceneWithin15minPct: 50,
        onSceneWithin45minPct: 100,
        medianAcceptSeconds: 57.5,
        medianOnSceneSeconds: 1400,
      },
    ],
    [
      "a cancelled case is left out; a never-accepted escalated one counts against the target",
      [kase(1, { status: "cancelled" }), kase(2, { escalated: true }), kase(3)],
      [
        ev(1, "created", 0),
        ev(1, "accepted", 10),
        ev(1, "cancelled", 30),
        ev(2, "created", 0),
        ev(2, "escalated", 180),
        ev(2, "resolved", 1200),
        ev(3, "created", 0),
        ev(3, "accepted", 50),
        ev(3, "arrived", 600),
      ],
      {
        alarms: 3,
        emergencies: 3,
        acceptedWithin60sPct: 50,
        onSceneWithin15minPct: 50,
        onSceneWithin45minPct: 50,
        medianAcceptSeconds: 50,
        medianOnSceneSeconds: 600,
      },
    ],
  ];

  it.each(table)("%s", (_name, cases, events, expected) => {
    expect(computeKpis({ cases, events, openEscalations: 1 }, { from: FROM, to: TO })).toEqual({
      ...EMPTY,
      ...expected,
      from: new Date(FROM).toISOString(),
      to: new Date(TO).toISOString(),
      openEscalations: 1,
    });
  });
});

describe("the CSV export", () => {
  it("has one line per case with its times and seconds to accept and to the door", () => {
    nextId = 41;
    const rows = [
      timing({ accepted: 30.4, arrived: 600.6, resolved: 1500 }),
      {
        ...timing({ accepted: null, escalated: true, status: "resolved" }),
        residentName: 'Li "Old" Wang, Jr.',
      },
      timing({ kind: "technical", status: "new" }),
    ];
    const calls: KpiCall[] = [
      {
        caseId: 41,
        at: Date.parse("2026-11-23T01:00:05Z"),
        direction: "inbound",
        party: "family",
        number: "13912345678",
        outcome: "reached",
      },
      {
        caseId: 41,
        at: Date.parse("2026-11-23T01:30:00Z"),
        direction: "outbound",
        party: "resident",
        number: null,
        outcome: "no_answer",
      },
    ];
    const csv = toCsv(rows, calls, CSV_TEXTS["zh-CN"], "Asia/Shanghai");
    expect(csv.startsWith("\uFEFF")).toBe(true); // Excel opens UTF-8 Chinese correctly only with a BOM
    // Headers and values in the UI language; times on the platform's clock, with its offset.
    expect(csv.slice(1).split("\n")).toEqual([
      "呼叫编号,类型,类别,状态,是否升级,老人,社区,呼叫时间,接单时间,到场时间,处置完成时间,接单用时（秒）,到场用时（秒）,通话记录",
      "41,紧急呼叫,紧急,已结案,否,王秀英,经二路社区,2026-11-23 09:00:00+08:00,2026-11-23 09:00:30+08:00,2026-11-23 09:10:00+08:00,2026-11-23 09:25:00+08:00,30,601,2026-11-23 09:00:05+08:00 来电 家属 13912345678 已接通; 2026-11-23 09:30:00+08:00 去电 居民本人 无人接听",
      '42,紧急呼叫,紧急,已处置,是,"Li ""Old"" Wang, Jr.",经二路社区,2026-11-23 09:00:00+08:00,,,,,,',
      "43,设备电量低,技术,新呼叫,否,王秀英,经二路社区,2026-11-23 09:00:00+08:00,,,,,,",
      "",
    ]);
  });

  it("speaks English when asked, and any zone's offset", () => {
    nextId = 7;
    const call: KpiCall = {
      caseId: 7,
      at: Date.parse("2026-11-23T01:00:05Z"),
      direction: "outbound",
      party: "ambulance_120",
      number: "120",
      outcome: "reached",
    };
    const [header, line] = toCsv([timing({ accepted: 12 })], [call], CSV_TEXTS.en, "America/New_York")
      .slice(1)
      .split("\n");
    expect(header).toBe(
      "Case,Type,Kind,Status,Escalated,Resident,Community,Called at,Accepted at,Arrived at,Resolved at,Time to accept (s),Time to arrive (s),Calls",
    );
    expect(line).toBe(
      "7,SOS,Emergency,Closed,No,王秀英,经二路社区,2026-11-22 20:00:00-05:00,2026-11-22 20:00:12-05:00,,,12,,2026-11-22 20:00:05-05:00 Outgoing Ambulance (120) 120 Reached",
    );
  });

  it("is just the header for no cases", () => {
    expect(toCsv([], [], CSV_TEXTS["zh-CN"], "Asia/Shanghai").slice(1).split("\n")).toHaveLength(2);
  });
});

describe("the default report day", () => {
  it.each([
    // 23:00 in Shanghai on the 23rd (15:00Z) is still the 23rd there.
    [Date.UTC(2026, 10, 23, 15, 0), "Asia/Shanghai", Date.UTC(2026, 10, 22, 16, 0)],
    // 01:00 in Shanghai on the 24th (17:00Z on the 23rd) is already the 24th.
    [Date.UTC(2026, 10, 23, 17, 0), "Asia/Shanghai", Date.UTC(2026, 10, 23, 16, 0)],
    [Date.UTC(2026, 10, 23, 17, 30, 12, 345), "UTC", Date.UTC(2026, 10, 23)],
  ])("starts at midnight in the platform's time zone (%i, %s)", (at, zone, midnight) => {
    expect(startOfDay(at, zone)).toBe(midnight);
  });
});
