// Staff assign by hand while the engine's offers are out: the drawer lists the responder whose
// phone counts down the offer among the candidates, assigning them turns the offer into the
// assignment, assigning someone else withdraws it, and one already working a case stays on it.
// A responder staff chose keeps the case: relief does not offer it to anyone else.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
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

describe("a responder staff assigned by hand", () => {
  it("is not relieved by a nearer responder coming free, before or after a restart", async () => {
    const dir = mkdtempSync(join(tmpdir(), "eldercare-assign-"));
    // No grace window, so relief could be offered right after the assignment (as in dispatch.test).
    const options = { dir, env: { EMERGENCY_PARALLEL_OFFERS: "1" }, policy: { graceMs: 0 } };
    const first = await startTestApp({
      ...options,
      seed: { residents: 100, caregivers: 10, volunteers: 10 },
    });
    let second: TestApp | undefined;
    try {
      await allOffDuty(first);
      const dispatcher = (await login(first.httpUrl, "dispatcher")).token;
      const home = await residentOf(first, "BJ-00041");
      // Only a caregiver 1.8 km away is on duty; staff assign them to the fall by hand.
      const far = await onDutyAt(first, "caregiver001", offset(home.lat, home.lng, 1800, 0));
      const device = await connectDevice(first, "BJ-00041");
      const offeredFar = nextEvent(far.socket, "offer");
      await device.press("staff-choice-1");
      const caseId = (await offeredFar).caseId;
      const assigned = await api<CaseSummary>(
        first.httpUrl,
        dispatcher,
        "POST",
        `/api/cases/${caseId}/assign`,
        {
          responderId: far.id,
        },
      );
      expect(assigned.body).toMatchObject({ status: "accepted", responderId: far.id });

      // A caregiver 100 m away comes on duty: on a case the far one had accepted on the phone they
      // would be offered it at once (dispatch.test, relief). Their first offer is the next press instead.
      const nearUser = "caregiver002";
      const nearLogin = await login(first.httpUrl, nearUser);
      const nearSocket = await connectSocket(first.httpUrl, nearLogin.token);
      const nearFirstOffer = nextEvent(nearSocket, "offer");
      const near = await onDutyAt(first, nearUser, offset(home.lat, home.lng, 100, 0));
      const other = await connectDevice(first, "BJ-00042");
      await other.press("staff-choice-2");
      const nextOffer = await nearFirstOffer;
      expect(nextOffer.caseId).not.toBe(caseId);
      // Free again for the restart: they decline the other case.
      expect(
        (await api(first.httpUrl, near.token, "POST", `/api/offers/${nextOffer.id}/decline`)).status,
      ).toBe(204);
      for (const s of [far.socket, near.socket, nearSocket]) s.close();
      await device.close();
      await other.close();
      await first.stop();

      // After a restart the engine looks at every open case again (before start returns): still no relief.
      second = await startTestApp({ ...options, seed: false });
      const token = (await login(second.httpUrl, "dispatcher")).token;
      const kept = (await api<CaseDetail>(second.httpUrl, token, "GET", `/api/cases/${caseId}`)).body;
      expect(kept.case).toMatchObject({ status: "accepted", responderId: far.id });
      expect(kept.offers.map((o) => [o.responderId, o.status])).toEqual([[far.id, "accepted"]]);
      // …and not for want of a free responder: the near caregiver is on duty and asked for a new press.
      const again = await connectSocket(second.httpUrl, near.token);
      const offeredAgain = nextEvent(again, "offer");
      const third = await connectDevice(second, "BJ-00043");
      await third.press("staff-choice-3");
      expect((await offeredAgain).caseId).not.toBe(caseId);
      again.close();
      await third.close();
    } finally {
      await second?.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 30_000);
});
