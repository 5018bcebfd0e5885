// MQTT contract between call devices and the platform. See docs/protocol.md.
import { z } from "zod";
import { ServiceKindSchema } from "./domain.ts";

export const TOPIC_ROOT = "eldercare/v1/devices";
/** Largest MQTT payload the broker accepts from a device (bytes). */
export const MAX_DEVICE_PAYLOAD_BYTES = 1024;

export const topics = {
  events: (deviceId: string) => `${TOPIC_ROOT}/${deviceId}/events`,
  status: (deviceId: string) => `${TOPIC_ROOT}/${deviceId}/status`,
  ack: (deviceId: string) => `${TOPIC_ROOT}/${deviceId}/ack`,
  allEvents: `${TOPIC_ROOT}/+/events`,
  allStatus: `${TOPIC_ROOT}/+/status`,
} as const;

export type DeviceTopicKind = "events" | "status" | "ack";

/** Splits `eldercare/v1/devices/{id}/{kind}`; null for any other topic. */
export function parseDeviceTopic(topic: string): { deviceId: string; kind: DeviceTopicKind } | null {
  const prefix = `${TOPIC_ROOT}/`;
  if (!topic.startsWith(prefix)) return null;
  const rest = topic.slice(prefix.length).split("/");
  if (rest.length !== 2) return null;
  const [deviceId, kind] = rest as [string, string];
  if (!DeviceIdSchema.safeParse(deviceId).success) return null;
  if (kind !== "events" && kind !== "status" && kind !== "ack") return null;
  return { deviceId, kind };
}

/** Device ids are printed on the device label; MQTT wildcards and separators are never allowed. */
export const DeviceIdSchema = z
  .string()
  .min(3)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/, "device id may hold only letters, digits, '-' and '_'");

export const DEVICE_EVENT_TYPES = [
  "sos",
  "fall",
  "cancel",
  "service_request",
  "low_battery",
  "test",
  // home sensors (docs/protocol.md, "Home sensors")
  "smoke",
  "gas",
  "water_leak",
  "door_open",
  /** The motion sensor saw someone pass. */
  "motion",
  /** The motion sensor's periodic report that it saw nobody (it is alive; the silence counts on). */
  "no_motion",
  /** 平安键: "I'm OK", the daily check-in; it opens nothing. */
  "check_in",
] as const;
export const DeviceEventTypeSchema = z.enum(DEVICE_EVENT_TYPES);
export type DeviceEventType = z.infer<typeof DeviceEventTypeSchema>;

/** Events that say the device is alive but not that the resident is: the daily check-in skips them. */
export const NOT_SIGNS_OF_LIFE = ["no_motion"] as const satisfies readonly DeviceEventType[];

/** A position fix of a mobile device (pendant, wrist button with GPS), sent with any event. */
export const DeviceLocationSchema = z
  .object({
    lat: z.number().min(-90).max(90),
    lng: z.number().min(-180).max(180),
    /** Radius of the fix's uncertainty, metres. */
    accuracy: z.number().min(0).max(50_000),
    /** When the fix was taken (device clock, ISO 8601 with offset). */
    fixAt: z.iso.datetime({ offset: true }),
  })
  .strict();
export type DeviceLocation = z.infer<typeof DeviceLocationSchema>;

export const DeviceEventSchema = z
  .object({
    /** Unique per device; the device resends the same eventId until it is acknowledged. */
    eventId: z.string().min(1).max(64),
    type: DeviceEventTypeSchema,
    /** Device clock, ISO 8601 with offset. */
    at: z.iso.datetime({ offset: true }),
    battery: z.number().int().min(0).max(100).optional(),
    service: ServiceKindSchema.optional(),
    location: DeviceLocationSchema.optional(),
  })
  .strict()
  .refine((e) => e.type !== "service_request" || e.service !== undefined, {
    message: "service is required when type is service_request",
    path: ["service"],
  });
export type DeviceEvent = z.infer<typeof DeviceEventSchema>;

/**
 * What the platform tolerated in an event it accepted (docs/protocol.md, "What the platform
 * forgives"): the alarm still counts, and staff see the fault on the case and the device.
 */
export const DEVICE_FAULTS = [
  "bom",
  "unknown_fields",
  "bad_battery",
  "bad_service",
  "nonstandard_at",
  "bad_at",
  "missing_at",
  "bad_event_id",
  "missing_event_id",
  "event_id_reused",
  "payload_too_large",
  /** `location` unreadable (out of range, no fix time…), or sent by a device that stays at home. */
  "bad_location",
] as const;
export const DeviceFaultSchema = z.enum(DEVICE_FAULTS);
export type DeviceFault = z.infer<typeof DeviceFaultSchema>;

