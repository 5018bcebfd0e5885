// Home sensors, GPS pendants and the family circle against the real platform: real broker, MQTT
// devices, Socket.IO clients, a SQLite file, and a local SMS webhook receiver. Time-based rules run
// on the injected clock (moved to a chosen hour of the platform's day), never on sleeps.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type {
  CaseDetail,
  CaseSummary,
  CheckInPlan,
  DeviceAck,
  FamilyCase,
  FamilyHome,
  FamilyInviteResponse,
  LoginResponse,
  ResidentRecord,
} from "../../protocol/index.ts";
import { DEFAULT_SENSOR_SETTINGS, topics } from "../../protocol/index.ts";
import { nextClockTime } from "../../dispatcher/sensors/clock-time.ts";
import {
  allOffDuty,
  api,
  cancelActiveCases,
  connectSocket,
  count,
  login,
  nextEvent,
  startTestApp,
  type TestApp,
} from "../helpers/app.ts";
import { TestClock } from "../helpers/clock.ts";
import { enrolDevice, enrolResident } from "../helpers/registers.ts";
import { connectDevice, offset, onDutyAt, type TestDevice } from "../helpers/scenario.ts";
import { startSmsReceiver, type SmsReceiver } from "../helpers/sms-receiver.ts";
import { startLocalPushService, type LocalPushService } from "../../device-sim/push-receiver.ts";

let app: TestApp;
let sms: SmsReceiver;
let push: LocalPushService;
let vapidKey = "";
const clock = new TestClock();
let admin: string;
let dispatcher: string;
const devices: TestDevice[] = [];
let serial = 0;

beforeAll(async () => {
  sms = await startSmsReceiver();
  app = await startTestApp({
    seed: { residents: 60, caregivers: 10, volunteers: 10 },
    clock,
    policy: { parallelOffers: 1 },
    env: {
      SMS_WEBHOOK_URL: sms.url,
      SMS_WEBHOOK_SECRET: sms.secret,
      PUSH_ENDPOINT_ORIGINS: "http://127.0.0.1:*",
    },
  });
  push = await startLocalPushService(() => vapidKey);
  admin = (await login(app.httpUrl, "admin")).token;
  dispatcher = (await login(app.httpUrl, "dispatcher")).token;
  await allOffDuty(app);
}, 120_000);

afterAll(async () => {
  for (const d of devices) await d.close();
  await app?.close();
  await sms?.close();
  await push?.close();
});

/** A new resident with one device of `kind`, connected. */
async function residentWith(
  kind: string,
  contactPhone = `1390000${String(++serial).padStart(4, "0")}`,
): Promise<{ resident: ResidentRecord; device: TestDevice }> {
  const resident = await enrolResident(app.httpUrl, admin, {
    emergencyContacts: [{ name: "王强", relation: "儿子", phone: contactPhone }],
  });
  const enrolled = await enrolDevice(app.httpUrl, admin, resident.id, { kind });
  const device = await connectDevice(app, enrolled.device.id, enrolled.secret);
  devices.push(device);
  return { resident, device };
}

let eventSerial = 0;
/** Publishes an event as the device would, and waits for its ack. */
async function send(device: TestDevice, fields: Record<string, unknown>): Promise<DeviceAck> {
  const eventId = `e-${++eventSerial}`;
  await device.client.publishAsync(
    topics.events(device.id),
    JSON.stringify({ eventId, at: new Date(clock.now()).toISOString(), ...fields }),
    { qos: 1 },
  );
  return device.ack((a) => a.eventId === eventId);
}

const caseFile = async (id: number) =>
  (await api<CaseDetail>(app.httpUrl, dispatcher, "GET", `/api/cases/${id}`)).body;

/** Moves the injected clock forward to the next time the platform's clock shows `hhmm`. */
function advanceTo(hhmm: string): void {
  clock.advance(nextClockTime(clock.now(), hhmm) - clock.now());
}

const welfareCases = (residentId: number) =>
  count(app, `SELECT COUNT(*) AS n FROM "Case" WHERE "residentId" = ? AND type = 'welfare_check'`, [
    residentId,
  ]);

