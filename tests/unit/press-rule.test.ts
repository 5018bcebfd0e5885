// The press rule: what a device event means for the resident's open cases.
import { describe, expect, it } from "vitest";
import type { CaseType, DeviceEventType } from "../../protocol/index.ts";
import { decidePress, type OpenCase, type PressDecision } from "../../dispatcher/cases/press-rule.ts";

const emergency = (id: number, type: CaseType = "sos"): OpenCase => ({ id, kind: "emergency", type });
const service = (id: number): OpenCase => ({ id, kind: "service", type: "service_request" });
const technical = (id: number): OpenCase => ({ id, kind: "technical", type: "low_battery" });

const table: [string, DeviceEventType, OpenCase[], PressDecision][] = [
  ["a first sos opens an emergency", "sos", [], { action: "open", type: "sos", outcome: "created" }],
  ["a fall opens an emergency", "fall", [technical(3)], { action: "open", type: "fall", outcome: "created" }],
  [
    "a second press joins the open emergency",
    "sos",
    [emergency(7)],
    { action: "join", caseId: 7, press: "sos", outcome: "joined" },
  ],
  [
    "a fall while an sos is open joins it too",
    "fall",
    [emergency(7), service(9)],
    { action: "join", caseId: 7, press: "fall", outcome: "joined" },
  ],
  [
    "the newest emergency is the one joined",
    "sos",
    [emergency(4), emergency(12), emergency(8)],
    { action: "join", caseId: 12, press: "sos", outcome: "joined" },
  ],
  [
    "an open service request does not absorb an emergency",
    "sos",
    [service(5)],
    { action: "open", type: "sos", outcome: "created" },
  ],
  [
    "a service request is a request for a service order, even while an emergency is open",
    "service_request",
    [emergency(5)],
    { action: "request" },
  ],
  [
    "a second service request is the order feature's to join, never a case",
    "service_request",
    [emergency(5), service(6)],
    { action: "request" },
  ],
  [
    "cancel targets the open emergency first",
    "cancel",
    [service(11), emergency(10)],
    { action: "cancel", caseId: 10, outcome: "cancelled" },
  ],
  [
    "cancel targets the open service case when there is no emergency",
    "cancel",
    [technical(2), service(11)],
    { action: "cancel", caseId: 11, outcome: "cancelled" },
  ],
  [
    "cancel with nothing to cancel is only logged",
    "cancel",
    [technical(2)],
    { action: "note", caseId: null, outcome: "logged", reason: "no open case to cancel" },
  ],
  [
    "low battery opens one technical case",
    "low_battery",
    [emergency(3)],
    { action: "open", type: "low_battery", outcome: "logged" },
  ],
  [
    "low battery is noted on the technical case already open",
    "low_battery",
    [technical(3)],
    { action: "note", caseId: 3, outcome: "logged" },
  ],
  ["a test press only stamps the device", "test", [], { action: "stamp_test", outcome: "logged" }],
  [
    "a test press never touches an open case",
    "test",
    [emergency(1), service(2), technical(3)],
    { action: "stamp_test", outcome: "logged" },
  ],
  // home sensors
  [
    "smoke opens a case of its own even while an sos is open",
    "smoke",
    [emergency(4)],
    { action: "open", type: "smoke", outcome: "created" },
  ],
  [
    "a repeated gas alarm joins the open gas case",
    "gas",
    [emergency(4), emergency(6, "gas")],
    { action: "join", caseId: 6, press: "gas", outcome: "joined" },
  ],
  [
    "a water leak opens its case",
    "water_leak",
    [],
    { action: "open", type: "water_leak", outcome: "created" },
  ],
  [
    "a pendant cancel never cancels a fire alarm",
    "cancel",
    [emergency(8, "smoke")],
    { action: "note", caseId: null, outcome: "logged", reason: "no open case to cancel" },
  ],
  [
    "the resident's cancel answers a welfare check (they are up)",
    "cancel",
    [emergency(8, "smoke"), emergency(5, "welfare_check")],
    { action: "cancel", caseId: 5, outcome: "cancelled" },
  ],
  ["motion is only logged", "motion", [emergency(3)], { action: "note", caseId: null, outcome: "logged" }],
  ["no-motion is only logged", "no_motion", [], { action: "note", caseId: null, outcome: "logged" }],
  [
    "a door opening the door rule does not flag is only logged",
    "door_open",
    [],
    { action: "note", caseId: null, outcome: "logged" },
  ],
  [
    "an I'm-OK press is only logged, even with a case open",
    "check_in",
    [emergency(1)],
    { action: "note", caseId: null, outcome: "logged" },
  ],
];

describe("decidePress", () => {
  it.each(table)("%s", (_name, eventType, open, expected) => {
    expect(decidePress(eventType, open)).toEqual(expected);
  });

  it("a door opening the door rule flags opens a door alert, or joins the open one", () => {
    expect(decidePress("door_open", [emergency(2)], { doorWarning: true })).toEqual({
      action: "open",
      type: "door_alert",
      outcome: "created",
    });
    expect(decidePress("door_open", [emergency(3, "door_alert")], { doorWarning: true })).toEqual({
      action: "join",
      caseId: 3,
      press: "door_alert",
      outcome: "joined",
    });
  });

  it("does not depend on the order the open cases come in", () => {
    const open = [emergency(2), service(9), emergency(5), technical(1)];
    for (const type of ["sos", "cancel", "service_request", "low_battery"] as const) {
      expect(decidePress(type, [...open].reverse())).toEqual(decidePress(type, open));
    }
  });
});
