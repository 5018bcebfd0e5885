import { describe, expect, it } from "vitest";
import {
  DeviceAckSchema,
  DeviceEventSchema,
  DeviceStatusSchema,
  MAX_DEVICE_PAYLOAD_BYTES,
  parseDeviceTopic,
  parsePayload,
  topics,
} from "../../protocol/index.ts";

const at = "2026-11-23T08:00:00.000Z";

describe("device event payloads", () => {
  it("accepts a well-formed sos press", () => {
    expect(DeviceEventSchema.safeParse({ eventId: "e1", type: "sos", at, battery: 80 }).success).toBe(true);
  });
  it("accepts a service request that names its service", () => {
    expect(
      DeviceEventSchema.safeParse({ eventId: "e2", type: "service_request", service: "meal", at }).success,
    ).toBe(true);
  });
  it("rejects a service request without a service", () => {
    expect(DeviceEventSchema.safeParse({ eventId: "e3", type: "service_request", at }).success).toBe(false);
  });
  it("rejects an unknown event type, a missing eventId, a bad time and unknown fields", () => {
    expect(DeviceEventSchema.safeParse({ eventId: "e4", type: "party", at }).success).toBe(false);
    expect(DeviceEventSchema.safeParse({ type: "sos", at }).success).toBe(false);
    expect(DeviceEventSchema.safeParse({ eventId: "e5", type: "sos", at: "yesterday" }).success).toBe(false);
    expect(DeviceEventSchema.safeParse({ eventId: "e6", type: "sos", at, extra: 1 }).success).toBe(false);
    expect(DeviceEventSchema.safeParse({ eventId: "e7", type: "sos", at, battery: 140 }).success).toBe(false);
  });
});

describe("parsePayload", () => {
  it("explains non-JSON, oversized and invalid payloads instead of throwing", () => {
    expect(parsePayload(DeviceEventSchema, Buffer.from("{nope"))).toEqual({
      ok: false,
      reason: "payload is not JSON",
    });
    const big = Buffer.alloc(MAX_DEVICE_PAYLOAD_BYTES + 1, "a");
    const tooBig = parsePayload(DeviceEventSchema, big);
    expect(tooBig.ok).toBe(false);
    if (!tooBig.ok) expect(tooBig.reason).toContain("too large");
    const bad = parsePayload(DeviceEventSchema, JSON.stringify({ type: "sos", at }));
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.reason).toContain("eventId");
  });
  it("returns the typed value for a good payload", () => {
    const r = parsePayload(DeviceEventSchema, JSON.stringify({ eventId: "x", type: "fall", at }));
    expect(r).toEqual({ ok: true, value: { eventId: "x", type: "fall", at } });
  });
});

describe("status and ack payloads", () => {
  it("accepts a heartbeat and the Last Will", () => {
    expect(DeviceStatusSchema.safeParse({ state: "online", battery: 77, signal: 60 }).success).toBe(true);
    expect(DeviceStatusSchema.safeParse({ state: "offline" }).success).toBe(true);
    expect(DeviceStatusSchema.safeParse({ state: "asleep" }).success).toBe(false);
  });
  it("acks carry the eventId they answer", () => {
    expect(
      DeviceAckSchema.safeParse({ eventId: "e1", status: "assigned", caseId: 3, etaSeconds: 240, at })
        .success,
    ).toBe(true);
    expect(DeviceAckSchema.safeParse({ status: "received", at }).success).toBe(false);
  });
});

describe("topics", () => {
  it("round-trips a device topic", () => {
    expect(parseDeviceTopic(topics.events("BJ-00001"))).toEqual({ deviceId: "BJ-00001", kind: "events" });
    expect(parseDeviceTopic(topics.ack("BJ-00001"))).toEqual({ deviceId: "BJ-00001", kind: "ack" });
  });
  it("refuses wildcards, extra levels and foreign roots", () => {
    expect(parseDeviceTopic("eldercare/v1/devices/+/events")).toBeNull();
    expect(parseDeviceTopic("eldercare/v1/devices/BJ-00001/events/x")).toBeNull();
    expect(parseDeviceTopic("other/BJ-00001/events")).toBeNull();
  });
});