describe("home sensors", () => {
  it("a smoke alarm makes a P1 emergency with the smoke guidance for staff and responders", async () => {
    const { device } = await residentWith("smoke_alarm");
    const ack = await send(device, { type: "smoke", battery: 90 });
    expect(ack.status).toBe("received");
    const file = await caseFile(ack.caseId!);
    expect(file.case).toMatchObject({ type: "smoke", kind: "emergency", priority: 1, location: null });
    expect(file.guidance?.staff[0]).toBe("call_119");
    expect(file.guidance?.responder).toContain("evacuate_first");

    // a gas alarm has its own: the gas company, no flames
    const gas = await residentWith("gas_alarm");
    const gasFile = await caseFile((await send(gas.device, { type: "gas" })).caseId!);
    expect(gasFile.case.priority).toBe(1);
    expect(gasFile.guidance?.staff).toContain("call_gas_company");
    expect(gasFile.guidance?.responder[0]).toBe("no_flames_no_switches");
  });

  it("an old device's payload works unchanged, and a fixed device's location is ignored", async () => {
    const { resident, device } = await residentWith("wall_button");
    const ack = await send(device, { type: "sos", battery: 80 });
    expect(ack.status).toBe("received");
    const file = await caseFile(ack.caseId!);
    expect(file.case).toMatchObject({
      type: "sos",
      priority: 2,
      lat: resident.lat,
      lng: resident.lng,
      location: null,
    });

    const other = await residentWith("wall_button");
    const placed = await send(other.device, {
      type: "sos",
      location: { lat: 34.5, lng: 107.5, accuracy: 10, fixAt: new Date(clock.now()).toISOString() },
    });
    const otherFile = await caseFile(placed.caseId!);
    expect(otherFile.case).toMatchObject({
      lat: other.resident.lat,
      lng: other.resident.lng,
      location: null,
    });
  });

  it("a motion sensor silent past the day window raises exactly one welfare check", async () => {
    const { resident, device } = await residentWith("motion_sensor");
    const settings = { ...DEFAULT_SENSOR_SETTINGS, inactivityDayMinutes: 240, inactivityNightMinutes: 600 };
    const put = await api(app.httpUrl, dispatcher, "PUT", `/api/residents/${resident.id}/sensors`, settings);
    expect(put.status).toBe(200);
    advanceTo("09:00");
    expect((await send(device, { type: "motion" })).status).toBe("logged");

    clock.advance(239 * 60_000);
    expect(await app.sensors.sweep()).toEqual([]);
    expect(await welfareCases(resident.id)).toBe(0);

    clock.advance(2 * 60_000); // 13:01: four hours and a minute of silence by day
    const opened = await app.sensors.sweep();
    expect(opened).toHaveLength(1);
    const file = await caseFile(opened[0]!);
    expect(file.case).toMatchObject({ type: "welfare_check", kind: "emergency", residentId: resident.id });
    expect(file.guidance?.responder).toContain("knock_then_key_holder");
    expect(
      file.timeline.some((e) => e.type === "note" && e.note?.includes("no movement seen for 241 min")),
    ).toBe(true);

    // the same silence goes on: still one case
    clock.advance(60 * 60_000);
    expect(await app.sensors.sweep()).toEqual([]);
    expect(await welfareCases(resident.id)).toBe(1);
  });

  it("no welfare check at night within the night window; one once it has passed", async () => {
    const { resident, device } = await residentWith("motion_sensor");
    advanceTo("20:00");
    await send(device, { type: "motion" });
    advanceTo("01:00"); // five hours: past the day window (4 h), within the night window (10 h)
    await app.sensors.sweep();
    expect(await welfareCases(resident.id)).toBe(0);
    advanceTo("05:59");
    await app.sensors.sweep();
    expect(await welfareCases(resident.id)).toBe(0);
    advanceTo("06:01"); // ten hours and a minute
    await app.sensors.sweep();
    expect(await welfareCases(resident.id)).toBe(1);

    // movement ends the episode; a new long silence is a new episode
    await send(device, { type: "motion" });
    clock.advance(11 * 60 * 60_000);
    await app.sensors.sweep();
    expect(await welfareCases(resident.id)).toBe(1); // the first is still open: noted there, not doubled
  });

  it("the check itself runs when a silence falls due, planned from the stored times", async () => {
    const { resident, device } = await residentWith("motion_sensor");
    advanceTo("10:00");
    await send(device, { type: "motion" });
    // A new silence: the check is planned no later than the default day window (4 h).
    expect(app.sensors.nextCheckAt()).toBeLessThanOrEqual(clock.now() + 240 * 60_000);
    clock.advance(50 * 60_000);
    // Staff shorten the window to 45 min: the silence is past due, the check runs at once, unasked.
    const put = await api(app.httpUrl, dispatcher, "PUT", `/api/residents/${resident.id}/sensors`, {
      ...DEFAULT_SENSOR_SETTINGS,
      inactivityDayMinutes: 45,
    });
    expect(put.status).toBe(200);
    await expect.poll(() => welfareCases(resident.id), { timeout: 10_000 }).toBe(1);
    // Raised: the next check is planned for something else, never again for this silence (planned
    // once the check's commit is on disk, a moment after the case can be read).
    await expect.poll(() => app.sensors.nextCheckAt() ?? 0, { timeout: 5000 }).toBeGreaterThan(clock.now());
  });

  it("a door opened at night by a resident with dementia is a door alert; by day only logged", async () => {
    const { resident, device } = await residentWith("door_sensor");
    await api(app.httpUrl, dispatcher, "PUT", `/api/residents/${resident.id}/sensors`, {
      ...DEFAULT_SENSOR_SETTINGS,
      doorWatch: true,
      doorFrom: "22:00",
      doorTo: "06:00",
    });
    advanceTo("14:00");
    expect((await send(device, { type: "door_open" })).status).toBe("logged");
    advanceTo("02:30");
    const ack = await send(device, { type: "door_open" });
    expect(ack.status).toBe("received");
    expect((await caseFile(ack.caseId!)).case).toMatchObject({ type: "door_alert", priority: 2 });
  });

  it("a motion sensor's no-motion report is not the daily check-in; a movement it saw is", async () => {
    const quiet = await residentWith("motion_sensor");
    const moving = await residentWith("motion_sensor");
    advanceTo("10:00");
    expect((await send(quiet.device, { type: "no_motion" })).status).toBe("logged");
    expect((await send(moving.device, { type: "motion" })).status).toBe("logged");
    const plan = async (residentId: number) =>
      (
        await api<CheckInPlan>(app.httpUrl, dispatcher, "PUT", `/api/residents/${residentId}/check-in`, {
          enabled: true,
          dueTime: "09:00",
        })
      ).body;
    expect(await plan(quiet.resident.id)).toMatchObject({ missedToday: true, lastActivityAt: null });
    expect((await plan(moving.resident.id)).missedToday).toBe(false);
    const opened = await app.care.checkIns.sweep();
    expect(opened).toHaveLength(1);
    expect((await caseFile(opened[0]!)).case).toMatchObject({
      type: "welfare_check",
      residentId: quiet.resident.id,
    });
    await cancelActiveCases(app);
  });
});

