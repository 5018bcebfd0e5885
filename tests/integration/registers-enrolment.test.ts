// Enrolment as staff do it, against the real service over HTTP and MQTT: an admin enrols a
// resident and a call device; the secret shown once lets the device in and its press becomes
// that resident's case; a new secret ends the old one at once (also a session open with it);
// a retired device is refused, a retired resident's devices too, and a press already under way
// is answered `rejected` without a case; the audit log names every change and its actor.
import mqtt from "mqtt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  DeviceAckSchema,
  topics,
  type AuditEntryDto,
  type CaseDetail,
  type DeviceRecord,
  type DeviceWithSecret,
  type Page,
  type ResidentRecord,
} from "../../protocol/index.ts";
import { HIDDEN } from "../../protocol/process.ts";
import { api, count, login, startTestApp, type TestApp } from "../helpers/app.ts";
import { enrolDevice, enrolResident } from "../helpers/registers.ts";
import { connectDevice } from "../helpers/scenario.ts";

const SERVICE_PASSWORD = "service-pw-for-tests";
let app: TestApp;
let admin: string;
let adminName: string;

beforeAll(async () => {
  app = await startTestApp({
    seed: { residents: 200, caregivers: 10, volunteers: 10 },
    env: { BROKER_SERVICE_PASSWORD: SERVICE_PASSWORD },
  });
  const session = await login(app.httpUrl, "admin");
  admin = session.token;
  adminName = session.user.displayName;
});
afterAll(async () => {
  await app?.close();
});

const closed = (client: { once(e: "close", f: () => void): unknown }) =>
  new Promise<void>((resolve) => void client.once("close", () => resolve()));

const refused = (id: string, secret: string) =>
  mqtt.connectAsync(app.mqttUrl, { clientId: id, username: id, password: secret, reconnectPeriod: 0 });

async function auditOf(entity: string, id: string | number): Promise<AuditEntryDto[]> {
  const res = await api<Page<AuditEntryDto>>(
    app.httpUrl,
    admin,
    "GET",
    `/api/audit?entity=${entity}&id=${id}`,
  );
  expect(res.status).toBe(200);
  return res.body.items;
}

describe("enrolling a resident with a call device", () => {
  let resident: ResidentRecord;
  let enrolled: DeviceWithSecret;

  it("the secret shown once lets the device in, and its press is a case of that resident", async () => {
    resident = await enrolResident(app.httpUrl, admin);
    expect(resident).toMatchObject({ phone: "13912345678", retiredAt: null, devices: [] });
    enrolled = await enrolDevice(app.httpUrl, admin, resident.id);
    expect(enrolled.secret).toMatch(/^[2-9A-HJKMNP-Z]{16}$/);
    expect(enrolled.device).toMatchObject({ residentId: resident.id, kind: "wall_button", retiredAt: null });
    // Stored only as a hash.
    const stored = await app.db.get<{ secretHash: string }>(
      `SELECT "secretHash" FROM "Device" WHERE id = ?`,
      [enrolled.device.id],
    );
    expect(stored?.secretHash).toMatch(/^sha256\$/);
    expect(stored?.secretHash).not.toContain(enrolled.secret);
    // Reading the device later never shows the secret.
    const read = await api<DeviceRecord>(app.httpUrl, admin, "GET", `/api/devices/${enrolled.device.id}`);
    expect(JSON.stringify(read.body)).not.toContain(enrolled.secret);

    const device = await connectDevice(app, enrolled.device.id, enrolled.secret);
    await device.press("enrol-press-1");
    const ack = await device.ack((a) => a.eventId === "enrol-press-1");
    expect(ack.status).toBe("received");
    const c = await api<CaseDetail>(app.httpUrl, admin, "GET", `/api/cases/${ack.caseId}`);
    expect(c.body.case).toMatchObject({ residentId: resident.id, deviceId: enrolled.device.id });
    expect(c.body.resident.name).toBe(resident.name);
    await device.close();
  });

  it("a new secret ends the session opened with the old one; only the new one works", async () => {
    const device = await connectDevice(app, enrolled.device.id, enrolled.secret);
    const ended = closed(device.client);
    const rotated = await api<DeviceWithSecret>(
      app.httpUrl,
      admin,
      "POST",
      `/api/devices/${enrolled.device.id}/secret`,
    );
    expect(rotated.status).toBe(200);
    expect(rotated.body.secret).not.toBe(enrolled.secret);
    await ended;
    await expect(refused(enrolled.device.id, enrolled.secret)).rejects.toMatchObject({ code: 4 });
    const renewed = await connectDevice(app, enrolled.device.id, rotated.body.secret);
    expect(renewed.client.connected).toBe(true);
    await renewed.close();
    enrolled = { ...enrolled, secret: rotated.body.secret };
  });

  it("a retired device is cut off at once and refused from then on", async () => {
    const device = await connectDevice(app, enrolled.device.id, enrolled.secret);
    const ended = closed(device.client);
    const retired = await api<DeviceRecord>(
      app.httpUrl,
      admin,
      "POST",
      `/api/devices/${enrolled.device.id}/retire`,
    );
    expect(retired.status).toBe(200);
    expect(retired.body.retiredAt).not.toBeNull();
    await ended;
    await expect(refused(enrolled.device.id, enrolled.secret)).rejects.toMatchObject({ code: 4 });
    // Retired is final: no new secret, no second retirement.
    const again = await api(app.httpUrl, admin, "POST", `/api/devices/${enrolled.device.id}/secret`);
    expect(again.status).toBe(409);
  });

  it("the audit log lists each change with its actor, and never a secret", async () => {
    const entries = await auditOf("device", enrolled.device.id);
    expect(entries.map((e) => e.action)).toEqual(["retire", "rotate_secret", "create"]);
    for (const e of entries) expect(e).toMatchObject({ actorType: "staff", actorName: adminName });
    expect(entries[1]!.changes).toEqual({ secret: [HIDDEN, HIDDEN] });
    expect(entries[2]!.changes).toMatchObject({ residentId: [null, resident.id], secret: [HIDDEN, HIDDEN] });
    const all = JSON.stringify(await auditOf("device", enrolled.device.id));
    expect(all).not.toContain(enrolled.secret);
    expect((await auditOf("resident", resident.id)).map((e) => e.action)).toEqual(["create"]);
  });
});

