// Staff alerts against the real platform: every escalation the engine makes, a device fault of a
// high-risk resident, stored so a console that reconnects still sees the ones nobody acknowledged,
// and acknowledged one by one.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { ApiErrorBody, CaseSummary, StaffAlert } from "../../protocol/index.ts";
import {
  allOffDuty,
  api,
  cancelActiveCases,
  connectSocket,
  login,
  nextEvent,
  startTestApp,
  type ClientSocket,
  type TestApp,
} from "../helpers/app.ts";
import { connectDevice, offset, onDutyAt, residentOf, type TestDevice } from "../helpers/scenario.ts";

let app: TestApp;
let staff: ClientSocket;
let token: string;
const open: { close(): unknown }[] = [];

beforeAll(async () => {
  app = await startTestApp({
    env: { EMERGENCY_PARALLEL_OFFERS: "1" },
    // Nobody accepting escalates quickly; the offer itself stays open past that.
    policy: { offerTimeoutMs: 30_000, escalationMs: 400 },
  });
  await allOffDuty(app);
  token = (await login(app.httpUrl, "dispatcher")).token;
  staff = await connectSocket(app.httpUrl, token);
});
afterEach(async () => {
  for (const o of open.splice(0)) await o.close();
  await cancelActiveCases(app);
  await allOffDuty(app);
});
afterAll(async () => {
  staff?.close();
  await app?.close();
});

async function device(id: string): Promise<TestDevice> {
  const d = await connectDevice(app, id);
  open.push({ close: () => d.close() });
  return d;
}

async function press(d: TestDevice, eventId: string): Promise<number> {
  await d.press(eventId, "sos");
  return (await d.ack((a) => a.eventId === eventId && a.status === "received")).caseId!;
}

const openAlerts = async (t = token) => (await api<StaffAlert[]>(app.httpUrl, t, "GET", "/api/alerts")).body;