describe("a GPS pendant", () => {
  it("a press far from home makes a case at the pendant's fix, offered to a responder near there", async () => {
    await cancelActiveCases(app);
    const { resident, device } = await residentWith("pendant");
    const fix = offset(resident.lat, resident.lng, 5000, 0); // 5 km north, at the market
    const nearHome = await onDutyAt(app, "caregiver001", offset(resident.lat, resident.lng, 100, 0));
    const nearFix = await onDutyAt(app, "caregiver002", offset(fix.lat, fix.lng, 150, 0));
    const offered = nextEvent(nearFix.socket, "offer", () => true, 10_000);
    const ack = await send(device, {
      type: "fall",
      location: { ...fix, accuracy: 25, fixAt: new Date(clock.now() - 20_000).toISOString() },
    });
    expect(ack.status).toBe("received");
    const offer = await offered;
    expect(offer.caseId).toBe(ack.caseId);
    expect(offer.case.lat).toBeCloseTo(fix.lat, 6);
    expect(offer.case.location).toMatchObject({ accuracyMeters: 25, away: true });
    const file = await caseFile(ack.caseId!);
    expect(file.offers.map((o) => o.responderId)).toEqual([nearFix.id]);
    nearHome.socket.close();
    nearFix.socket.close();
    await allOffDuty(app);
  });
});

