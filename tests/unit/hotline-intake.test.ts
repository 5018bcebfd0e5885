// The hotline's words and rules: which kind and urgency each case type has, what a call record
// says, which open case a call joins, who may be sent, and what the intake refuses at the edge.
import { describe, expect, it } from "vitest";
import { CASE_TYPES, INTAKE_CASE_TYPES, IntakeRequestSchema, isDispatchable } from "../../protocol/index.ts";
import { callRecordOf } from "../../dispatcher/cases/hotline.ts";
import { createCase, initialPriority, kindOf, type NewCase } from "../../dispatcher/cases/machine.ts";
import { newestOpen } from "../../dispatcher/cases/press-rule.ts";
import { fitsCase } from "../../dispatcher/matching/index.ts";
import { POLICY, STAFF, T0 } from "./case-machine-fixtures.ts";
import { responder, sos } from "./matching-fixtures.ts";

describe("case types the hotline opens", () => {
  it("illness and welfare checks are emergencies; enquiries and complaints are desk work", () => {
    expect(kindOf("medical")).toBe("emergency");
    expect(kindOf("welfare_check")).toBe("emergency");
    expect(kindOf("enquiry")).toBe("enquiry");
    expect(kindOf("complaint")).toBe("enquiry");
    expect(kindOf("service_request")).toBe("service");
    expect(kindOf("no_activity")).toBe("technical");
  });

  it("a fall comes first, an illness ranks with a press, a welfare check waits behind both", () => {
    expect(initialPriority("fall")).toBe(1);
    expect(initialPriority("medical")).toBe(initialPriority("sos"));
    expect(initialPriority("welfare_check")).toBe(3);
    expect(initialPriority("enquiry")).toBe(4);
    expect(initialPriority("complaint")).toBe(4);
  });

  it("only emergencies and services are dispatched", () => {
    const dispatched = CASE_TYPES.filter((t) => isDispatchable(kindOf(t)));
    expect(dispatched.sort()).toEqual(
      // with the home sensors' alarms (issue 19): someone goes to those too
      [
        "door_alert",
        "fall",
        "gas",
        "medical",
        "service_request",
        "smoke",
        "sos",
        "water_leak",
        "welfare_check",
      ],
    );
  });

  const newCase = (extra: Partial<NewCase> & Pick<NewCase, "type">): NewCase => ({
    id: 1,
    service: null,
    residentId: 2,
    communityId: 3,
    deviceId: null,
    openingEventId: null,
    actor: STAFF,
    ...extra,
  });

  it("an enquiry is opened without matching or an escalation clock", () => {
    const { state, effects } = createCase(newCase({ type: "enquiry" }), T0, POLICY);
    expect(state).toMatchObject({ kind: "enquiry", status: "new", escalationDeadline: null, priority: 4 });
    expect(effects.map((e) => e.kind)).toEqual(["event"]);
  });

  it("a medical call is matched and on the emergency clock, with staff's priority and the caller on its first event", () => {
    const opening = { channel: "hotline", caller: { relation: "relative" } };
    const { state, effects } = createCase(newCase({ type: "medical", priority: 1, opening }), T0, POLICY);
    expect(state.priority).toBe(1);
    expect(state.escalationDeadline).toBe(T0 + POLICY.escalationMs);
    expect(effects).toEqual([
      {
        kind: "event",
        type: "created",
        actor: STAFF,
        note: null,
        data: { type: "medical", service: null, ...opening },
      },
      { kind: "find_candidates", exclude: [] },
    ]);
  });

  it("a device problem cannot be phoned in", () => {
    expect(INTAKE_CASE_TYPES).not.toContain("low_battery");
    expect(INTAKE_CASE_TYPES).not.toContain("device_offline");
  });
});

describe("the call record", () => {
  it("logs the call as inbound and answered, from the caller's number, as the caller's party", () => {
    expect(callRecordOf({ relation: "relative", name: "王强", phone: "13800138000" }, "摔倒")).toEqual({
      direction: "inbound",
      party: "family",
      number: "13800138000",
      name: "王强",
      outcome: "reached",
      note: "摔倒",
    });
    expect(callRecordOf({ relation: "grid_worker", phone: "0917-3456789" }, null)).toMatchObject({
      party: "grid_worker",
      name: null,
      note: null,
    });
  });
});

describe("which open case a call joins", () => {
  it("the newest open case of the call's kind, or none", () => {
    const open = [
      { id: 4, kind: "emergency" as const },
      { id: 9, kind: "emergency" as const },
      { id: 7, kind: "service" as const },
    ];
    expect(newestOpen(open, kindOf("welfare_check"))).toBe(9);
    expect(newestOpen(open, kindOf("service_request"))).toBe(7);
    expect(newestOpen(open, kindOf("complaint"))).toBeNull();
  });
});

describe("who is sent", () => {
  it("an illness goes to doctors and caregivers, or anyone with medical training", () => {
    const medical = sos(1, { type: "medical" });
    expect(fitsCase(medical, responder(1, 0, 0, { role: "doctor", skills: [] }))).toBe(true);
    expect(fitsCase(medical, responder(2, 0, 0, { role: "volunteer", skills: ["medical"] }))).toBe(true);
    expect(fitsCase(medical, responder(3, 0, 0, { role: "volunteer", skills: ["first_aid"] }))).toBe(false);
  });

  it("anyone may do a welfare check; nobody is sent for an enquiry or complaint", () => {
    const check = sos(1, { type: "welfare_check" });
    expect(fitsCase(check, responder(1, 0, 0, { role: "volunteer", skills: [] }))).toBe(true);
    for (const type of ["enquiry", "complaint"] as const) {
      const desk = sos(1, { type, kind: "enquiry" });
      expect(
        fitsCase(desk, responder(2, 0, 0, { role: "caregiver", skills: ["first_aid", "medical"] })),
      ).toBe(false);
    }
  });
});

describe("what the intake refuses at the edge", () => {
  const caller = { relation: "neighbour", phone: "13912345678" };
  const paths = (body: unknown) => {
    const r = IntakeRequestSchema.safeParse(body);
    return r.success ? [] : r.error.issues.map((i) => i.path.join("."));
  };

  it("accepts a resident, or a place with its address", () => {
    expect(paths({ residentId: 5, type: "fall", caller })).toEqual([]);
    expect(
      paths({ location: { lat: 34.36, lng: 107.2 }, address: "经二路1号", type: "sos", caller }),
    ).toEqual([]);
  });

  it("normalises the caller's phone as the register stores it", () => {
    const r = IntakeRequestSchema.parse({
      residentId: 5,
      type: "fall",
      caller: { relation: "resident", phone: "+86 139-1234-5678" },
    });
    expect(r.caller.phone).toBe("13912345678");
  });

  it("names the failing fields", () => {
    expect(paths({ type: "fall", caller })).toEqual(["location", "address"]);
    expect(paths({ residentId: 5, type: "fall", caller: { relation: "neighbour" } })).toEqual([
      "caller.phone",
    ]);
    expect(paths({ residentId: 5, type: "fall", caller, notes: "x".repeat(1001) })).toEqual(["notes"]);
    expect(paths({ residentId: 5, type: "service_request", caller })).toEqual(["service"]);
    expect(paths({ residentId: 5, type: "fall", service: "meal", caller })).toEqual(["service"]);
    expect(paths({ residentId: 5, type: "fall", caller, address: "x" })).toEqual(["address"]);
    expect(paths({ residentId: 5, type: "fall", caller, extra: 1 })).toEqual([""]);
  });
});
