// The simulated responder phone against the real platform: real login, real Socket.IO offers,
// real presses from a simulated device over MQTT. The city has two caregivers and nobody else
// who could answer an SOS, so the phone under test is the one the platform offers the job to.
import { once } from "node:events";
import pino from "pino";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { SimDevice } from "../../device-sim/device.ts";
import { SimResponder, type SimResponderOptions } from "../../device-sim/responders.ts";
import { BAOJI_CENTRE } from "../../prisma/demo-data.ts";
import type { CaseDetail, Presence, PushMessage, ResponderSummary } from "../../protocol/api.ts";
import type { ResponderActivity } from "../../protocol/domain.ts";
import { haversineMeters } from "../../protocol/geo.ts";
import type { DeviceAck } from "../../protocol/mqtt.ts";
import {
  api,
  count,
  login,
  startTestApp,
  TEST_DEVICE_SECRET,
  TEST_PASSWORD,
  type TestApp,
} from "../helpers/app.ts";
import { startLocalPushService } from "../../device-sim/push-receiver.ts";
import { until } from "../helpers/wait.ts";
import { offset, onDutyAt } from "../helpers/scenario.ts";

let app: TestApp;
let staff: string;
const cleanups: (() => Promise<unknown>)[] = [];

beforeAll(async () => {
  app = await startTestApp({
    seed: { residents: 40, caregivers: 2, volunteers: 0 },
    env: { PUSH_ENDPOINT_ORIGINS: "http://127.0.0.1:*" },
  });
  staff = (await login(app.httpUrl, "dispatcher")).token;
  // Whatever the seed put on duty goes off: the tests decide who is on duty where.
  for (const username of ["caregiver001", "caregiver002"]) {
    const { token } = await login(app.httpUrl, username);
    await api(app.httpUrl, token, "POST", "/api/responder/duty", { onDuty: false });
  }
});
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});
afterAll(() => app?.close());

/** Every responder is within a few kilometres of the city centre, well inside matching's reach. */
function phone(opts: Partial<SimResponderOptions> = {}): SimResponder {
  const sim = new SimResponder({
    apiUrl: app.httpUrl,
    username: "caregiver001",
    password: TEST_PASSWORD,
    startAt: BAOJI_CENTRE,
    acceptDelayMs: 20,
    speedMps: 5000,
    tickMs: 20,
    stayMs: 20,
    logger: pino({ level: "silent" }),
    ...opts,
  });
  cleanups.push(() => sim.stop());
  return sim;
}

async function device(id: string): Promise<SimDevice> {
  const d = new SimDevice({
    brokerUrl: app.mqttUrl,
    deviceId: id,
    secret: TEST_DEVICE_SECRET,
    heartbeatSeconds: 0,
    logger: pino({ level: "silent" }),
  });
  cleanups.push(() => d.close());
  await d.connect();
  return d;
}

function activities(sim: SimResponder): ResponderActivity[] {
  const seen: ResponderActivity[] = [];
  sim.on("activity", (a: ResponderActivity) => seen.push(a));
  return seen;
}

/** Resolves with the first ack from now on with this status. */
function ack(d: SimDevice, status: DeviceAck["status"]): Promise<DeviceAck> {
  return new Promise((resolve) => {
    const listener = (a: DeviceAck) => {
      if (a.status !== status) return;
      d.off("ack", listener);
      resolve(a);
    };
    d.on("ack", listener);
  });
}

const caseDetail = async (id: number) =>
  (await api<CaseDetail>(app.httpUrl, staff, "GET", `/api/cases/${id}`)).body;
const responder = async (id: number) =>
  (await api<ResponderSummary[]>(app.httpUrl, staff, "GET", "/api/responders")).body.find((r) => r.id === id);

