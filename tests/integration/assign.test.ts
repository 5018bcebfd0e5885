// Staff assign by hand while the engine's offers are out: the drawer lists the responder whose
// phone counts down the offer among the candidates, assigning them turns the offer into the
// assignment, assigning someone else withdraws it, and one already working a case stays on it.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { CaseDetail, CaseSummary } from "../../protocol/index.ts";
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
import { connectDevice, offset, onDutyAt, residentOf, type TestResponder } from "../helpers/scenario.ts";

let app: TestApp;
let staff: ClientSocket;
let token: string;
const open: { close(): unknown }[] = [];

beforeAll(async () => {
  // One offer at a time and a long countdown: the offer is still open while staff decide.
  app = await startTestApp({
    env: { EMERGENCY_PARALLEL_OFFERS: "1" },
    policy: { offerTimeoutMs: 120_000, escalationMs: 600_000 },
  });
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

async function near(username: string, deviceId: string, metres: number): Promise<TestResponder> {
  const home = await residentOf(app, deviceId);
  const r = await onDutyAt(app, username, offset(home.lat, home.lng, metres, 0));
  open.push({ close: () => r.socket.close() });
  return r;
}

async function pressAt(deviceId: string, eventId: string): Promise<CaseSummary> {
  const device = await connectDevice(app, deviceId);
  open.push(device);
  const created = nextEvent(staff, "case:created", (c) => c.deviceId === deviceId);
  await device.press(eventId);
  return created;
}

const detail = async (caseId: number) =>
  (await api<CaseDetail>(app.httpUrl, token, "GET", `/api/cases/${caseId}`)).body;

describe("assigning while an offer is out", () => {
  it("lists the offered responder among the candidates; assigning another withdraws the offer", async () => {
    await allOffDuty(app);
    const first = await near("caregiver001", "BJ-00031", 150);
    const second = await near("caregiver002", "BJ-00031", 450);
    const offered = nextEvent(first.socket, "offer");
    const c = await pressAt("BJ-00031", "assign-1");
    const offer = await offered;
    expect(offer.caseId).toBe(c.id);

    const before = await detail(c.id);
    expect(before.candidates.map((k) => [k.responderId, k.offer?.id ?? null])).toEqual([
      [first.id, offer.id],
      [second.id, null],
    ]);
    expect(before.candidates[0]?.offer).toEqual({
      id: offer.id,
      createdAt: offer.createdAt,
      deadline: offer.deadline,
    });

    const withdrawn = nextEvent(first.socket, "offer:withdrawn");
    const assigned = await api<CaseSummary>(app.httpUrl, token, "POST", `/api/cases/${c.id}/assign`, {
      responderId: second.id,
    });
    expect(assigned.status).toBe(200);
    expect(assigned.body).toMatchObject({ status: "accepted", responderId: second.id });
    expect(await withdrawn).toMatchObject({ offerId: offer.id, caseId: c.id, reason: "reassigned" });
    const after = await detail(c.id);
    expect(after.offers.find((o) => o.id === offer.id)?.status).toBe("withdrawn");
    expect(after.candidates.some((k) => k.responderId === second.id)).toBe(false);
  });

  it("assigning the responder who holds the offer makes that offer the assignment", async () => {
    await allOffDuty(app);
    const holder = await near("caregiver003", "BJ-00032", 150);
    await near("caregiver004", "BJ-00032", 450);
    const offered = nextEvent(holder.socket, "offer");
    const c = await pressAt("BJ-00032", "assign-2");
    const offer = await offered;

    const assigned = await api<CaseSummary>(app.httpUrl, token, "POST", `/api/cases/${c.id}/assign`, {
      responderId: holder.id,
    });
    expect(assigned.status).toBe(200);
    expect(assigned.body).toMatchObject({ status: "accepted", responderId: holder.id });
    const after = await detail(c.id);
    expect(after.offers.filter((o) => o.status === "accepted").map((o) => o.id)).toEqual([offer.id]);
    expect(after.offers.filter((o) => o.status === "pending")).toEqual([]);
  });

  it("refuses a responder already working another case, and changes nothing", async () => {
    await allOffDuty(app);
    const busy = await near("caregiver005", "BJ-00033", 150);
    const offered = nextEvent(busy.socket, "offer");
    const working = await pressAt("BJ-00033", "assign-3");
    const offer = await offered;
    const accepted = await api(app.httpUrl, busy.token, "POST", `/api/offers/${offer.id}/accept`);
    expect(accepted.status).toBe(200);

    const other = await pressAt("BJ-00034", "assign-4");
    const refused = await api<{ error: { code: string; details?: Record<string, unknown> } }>(
      app.httpUrl,
      token,
      "POST",
      `/api/cases/${other.id}/assign`,
      { responderId: busy.id },
    );
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({
      code: "conflict",
      details: { entity: "responder", id: busy.id },
    });
    expect((await detail(other.id)).case).toMatchObject({ responderId: null });
    expect((await detail(working.id)).case).toMatchObject({ status: "accepted", responderId: busy.id });
  });
});
