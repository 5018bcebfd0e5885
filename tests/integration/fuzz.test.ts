// A fuzz corpus against the real platform: 240 MQTT payloads and raw packets and 180 HTTP requests,
// generated with fast-check from fixed seeds (the same corpus every run). After each volley the
// process is still up, nothing changed that should not (row counts), and every SOS that
// identified its device became a case.
import { connect as tcpConnect } from "node:net";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { topics } from "../../protocol/index.ts";
import { allOffDuty, count, login, startTestApp, type TestApp } from "../helpers/app.ts";
import { connectDevice, until, type TestDevice } from "../helpers/scenario.ts";

let app: TestApp;
let device: TestDevice;
const DEVICE = "BJ-00009";

beforeAll(async () => {
  app = await startTestApp({ seed: { residents: 30, caregivers: 3, volunteers: 3 } });
  await allOffDuty(app);
  device = await connectDevice(app, DEVICE);
});
afterAll(async () => {
  await device?.close().catch(() => undefined);
  await app?.close();
});

const TABLES = [
  "Case",
  "CaseEvent",
  "DeviceEvent",
  "Session",
  "User",
  "Resident",
  "Responder",
  "Offer",
] as const;
async function rowCounts(): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const t of TABLES) out[t] = await count(app, `SELECT COUNT(*) AS n FROM "${t}"`);
  return out;
}

async function stillUp(): Promise<void> {
  expect((await fetch(`${app.httpUrl}/healthz`)).status).toBe(200);
}

// ---- MQTT ----

const junkValue = fc.oneof(
  fc.string(),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.integer(), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.integer(), { maxKeys: 3 }),
);
/** An event whose type is almost right, or wrong, with junk in every other field. */
const hostileEvent = fc.record(
  {
    eventId: fc.oneof(fc.string({ maxLength: 80 }), fc.integer(), fc.constant(undefined)),
    type: fc.oneof(
      fc.constantFrom("sos", "fall", "test", "cancel", "low_battery", "SOS", "party", ""),
      junkValue,
    ),
    at: fc.oneof(
      fc.date().map((d) => (Number.isFinite(d.getTime()) ? d.toISOString() : "x")),
      junkValue,
    ),
    battery: junkValue,
    service: junkValue,
    extra: junkValue,
  },
  { requiredKeys: [] },
);
/** A real press with junk in every field that does not identify it. */
const sloppyAlarm = fc.record(
  {
    eventId: fc.string({ minLength: 1, maxLength: 40 }),
    type: fc.constantFrom("sos", "fall"),
    at: fc.oneof(fc.constantFrom("2026-11-23T08:15:02+0800", "2026-11-23 08:15:02", "soon"), junkValue),
    battery: junkValue,
    extra: junkValue,
  },
  { requiredKeys: ["eventId", "type"] },
);
const payload = fc.oneof(
  sloppyAlarm.map((e) => JSON.stringify(e)),
  hostileEvent.map((e) => JSON.stringify(e)),
  fc.string({ maxLength: 300 }),
  fc.uint8Array({ maxLength: 400 }).map((b) => Buffer.from(b)),
  fc.constantFrom("", "null", "[]", "{}", '{"type":', "\uFEFF{}", '"sos"', "1e309"),
);

/** Raw bytes on the broker's TCP port: broken packets, broken lengths, broken CONNECTs. */
const rawPacket = fc.oneof(
  fc.uint8Array({ minLength: 1, maxLength: 64 }).map((b) => Buffer.from(b)),
  fc
    .tuple(fc.integer({ min: 0, max: 15 }), fc.uint8Array({ maxLength: 32 }))
    .map(([type, body]) => Buffer.concat([Buffer.from([type << 4, body.length]), Buffer.from(body)])),
  fc.constant(Buffer.from([0x10, 0xff, 0xff, 0xff, 0xff, 0x7f])),
  fc.constant(
    Buffer.from([0x10, 0x0c, 0x00, 0x04, 0x4d, 0x51, 0x54, 0x54, 0x04, 0x02, 0x00, 0x3c, 0x00, 0x00]),
  ),
);

function sendRaw(bytes: Buffer): Promise<void> {
  const port = Number(new URL(app.mqttUrl).port);
  return new Promise((resolve) => {
    const socket = tcpConnect(port, "127.0.0.1");
    const done = () => {
      socket.destroy();
      resolve();
    };
    socket.on("error", done);
    socket.on("close", done);
    socket.on("connect", () => {
      socket.write(bytes);
      // The broker closes a broken connection; one that waits for more gets ended by us.
      socket.setTimeout(200, done);
    });
  });
}