/** Why an event could not be used at all: it is acknowledged `rejected`, so the device stops resending. */
export const EVENT_REJECT_REASONS = [
  "not_json",
  "not_an_object",
  "missing_type",
  "unknown_type",
  "payload_too_large",
] as const;
export const EventRejectReasonSchema = z.enum(EVENT_REJECT_REASONS);
export type EventRejectReason = z.infer<typeof EventRejectReasonSchema>;

/**
 * The field the broker adds when it shortens a device event over the payload limit to the fields
 * that identify it (broker/acl.ts): the original size in bytes.
 */
export const OVERSIZED_FIELD = "$oversized";

export const DeviceStatusSchema = z
  .object({
    state: z.enum(["online", "offline"]),
    battery: z.number().int().min(0).max(100).optional(),
    /** Signal strength in percent (0 = none). */
    signal: z.number().int().min(0).max(100).optional(),
    at: z.iso.datetime({ offset: true }).optional(),
  })
  .strict();
export type DeviceStatus = z.infer<typeof DeviceStatusSchema>;

/** What the platform tells the device; the device lights/vibrates accordingly. */
export const ACK_STATUSES = [
  "received",
  "assigned",
  "arrived",
  "closed",
  "cancelled",
  "logged",
  "rejected",
] as const;
export const AckStatusSchema = z.enum(ACK_STATUSES);
export type AckStatus = z.infer<typeof AckStatusSchema>;

export const DeviceAckSchema = z
  .object({
    /** The event this ack answers; later case acks repeat the eventId that opened the case. */
    eventId: z.string().min(1).max(64),
    status: AckStatusSchema,
    caseId: z.number().int().positive().optional(),
    etaSeconds: z.number().int().min(0).optional(),
    responderName: z.string().max(64).optional(),
    reason: z.string().max(200).optional(),
    at: z.iso.datetime({ offset: true }),
  })
  .strict();
export type DeviceAck = z.infer<typeof DeviceAckSchema>;

const IDENTIFYING = ["eventId", "type", "at", "service"] as const;
const FIELD_LIMIT = 64;
/** How far into an unparseable payload the fields are looked for. */
const SCAN_BYTES = 4096;

/**
 * An event over the payload limit, shortened to the fields that identify it (each bounded) plus
 * its original size: the broker passes this on instead of the full payload, and the platform reads
 * it like any event (docs/protocol.md, "Limits"). Never throws.
 */
export function shortenOversizedEvent(payload: Buffer | string): Buffer {
  const size = typeof payload === "string" ? Buffer.byteLength(payload) : payload.length;
  const text = typeof payload === "string" ? payload : payload.toString("utf8");
  let fields: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(text.replace(/^\uFEFF/, ""));
    if (typeof parsed === "object" && parsed !== null) fields = parsed as Record<string, unknown>;
  } catch {
    // Broken JSON: look for the fields by their text in its first few kilobytes.
    const head = text.slice(0, SCAN_BYTES);
    for (const name of IDENTIFYING) {
      const m = new RegExp(`"${name}"\\s*:\\s*"([^"\\\\]{1,${FIELD_LIMIT}})"`).exec(head);
      if (m) fields[name] = m[1];
    }
  }
  const short: Record<string, unknown> = { [OVERSIZED_FIELD]: size };
  for (const name of IDENTIFYING) {
    const v = fields[name];
    if ((typeof v === "string" && v.length <= FIELD_LIMIT) || (typeof v === "number" && Number.isFinite(v))) {
      short[name] = v;
    }
  }
  return Buffer.from(JSON.stringify(short));
}

/** Parses an MQTT payload: bytes → JSON → schema. Never throws. */
export function parsePayload<T>(
  schema: z.ZodType<T>,
  payload: Buffer | string,
): { ok: true; value: T } | { ok: false; reason: string } {
  const size = typeof payload === "string" ? Buffer.byteLength(payload) : payload.length;
  if (size > MAX_DEVICE_PAYLOAD_BYTES) return { ok: false, reason: `payload too large (${size} bytes)` };
  let json: unknown;
  try {
    json = JSON.parse(payload.toString());
  } catch {
    return { ok: false, reason: "payload is not JSON" };
  }
  const result = schema.safeParse(json);
  if (!result.success) return { ok: false, reason: z.prettifyError(result.error).replace(/\n/g, "; ") };
  return { ok: true, value: result.data };
}