describe("the simulated responder phone", () => {
  it("goes on duty where told, gets the offer for a real press, travels, arrives and resolves", async () => {
    const sim = phone();
    await sim.start();
    expect(sim.activity).toBe("idle");
    const me = await responder(sim.responderId!);
    expect(me).toMatchObject({ onDuty: true, activity: "idle" });
    expect(haversineMeters(me!.lat!, me!.lng!, BAOJI_CENTRE.lat, BAOJI_CENTRE.lng)).toBeLessThan(1);

    const steps = activities(sim);
    const d = await device("BJ-00001");
    const resolved = once(sim, "resolved");
    const assigned = ack(d, "assigned");
    const arrived = ack(d, "arrived");
    const pressed = await d.press("sos");
    const caseId = pressed.ack.caseId!;
    expect(await resolved).toEqual([caseId]);
    await Promise.all([assigned, arrived]);
    expect(steps).toEqual(["offered", "en_route", "on_scene", "idle"]);
    expect(sim.resolved).toBe(1);

    const detail = await caseDetail(caseId);
    expect(detail.case).toMatchObject({ status: "resolved", responderId: sim.responderId });
    const story = detail.timeline.map((e) => e.type);
    for (const step of ["offered", "accepted", "en_route", "arrived", "resolved"] as const) {
      expect(story).toContain(step);
    }
    expect(detail.timeline.find((e) => e.type === "resolved")?.note).toBeTruthy();
    // The last position it reported is the resident's door.
    const after = await responder(sim.responderId!);
    expect(haversineMeters(after!.lat!, after!.lng!, detail.case.lat, detail.case.lng)).toBeLessThan(1);

    await sim.stop();
    expect(sim.activity).toBe("off_duty");
    expect(await responder(sim.responderId!)).toMatchObject({ onDuty: false });
  });

  it("heartbeats and subscribes to push like the phone app; an offer reaches it by push too", async () => {
    const { token } = await login(app.httpUrl, "caregiver001");
    const key = (await api<{ publicKey: string }>(app.httpUrl, token, "GET", "/api/responder/push")).body
      .publicKey;
    const push = await startLocalPushService(() => key);
    cleanups.push(() => push.close());
    const sim = phone({ push, acceptDelayMs: 60_000, heartbeatSeconds: 1 });
    const beats: Presence[] = [];
    sim.on("heartbeat", (p: Presence) => beats.push(p));
    await sim.start();
    expect(
      await count(app, `SELECT COUNT(*) AS n FROM "PushSubscription" WHERE "responderId" = ?`, [
        sim.responderId!,
      ]),
    ).toBe(1);
    expect((await responder(sim.responderId!))?.phoneState).toBe("live");
    // One heartbeat on start, then on its own timer: the platform answers each with the phone's state.
    await until(() => beats.length >= 2);
    expect(beats.every((b) => b.phoneState === "live" && b.onDuty)).toBe(true);

    const pushed = once(sim, "push");
    const d = await device("BJ-00003");
    const pressed = await d.press("sos");
    const [message] = (await pushed) as [PushMessage];
    expect(message).toMatchObject({ kind: "offer", caseId: pressed.ack.caseId });
    expect(push.rejected).toEqual([]);
    // Nobody takes it here: the next test starts with a free phone.
    await api(app.httpUrl, staff, "POST", `/api/cases/${pressed.ack.caseId}/cancel`, { reason: "test" });

    await sim.stop();
    // Off duty and logged out, the phone drops its subscription.
    expect(
      await count(app, `SELECT COUNT(*) AS n FROM "PushSubscription" WHERE "responderId" = ?`, [
        sim.responderId!,
      ]),
    ).toBe(0);
  });

  it("lets an offer go when it is withdrawn before it made up its mind", async () => {
    const sim = phone({ acceptDelayMs: 60_000 });
    await sim.start();
    const d = await device("BJ-00002");
    const offered = sim.becomes("offered");
    const caseId = (await d.press("sos")).ack.caseId!;
    await offered;

    const idle = sim.becomes("idle");
    const cancelled = await api(app.httpUrl, staff, "POST", `/api/cases/${caseId}/cancel`, {
      reason: "老人电话确认无事",
    });
    expect(cancelled.status).toBe(200);
    await idle;

    const detail = await caseDetail(caseId);
    expect(detail.offers.map((o) => o.status)).toEqual(["withdrawn"]);
    expect(detail.timeline.map((e) => e.type)).not.toContain("accepted");
  });

  it("gives the job up when staff hand it to someone else while it is on the way", async () => {
    // Slow enough to be still on the way when the dispatcher reassigns.
    const sim = phone({ speedMps: 1, tickMs: 1000 });
    await sim.start();
    const d = await device("BJ-00003");
    const enRoute = sim.becomes("en_route");
    const caseId = (await d.press("sos")).ack.caseId!;
    await enRoute;

    const home = (await caseDetail(caseId)).case;
    const other = await onDutyAt(app, "caregiver002", offset(home.lat, home.lng, 100, 0));
    cleanups.push(async () => {
      other.socket.close();
      await api(app.httpUrl, other.token, "POST", "/api/responder/duty", { onDuty: false });
    });
    const idle = sim.becomes("idle");
    const assigned = await api(app.httpUrl, staff, "POST", `/api/cases/${caseId}/assign`, {
      responderId: other.id,
    });
    expect(assigned.status).toBe(200);
    await idle;

    const detail = await caseDetail(caseId);
    expect(detail.case).toMatchObject({ status: "accepted", responderId: other.id });
    expect(detail.timeline.map((e) => e.type)).not.toContain("arrived");
    expect(sim.resolved).toBe(0);
  });

  it("refuses to start with a wrong password", async () => {
    const sim = phone({ password: "not-the-password" });
    await expect(sim.start()).rejects.toMatchObject({ status: 401 });
    expect(sim.activity).toBe("off_duty");
  });
});