describe("retiring a resident", () => {
  it("retires their devices: the broker refuses them, and a press under way opens no case and is answered rejected", async () => {
    const resident = await enrolResident(app.httpUrl, admin);
    const { device, secret } = await enrolDevice(app.httpUrl, admin, resident.id);
    const live = await connectDevice(app, device.id, secret);
    const ended = closed(live.client);

    const retired = await api<ResidentRecord>(
      app.httpUrl,
      admin,
      "POST",
      `/api/residents/${resident.id}/retire`,
    );
    expect(retired.status).toBe(200);
    expect(retired.body.retiredAt).not.toBeNull();
    expect(retired.body.devices[0]).toMatchObject({ id: device.id });
    expect(retired.body.devices[0]!.retiredAt).not.toBeNull();
    await ended;
    await expect(refused(device.id, secret)).rejects.toMatchObject({ code: 4 });

    // A press that was on its way when the resident was retired reaches the intake: it is
    // answered `rejected` (so the device stops resending), with its reason, and opens no case.
    const service = await mqtt.connectAsync(app.mqttUrl, {
      clientId: "test-observer",
      username: "dispatcher",
      password: SERVICE_PASSWORD,
      reconnectPeriod: 0,
    });
    await service.subscribeAsync(topics.ack(device.id), { qos: 1 });
    const answered = new Promise<unknown>((resolve) =>
      service.once("message", (_t, p) => resolve(JSON.parse(p.toString()))),
    );
    const casesBefore = await count(app, `SELECT COUNT(*) AS n FROM "Case" WHERE "residentId" = ?`, [
      resident.id,
    ]);
    app.intake.push(
      device.id,
      JSON.stringify({ eventId: "after-retire-1", type: "sos", at: new Date().toISOString() }),
    );
    await app.intake.drain();
    const ack = DeviceAckSchema.parse(await answered);
    expect(ack).toMatchObject({ eventId: "after-retire-1", status: "rejected" });
    expect(ack.reason).toMatch(/retired/);
    expect(await count(app, `SELECT COUNT(*) AS n FROM "Case" WHERE "residentId" = ?`, [resident.id])).toBe(
      casesBefore,
    );
    expect(app.intake.stats.retired).toBe(1);
    await service.endAsync();

    // Their record keeps its history but takes no more changes.
    const edit = await api(app.httpUrl, admin, "PATCH", `/api/residents/${resident.id}`, {
      keyHolder: "物业",
    });
    expect(edit.status).toBe(409);
    const actions = (await auditOf("resident", resident.id)).map((e) => e.action);
    expect(actions).toEqual(["retire", "create"]);
    expect((await auditOf("device", device.id)).map((e) => e.action)).toEqual(["retire", "create"]);
  });
});
