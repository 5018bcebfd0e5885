// Reads a device event the way the platform must: strict on what identifies the alarm (the device,
// known from the topic, and `type`), forgiving on everything else. An SOS is never dropped for a
// battery of 101, an unknown extra field, `+0800` instead of `+08:00` or a UTF-8 BOM; each such
// fault is recorded instead. Only an event without a usable type is rejected. Pure.
// The well-formed event is protocol/mqtt.ts's DeviceEventSchema; docs/protocol.md lists what is forgiven.
import { createHash } from "node:crypto";
import {
  DeviceEventTypeSchema,
  MAX_DEVICE_PAYLOAD_BYTES,
  OVERSIZED_FIELD,
  ServiceKindSchema,
  shortenOversizedEvent,
  type DeviceEventType,
  type DeviceFault,
  type EventRejectReason,
  type ServiceKind,
} from "../../protocol/index.ts";

/** A usable event, normalized. */
export interface IncomingEvent {
  /** The device's own id for the event (what its ack must carry), at most 64 characters. */
  eventId: string;
  type: DeviceEventType;
  /** The device's clock (epoch ms), or null when it sent none that can be read. */
  at: number | null;
  battery: number | null;
  service: ServiceKind | null;
  /** A mobile device's position fix, when it sent a readable one. */
  location: EventLocation | null;
  faults: DeviceFault[];
}

export interface EventLocation {
  lat: number;
  lng: number;
  /** Metres. */
  accuracy: number;
  /** Epoch ms of the fix (the event's own time when the device sent none). */
  fixAt: number | null;
}

export type ReadResult =
  | { ok: true; event: IncomingEvent }
  /** `eventId` when one could be read, so the device can be told to stop resending. */
  | { ok: false; eventId: string | null; reason: EventRejectReason };

const KNOWN_FIELDS = new Set(["eventId", "type", "at", "battery", "service", "location", OVERSIZED_FIELD]);
/** A fix without an accuracy is taken as this coarse (metres): a phone-grade GPS fix outdoors. */
const UNKNOWN_ACCURACY_METERS = 50;
const MAX_EVENT_ID = 64;
const BOM = "\uFEFF";

/** ISO 8601 date-time with a separator of T or space, seconds and fraction optional, any offset form. */
const DATE_TIME =
  /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2})(:\d{2}(?:\.\d{1,9})?)?\s*(Z|z|[+-]\d{2}(?::?\d{2})?)?$/;
/** A device clock without an offset is read in the platform's time zone (Asia/Shanghai, no DST). */
const PLATFORM_OFFSET = "+08:00";

export function readDeviceEvent(payload: Buffer | string): ReadResult {
  // The embedded broker shortens these already; an external broker may pass them on whole.
  const size = typeof payload === "string" ? Buffer.byteLength(payload) : payload.length;
  if (size > MAX_DEVICE_PAYLOAD_BYTES) payload = shortenOversizedEvent(payload);
  let text = typeof payload === "string" ? payload : payload.toString("utf8");
  const faults: DeviceFault[] = [];
  if (text.startsWith(BOM)) {
    text = text.slice(BOM.length);
    faults.push("bom");
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, eventId: null, reason: "not_json" };
  }
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    return { ok: false, eventId: null, reason: "not_an_object" };
  }
  const raw = json as Record<string, unknown>;
  const readId = readEventId(raw.eventId);
  const oversized = raw[OVERSIZED_FIELD] !== undefined;
  if (oversized) faults.push("payload_too_large");

  const type = DeviceEventTypeSchema.safeParse(raw.type);
  if (!type.success) {
    const reason = oversized ? "payload_too_large" : raw.type === undefined ? "missing_type" : "unknown_type";
    return { ok: false, eventId: readId.id, reason };
  }
  if (readId.fault) faults.push(readId.fault);
  if (Object.keys(raw).some((k) => !KNOWN_FIELDS.has(k))) faults.push("unknown_fields");

  const at = readAt(raw.at);
  if (at.fault) faults.push(at.fault);
  const battery = readBattery(raw.battery);
  if (battery === undefined) faults.push("bad_battery");
  let service: ServiceKind | null = null;
  if (raw.service !== undefined || type.data === "service_request") {
    const s = ServiceKindSchema.safeParse(raw.service);
    if (s.success) service = s.data;
    else if (type.data === "service_request" || raw.service !== undefined) faults.push("bad_service");
  }
  const location = readLocation(raw.location, at.ms);
  if (location.fault) faults.push(location.fault);
  const eventId = readId.id ?? derivedEventId(type.data, at.ms);
  return {
    ok: true,
    event: {
      eventId,
      type: type.data,
      at: at.ms,
      battery: battery ?? null,
      service,
      location: location.value,
      faults,
    },
  };
}