describe("staff alerts", () => {
  it("no responder in range: an alert naming the resident is pushed, stored and still there after a reconnect", async () => {
    const d = await device("BJ-00120");
    const alerted = nextEvent(staff, "alert", (a) => a.kind === "no_candidate");
    const caseId = await press(d, "alert-nobody-1");
    const alert = await alerted;
    const summary = (await api<{ case: CaseSummary }>(app.httpUrl, token, "GET", `/api/cases/${caseId}`)).body
      .case;
    expect(alert).toMatchObject({
      caseId,
      kind: "no_candidate",
      residentName: summary.residentName,
      acknowledgedAt: null,
    });
    // A console that was offline meanwhile gets it from the list.
    const again = await connectSocket(app.httpUrl, (await login(app.httpUrl, "dispatcher")).token);
    open.push({ close: () => again.close() });
    expect((await openAlerts()).map((a) => a.id)).toContain(alert.id);
  });

  it("acknowledging one alert leaves the others, tells every console, and a second click changes nothing", async () => {
    const a = await device("BJ-00121");
    const b = await device("BJ-00122");
    const first = nextEvent(staff, "alert", (x) => x.kind === "no_candidate");
    const caseA = await press(a, "alert-two-a");
    const alertA = await first;
    const second = nextEvent(staff, "alert", (x) => x.kind === "no_candidate" && x.caseId !== caseA);
    await press(b, "alert-two-b");
    const alertB = await second;

    const updated = nextEvent(staff, "alert:updated", (x) => x.id === alertA.id);
    const acked = await api<StaffAlert>(app.httpUrl, token, "POST", `/api/alerts/${alertA.id}/ack`);
    expect(acked.status).toBe(200);
    expect(acked.body.acknowledgedBy).toBe("平台值班员 李娜");
    expect((await updated).acknowledgedAt).not.toBeNull();
    const still = (await openAlerts()).map((x) => x.id);
    expect(still).toContain(alertB.id);
    expect(still).not.toContain(alertA.id);

    const twice = await api<StaffAlert>(app.httpUrl, token, "POST", `/api/alerts/${alertA.id}/ack`);
    expect(twice.body.acknowledgedAt).toBe(acked.body.acknowledgedAt);
    const all = await api<StaffAlert[]>(app.httpUrl, token, "GET", `/api/alerts?state=all&caseId=${caseA}`);
    expect(all.body.map((x) => x.id)).toEqual([alertA.id]);
  });

  it("an offer nobody answers before the escalation deadline alerts staff; a staff escalation does not", async () => {
    const home = await residentOf(app, "BJ-00123");
    const r = await onDutyAt(app, "caregiver001", offset(home.lat, home.lng, 150, 0));
    open.push({ close: () => r.socket.close() });
    const d = await device("BJ-00123");
    const offered = nextEvent(r.socket, "offer");
    const escalated = nextEvent(staff, "alert", (x) => x.kind === "no_accept", 5000);
    const caseId = await press(d, "alert-no-accept-1");
    expect((await offered).caseId).toBe(caseId);
    expect((await escalated).caseId).toBe(caseId);

    await api(app.httpUrl, token, "POST", `/api/cases/${caseId}/escalate`, { target: "ambulance_120" });
    await api(app.httpUrl, token, "POST", `/api/cases/${caseId}/escalate`, { target: "family" });
    const kinds = (await openAlerts()).filter((x) => x.caseId === caseId).map((x) => x.kind);
    expect(kinds).toEqual(["no_accept"]);
    // Every escalation is kept for the badges, oldest first.
    const detail = await api<{ case: CaseSummary }>(app.httpUrl, token, "GET", `/api/cases/${caseId}`);
    expect(detail.body.case.escalations).toEqual(["no_accept", "ambulance_120", "family"]);
    expect(detail.body.case.escalationReason).toBe("family");
  });

  it("a failing device of a bedridden resident raises a device fault alert; anyone else's only a technical case", async () => {
    const [bedridden, other] = await Promise.all(
      ["disabled", "alone"].map((living) =>
        app.db.get<{ id: string }>(
          `SELECT d.id FROM "Device" d JOIN "Resident" r ON r.id = d."residentId"
           WHERE r."livingSituation" = ? ORDER BY d.id LIMIT 1 OFFSET 3`,
          [living],
        ),
      ),
    );
    const weak = await device(other!.id);
    const quietCase = nextEvent(staff, "case:created", (c) => c.deviceId === other!.id);
    await weak.heartbeat({ state: "online", battery: 9 });
    expect((await quietCase).type).toBe("low_battery");

    const failing = await device(bedridden!.id);
    const fault = nextEvent(staff, "alert", (x) => x.kind === "device_fault");
    await failing.heartbeat({ state: "online", battery: 8 });
    const alert = await fault;
    const detail = await api<{ case: CaseSummary }>(app.httpUrl, token, "GET", `/api/cases/${alert.caseId}`);
    expect(detail.body.case).toMatchObject({
      deviceId: bedridden!.id,
      type: "low_battery",
      kind: "technical",
    });
    expect((await openAlerts()).filter((x) => x.kind === "device_fault").map((x) => x.caseId)).toEqual([
      alert.caseId,
    ]);
  });

  it("an unknown alert is not found, and a responder may not acknowledge: each error says what and who", async () => {
    const missing = await api<ApiErrorBody>(app.httpUrl, token, "POST", "/api/alerts/999999/ack");
    expect(missing.status).toBe(404);
    expect(missing.body.error.details).toEqual({ entity: "alert", id: 999999 });
    const responder = (await login(app.httpUrl, "caregiver002")).token;
    const refused = await api<ApiErrorBody>(app.httpUrl, responder, "GET", "/api/alerts");
    expect(refused.status).toBe(403);
    expect(refused.body.error.details?.roles).toEqual(["admin", "dispatcher", "manager"]);
  });
});
