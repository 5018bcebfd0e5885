// What the platform forgives in a device event, and what it cannot use.
import { describe, expect, it } from "vitest";
import { readDeviceEvent } from "../../dispatcher/devices/event-reader.ts";

const at = "2026-11-23T08:15:02+08:00";
const atMs = Date.parse(at);
const read = (value: unknown) => readDeviceEvent(typeof value === "string" ? value : JSON.stringify(value));

describe("a well-formed event", () => {
  it("is read as sent, without faults", () => {
    expect(read({ eventId: "e1", type: "sos", at, battery: 81 })).toEqual({
      ok: true,
      event: { eventId: "e1", type: "sos", at: atMs, battery: 81, service: null, location: null, faults: [] },
    });
    expect(read({ eventId: "e2", type: "service_request", service: "meal", at })).toMatchObject({
      ok: true,
      event: { service: "meal", faults: [] },
    });
  });
});

describe("an SOS with a fault in a secondary field is still an SOS", () => {
  it.each([
    ["battery 101", { eventId: "e", type: "sos", at, battery: 101 }, ["bad_battery"], { battery: null }],
    ["battery as text", { eventId: "e", type: "sos", at, battery: "81%" }, ["bad_battery"], {}],
    ["an unknown field", { eventId: "e", type: "sos", at, firmware: "1.2" }, ["unknown_fields"], {}],
    [
      "+0800 offset",
      { eventId: "e", type: "sos", at: "2026-11-23T08:15:02+0800" },
      ["nonstandard_at"],
      { at: atMs },
    ],
    [
      "+08 offset",
      { eventId: "e", type: "sos", at: "2026-11-23T08:15:02+08" },
      ["nonstandard_at"],
      { at: atMs },
    ],
    [
      "no offset (platform time)",
      { eventId: "e", type: "sos", at: "2026-11-23 08:15:02" },
      ["nonstandard_at"],
      { at: atMs },
    ],
    ["epoch seconds", { eventId: "e", type: "sos", at: atMs / 1000 }, ["nonstandard_at"], { at: atMs }],
    ["no at", { eventId: "e", type: "sos" }, ["missing_at"], { at: null }],
    ["an unreadable at", { eventId: "e", type: "sos", at: "yesterday" }, ["bad_at"], { at: null }],
    ["a numeric eventId", { eventId: 17, type: "sos", at }, ["bad_event_id"], { eventId: "17" }],
    [
      "an unknown service",
      { eventId: "e", type: "service_request", service: "taxi", at },
      ["bad_service"],
      { service: null },
    ],
  ])("%s", (_name, payload, faults, fields) => {
    const r = read(payload);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.event.faults).toEqual(faults);
    expect(r.event).toMatchObject({ type: (payload as { type: string }).type, ...fields });
  });

  it("a UTF-8 BOM before the JSON", () => {
    const r = readDeviceEvent(
      Buffer.concat([
        Buffer.from([0xef, 0xbb, 0xbf]),
        Buffer.from(JSON.stringify({ eventId: "e", type: "sos", at })),
      ]),
    );
    expect(r).toMatchObject({ ok: true, event: { eventId: "e", faults: ["bom"] } });
  });

  it("no eventId: one derived from type and device time, the same for every resend", () => {
    const a = read({ type: "sos", at });
    const b = read({ type: "sos", at });
    const c = read({ type: "fall", at });
    expect(a.ok && b.ok && c.ok).toBe(true);
    if (!a.ok || !b.ok || !c.ok) return;
    expect(a.event.eventId).toBe(b.event.eventId);
    expect(a.event.eventId).not.toBe(c.event.eventId);
    expect(a.event.faults).toEqual(["missing_event_id"]);
  });

  it("an eventId over 64 characters is shortened to a stable one", () => {
    const long = "x".repeat(300);
    const r = read({ eventId: long, type: "sos", at });
    expect(r.ok && r.event.eventId.length <= 64 && r.event.faults).toEqual(["bad_event_id"]);
  });
});

describe("an event without a usable type is rejected, with its eventId when it has one", () => {
  it.each([
    ["not JSON", "{nope", { eventId: null, reason: "not_json" }],
    ["JSON but not an object", "[1,2]", { eventId: null, reason: "not_an_object" }],
    ["no type", { eventId: "e9", at }, { eventId: "e9", reason: "missing_type" }],
    ["an unknown type", { eventId: "e9", type: "party", at }, { eventId: "e9", reason: "unknown_type" }],
    [
      "shortened by the broker, type unknown",
      { eventId: "e9", $oversized: 5000 },
      { eventId: "e9", reason: "payload_too_large" },
    ],
  ])("%s", (_name, payload, expected) => {
    expect(read(payload)).toEqual({ ok: false, ...expected });
  });

  it("an oversized SOS the broker shortened is still an SOS", () => {
    expect(read({ eventId: "e9", type: "sos", at, $oversized: 70_000 })).toMatchObject({
      ok: true,
      event: { type: "sos", faults: ["payload_too_large"] },
    });
  });
});

describe("a mobile device's location", () => {
  const fixAt = "2026-11-23T08:14:40+08:00";
  it("is read with its accuracy and fix time", () => {
    expect(
      read({ eventId: "p1", type: "fall", at, location: { lat: 34.4, lng: 107.2, accuracy: 12, fixAt } }),
    ).toMatchObject({
      ok: true,
      event: {
        type: "fall",
        location: { lat: 34.4, lng: 107.2, accuracy: 12, fixAt: Date.parse(fixAt) },
        faults: [],
      },
    });
  });
  it("without accuracy or fix time is still used, coarse and at the event's time, as a fault", () => {
    expect(read({ eventId: "p2", type: "sos", at, location: { lat: 34.4, lng: 107.2 } })).toMatchObject({
      ok: true,
      event: { location: { accuracy: 50, fixAt: atMs }, faults: ["bad_location"] },
    });
  });
  it.each([
    ["out of range", { lat: 134, lng: 107.2, accuracy: 5, fixAt }],
    ["no fix (0, 0)", { lat: 0, lng: 0, accuracy: 5, fixAt }],
    ["not an object", "34.4,107.2"],
  ])("unreadable (%s): the press still counts, without a location", (_name, location) => {
    expect(read({ eventId: "p3", type: "sos", at, location })).toMatchObject({
      ok: true,
      event: { type: "sos", location: null, faults: ["bad_location"] },
    });
  });
  it("the new sensor events are known types", () => {
    for (const type of ["smoke", "gas", "water_leak", "door_open", "motion", "no_motion"]) {
      expect(read({ eventId: `s-${type}`, type, at })).toMatchObject({
        ok: true,
        event: { type, faults: [] },
      });
    }
  });
});