describe("the family circle", () => {
  let elder: { resident: ResidentRecord; device: TestDevice };
  const phone = "13912345678";
  let family: LoginResponse;

  it("staff invite an emergency contact; the code arrives by SMS and signs them in", async () => {
    elder = await residentWith("wall_button", "139 1234 5678");
    const circle = await api<{ contacts: { phone: string; member: unknown }[]; smsConfigured: boolean }>(
      app.httpUrl,
      dispatcher,
      "GET",
      `/api/residents/${elder.resident.id}/family`,
    );
    expect(circle.body).toMatchObject({ smsConfigured: true, contacts: [{ member: null }] });

    const stranger = await api(
      app.httpUrl,
      dispatcher,
      "POST",
      `/api/residents/${elder.resident.id}/family/invites`,
      {
        phone: "13700000000",
      },
    );
    expect(stranger.status).toBe(400);
    const manager = (await login(app.httpUrl, "manager")).token;
    const notAllowed = await api(
      app.httpUrl,
      manager,
      "POST",
      `/api/residents/${elder.resident.id}/family/invites`,
      {
        phone,
      },
    );
    expect(notAllowed.status).toBe(403);

    const invite = await api<FamilyInviteResponse>(
      app.httpUrl,
      dispatcher,
      "POST",
      `/api/residents/${elder.resident.id}/family/invites`,
      { phone },
    );
    expect(invite.status).toBe(201);
    expect(invite.body.sentBySms).toBe(true);
    const text = await sms.next((m) => m.to === phone && m.kind === "code");
    expect(text.text).toContain(invite.body.code);

    const wrong = await fetch(`${app.httpUrl}/api/family/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ phone, code: invite.body.code === "000000" ? "111111" : "000000" }),
    });
    expect(wrong.status).toBe(401);
    const ok = await fetch(`${app.httpUrl}/api/family/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ phone: `+86 ${phone}`, code: invite.body.code }),
    });
    expect(ok.status).toBe(200);
    family = (await ok.json()) as LoginResponse;
    expect(family.user.role).toBe("family");
    // one-time: the same code again is refused
    const again = await fetch(`${app.httpUrl}/api/family/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ phone, code: invite.body.code }),
    });
    expect(again.status).toBe(401);
    const audit = await count(
      app,
      `SELECT COUNT(*) AS n FROM "AuditEntry" WHERE entity = 'resident' AND "entityId" = ? AND changes LIKE ?`,
      [String(elder.resident.id), `%family.${phone}%`],
    );
    expect(audit).toBe(1);
  });

  it("a family member follows their elder's case from received to on scene, told by Web Push and SMS", async () => {
    await cancelActiveCases(app); // earlier cases still waiting would take the responder
    // Staff get no push; the family member's browser subscribes with the platform's key.
    expect((await api(app.httpUrl, dispatcher, "GET", "/api/family/push")).status).toBe(403);
    const key = await api<{ publicKey: string }>(app.httpUrl, family.token, "GET", "/api/family/push");
    vapidKey = key.body.publicKey;
    const subscribed = await api(app.httpUrl, family.token, "POST", "/api/family/push", {
      ...push.subscription(),
      lang: "zh-CN",
    });
    expect(subscribed.status).toBe(204);
    const socket = await connectSocket(app.httpUrl, family.token);
    const responder = await onDutyAt(
      app,
      "caregiver003",
      offset(elder.resident.lat, elder.resident.lng, 200, 0),
    );
    const offered = nextEvent(responder.socket, "offer", () => true, 10_000);
    const received = nextEvent(socket, "family:case", (c) => c.stage === "received");
    await elder.device.press("fam-1");
    const first = await received;
    expect(first.residentId).toBe(elder.resident.id);
    await sms.next(
      (m) => m.to === phone && m.kind === "case" && m.caseId === first.id && m.text.includes("已收到"),
    );
    const pushed = await push.next((p) => p.message.kind === "family" && p.message.caseId === first.id);
    expect(pushed.message).toMatchObject({ title: `${elder.resident.name}：平台已收到`, offerId: null });

    const offer = await offered;
    const coming = nextEvent(socket, "family:case", (c) => c.stage === "coming");
    expect((await api(app.httpUrl, responder.token, "POST", `/api/offers/${offer.id}/accept`)).status).toBe(
      200,
    );
    const c = await coming;
    expect(c.responderName).toBe(responder.name);
    expect(c.etaSeconds).toBeGreaterThan(0);
    await sms.next((m) => m.caseId === first.id && m.text.includes(responder.name));

    const onScene = nextEvent(socket, "family:case", (x) => x.stage === "on_scene");
    expect((await api(app.httpUrl, responder.token, "POST", `/api/cases/${first.id}/arrived`)).status).toBe(
      200,
    );
    expect((await onScene).steps.map((s) => s.type)).toEqual(["received", "coming", "on_scene"]);
    await sms.next((m) => m.caseId === first.id && m.text.includes("已到达"));

    // "I'm on my way" is on the timeline staff and the responder see
    const way = await api<FamilyCase>(
      app.httpUrl,
      family.token,
      "POST",
      `/api/family/cases/${first.id}/on-my-way`,
      {
        etaMinutes: 20,
      },
    );
    expect(way.status).toBe(200);
    const file = await caseFile(first.id);
    expect(file.timeline.find((e) => e.type === "family_on_way")).toMatchObject({
      actorType: "family",
      data: { etaMinutes: 20 },
    });
    // each stage was told once
    const told = sms.received.filter((m) => m.caseId === first.id);
    expect(told).toHaveLength(3);
    expect(sms.badSignatures).toBe(0);
    await push.next((p) => p.message.caseId === first.id && p.message.title.endsWith("已到达现场"));
    expect(push.received.filter((p) => p.message.caseId === first.id)).toHaveLength(3);
    expect(push.rejected).toEqual([]);

    const home = await api<FamilyHome>(app.httpUrl, family.token, "GET", "/api/family/home");
    expect(home.body.elders).toMatchObject([
      { residentId: elder.resident.id, medical: null, openCase: { id: first.id } },
    ]);
    socket.close();
    responder.socket.close();
    await allOffDuty(app);
  });

  it("medical details only as the resident consented, and the change is audited", async () => {
    const circle = await api<{ contacts: { member: { id: number } | null }[] }>(
      app.httpUrl,
      dispatcher,
      "GET",
      `/api/residents/${elder.resident.id}/family`,
    );
    const memberId = circle.body.contacts[0]!.member!.id;
    const patch = await api(app.httpUrl, dispatcher, "PATCH", `/api/family/members/${memberId}`, {
      medicalConsent: true,
    });
    expect(patch.status).toBe(200);
    const home = await api<FamilyHome>(app.httpUrl, family.token, "GET", "/api/family/home");
    expect(home.body.elders[0]?.medical).toEqual({ conditions: ["高血压"], medicines: ["硝苯地平"] });
  });

  it("a family user cannot see another resident, nor the staff's views", async () => {
    const other = await residentWith("wall_button");
    const otherCase = await send(other.device, { type: "sos" });
    const socket = await connectSocket(app.httpUrl, family.token);
    let heard = 0;
    socket.onAny(() => heard++);
    const staff = await connectSocket(app.httpUrl, dispatcher);
    const seen = nextEvent(staff, "case:updated", (c: CaseSummary) => c.residentId === other.resident.id);
    await api(app.httpUrl, dispatcher, "POST", `/api/cases/${otherCase.caseId}/notes`, { text: "call back" });
    await seen;

    for (const path of [
      `/api/family/residents/${other.resident.id}/cases`,
      `/api/family/cases/${otherCase.caseId}`,
    ]) {
      expect((await api(app.httpUrl, family.token, "GET", path)).status).toBe(404);
    }
    const onWay = await api(
      app.httpUrl,
      family.token,
      "POST",
      `/api/family/cases/${otherCase.caseId}/on-my-way`,
      {},
    );
    expect(onWay.status).toBe(404);
    for (const path of [
      "/api/cases",
      `/api/cases/${otherCase.caseId}`,
      `/api/residents/${other.resident.id}`,
    ]) {
      expect((await api(app.httpUrl, family.token, "GET", path)).status).toBe(403);
    }
    expect(
      (await api(app.httpUrl, family.token, "GET", `/api/residents/${other.resident.id}/family`)).status,
    ).toBe(403);
    expect(heard).toBe(0);
    socket.close();
    staff.close();
  });
});