const inRange = (v: unknown, min: number, max: number): v is number =>
  typeof v === "number" && Number.isFinite(v) && v >= min && v <= max;

/** Without a readable lat/lng there is no location; a missing accuracy or fix time is tolerated. */
function readLocation(
  value: unknown,
  eventAt: number | null,
): { value: EventLocation | null; fault?: DeviceFault } {
  if (value === undefined || value === null) return { value: null };
  if (typeof value !== "object" || Array.isArray(value)) return { value: null, fault: "bad_location" };
  const l = value as Record<string, unknown>;
  if (!inRange(l.lat, -90, 90) || !inRange(l.lng, -180, 180) || (l.lat === 0 && l.lng === 0)) {
    return { value: null, fault: "bad_location" }; // 0,0: a receiver without a fix
  }
  const accuracyOk = inRange(l.accuracy, 0, 50_000);
  const fix = l.fixAt === undefined ? { ms: eventAt, fault: "bad_location" as const } : readAt(l.fixAt);
  const location: EventLocation = {
    lat: l.lat,
    lng: l.lng,
    accuracy: accuracyOk ? (l.accuracy as number) : UNKNOWN_ACCURACY_METERS,
    fixAt: fix.ms ?? eventAt,
  };
  return accuracyOk && !fix.fault ? { value: location } : { value: location, fault: "bad_location" };
}

/** A short, stable id for the same content: resends of one press share it. */
export function contentHash(...parts: (string | number | null)[]): string {
  return createHash("sha256")
    .update(parts.map((p) => (p === null ? "-" : String(p))).join("|"))
    .digest("base64url")
    .slice(0, 12);
}

function readEventId(value: unknown): { id: string | null; fault?: DeviceFault } {
  if (value === undefined || value === null || value === "") return { id: null, fault: "missing_event_id" };
  const text = typeof value === "string" ? value : typeof value === "number" ? String(value) : null;
  if (text === null) return { id: null, fault: "bad_event_id" };
  if (text.length > MAX_EVENT_ID) return { id: `h-${contentHash(text)}`, fault: "bad_event_id" };
  return typeof value === "string" ? { id: text } : { id: text, fault: "bad_event_id" };
}

/** Without an eventId: the same type and device time give the same id, so resends still dedupe. */
function derivedEventId(type: DeviceEventType, at: number | null): string {
  return `noid-${contentHash(type, at)}`;
}

function readAt(value: unknown): { ms: number | null; fault?: DeviceFault } {
  if (value === undefined || value === null) return { ms: null, fault: "missing_at" };
  if (typeof value === "number" && Number.isFinite(value) && value > 0) {
    // Epoch seconds or milliseconds (anything after 2001 in ms is above 1e12).
    return { ms: value < 1e12 ? Math.round(value * 1000) : Math.round(value), fault: "nonstandard_at" };
  }
  if (typeof value !== "string") return { ms: null, fault: "bad_at" };
  const m = DATE_TIME.exec(value.trim());
  if (!m) return { ms: null, fault: "bad_at" };
  const [, date, hm, secs, offset] = m;
  const ms = Date.parse(`${date}T${hm}${secs ?? ":00"}${normalizeOffset(offset)}`);
  if (!Number.isFinite(ms)) return { ms: null, fault: "bad_at" };
  return STANDARD_AT.test(value) ? { ms } : { ms, fault: "nonstandard_at" };
}

const STANDARD_AT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** "Z", "+08", "+0800", "+08:00" → "Z" or "+08:00"; none → the platform's offset. */
function normalizeOffset(offset: string | undefined): string {
  if (offset === undefined) return PLATFORM_OFFSET;
  if (offset === "Z" || offset === "z") return "Z";
  const digits = offset.slice(1).replace(":", "");
  return `${offset[0]}${digits.slice(0, 2)}:${digits.slice(2, 4) || "00"}`;
}

/** null: absent; undefined: present but unusable (out of 0–100, not a number). */
function readBattery(value: unknown): number | null | undefined {
  if (value === undefined || value === null) return null;
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0 || value > 100) return undefined;
  return Math.round(value);
}