describe("MQTT fuzz", () => {
  it("200 hostile payloads from a device and 40 raw packets: up, unchanged but for SOS cases", async () => {
    const before = await rowCounts();
    const payloads = fc.sample(payload, { numRuns: 200, seed: 11 });
    const receivedBefore = app.intake.stats.received;
    for (const p of payloads) await device.client.publishAsync(topics.events(DEVICE), p, { qos: 1 });
    await until(() => app.intake.stats.received >= receivedBefore + payloads.length, 10_000);
    await app.intake.drain();
    for (const bytes of fc.sample(rawPacket, { numRuns: 40, seed: 12 })) await sendRaw(bytes);
    await stillUp();
    expect(device.client.connected).toBe(true);

    const after = await rowCounts();
    for (const t of ["User", "Session", "Resident", "Responder", "Offer"]) expect(after[t]).toBe(before[t]);
    // Every SOS (or fall) that identified itself is (part of) a case of this device.
    const alarms = payloads.filter((p) => {
      try {
        const type = (JSON.parse(typeof p === "string" ? p : p.toString()) as { type?: unknown }).type;
        return type === "sos" || type === "fall";
      } catch {
        return false;
      }
    });
    expect(alarms.length).toBeGreaterThan(20);
    const emergencies = await count(
      app,
      `SELECT COUNT(*) AS n FROM "Case" WHERE "deviceId" = ? AND kind = 'emergency'`,
      [DEVICE],
    );
    // Later presses join the open one; only a cancel in the corpus lets a new one open.
    const cancels = payloads.filter((p) => typeof p === "string" && p.includes('"type":"cancel"')).length;
    expect(emergencies).toBeGreaterThanOrEqual(1);
    expect(emergencies).toBeLessThanOrEqual(cancels + 1);
    const pressEvents = await count(
      app,
      `SELECT COUNT(*) AS n FROM "DeviceEvent" WHERE "deviceId" = ? AND type IN ('sos', 'fall')`,
      [DEVICE],
    );
    // Distinct presses are stored once each; resends of the same content share a row.
    const distinct = new Set(
      alarms.map((p) => JSON.stringify(JSON.parse(typeof p === "string" ? p : p.toString()))),
    );
    expect(pressEvents).toBeGreaterThan(0);
    expect(pressEvents).toBeLessThanOrEqual(distinct.size);
    // Each alarm the device can match (a string eventId) was answered: it is (part of) a case.
    await until(() => device.acks.length > 0);
    for (const p of alarms) {
      const { eventId } = JSON.parse(typeof p === "string" ? p : p.toString()) as { eventId?: unknown };
      if (typeof eventId !== "string" || eventId.length === 0 || eventId.length > 64) continue;
      const ack = await device.ack((a) => a.eventId === eventId);
      expect(ack.caseId, `ack for ${eventId}`).toBeDefined();
    }
  });
});

// ---- HTTP ----

const methods = fc.constantFrom("GET", "POST", "PUT", "DELETE", "PATCH");
const paths = fc.oneof(
  fc.constantFrom(
    "/api/cases",
    "/api/cases/1",
    "/api/cases/1/cancel",
    "/api/cases/1/assign",
    "/api/cases/-1/notes",
    "/api/cases/abc/ack",
    "/api/offers/1/accept",
    "/api/responder/location",
    "/api/responder/duty",
    "/api/auth/login",
    "/api/devices?filter=nope",
    "/api/kpis?from=yesterday",
    "/api/../../etc/passwd",
    "/api/%2e%2e/%2e%2e/etc/passwd",
    "/..%2f..%2fetc%2fpasswd",
    "/assets/../../package.json",
    "/api/cases/1%00",
  ),
  fc.string({ maxLength: 30 }).map((s) => `/api/${encodeURIComponent(s)}`),
);
const bodies = fc.oneof(
  fc.json(),
  fc.string({ maxLength: 200 }),
  fc.constant("x".repeat(70 * 1024)),
  fc.constant('{"a":'.repeat(500)),
  fc
    .record({ responderId: junkValue, reason: junkValue, text: junkValue, lat: junkValue, lng: junkValue })
    .map((r) => JSON.stringify(r)),
);
const contentTypes = fc.constantFrom(
  "application/json",
  "application/json; charset=utf-16",
  "application/json; charset=klingon",
  "text/plain",
  "application/x-www-form-urlencoded",
  undefined,
);
const encodings = fc.constantFrom(undefined, undefined, "gzip", "deflate", "br", "zstd-x");
const who = fc.constantFrom("responder", "manager", "nobody", "garbage");

describe("HTTP fuzz", () => {
  it("180 hostile requests (bad JSON, wrong types, huge bodies, charsets, gzip, methods, paths, roles)", async () => {
    const tokens: Record<string, string> = {
      responder: (await login(app.httpUrl, "caregiver001")).token,
      manager: (await login(app.httpUrl, "manager")).token,
      garbage: "not-a-token",
    };
    const requests = fc.sample(fc.tuple(methods, paths, bodies, contentTypes, encodings, who), {
      numRuns: 180,
      seed: 13,
    });
    const before = await rowCounts();
    const statuses: number[] = [];
    for (const [method, path, body, type, encoding, as] of requests) {
      const headers: Record<string, string> = {};
      if (type) headers["content-type"] = type;
      if (encoding) headers["content-encoding"] = encoding;
      const token = tokens[as];
      if (token) headers.authorization = `Bearer ${token}`;
      const res = await fetch(`${app.httpUrl}${path}`, {
        method,
        headers,
        ...(method === "GET" ? {} : { body: typeof body === "string" ? body : JSON.stringify(body) }),
      }).catch(() => null);
      statuses.push(res?.status ?? 0);
      await res?.arrayBuffer().catch(() => undefined);
    }
    await stillUp();
    expect(statuses.filter((s) => s >= 500)).toEqual([]);
    expect(statuses.every((s) => s >= 200)).toBe(true);
    const after = await rowCounts();
    // Logins the corpus could not make; nobody's data changed (a manager's or responder's
    // hostile bodies are refused by validation or role).
    for (const t of TABLES) expect(after[t]).toBe(before[t]);
  });
});
