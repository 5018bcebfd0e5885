// Dispatch end to end: press → offer to the nearest suitable responder → accept → device told
// "assigned" with ETA → arrived → resolved → follow-up closes. Plus decline, timeout, nobody.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { CaseSummary, Kpi } from "../../protocol/index.ts";
import {
  allOffDuty,
  api,
  cancelActiveCases,
  connectSocket,
  count,
  login,
  nextEvent,
  startTestApp,
  type ClientSocket,
  type TestApp,
} from "../helpers/app.ts";
import {
  connectDevice,
  offset,
  onDutyAt,
  residentOf,
  until,
  type TestResponder,
} from "../helpers/scenario.ts";

let app: TestApp;
let staff: ClientSocket;
let staffToken: string;
const open: { close(): unknown }[] = [];

beforeAll(async () => {
  app = await startTestApp({
    env: { EMERGENCY_PARALLEL_OFFERS: "1" },
    policy: { offerTimeoutMs: 1500, escalationMs: 60_000 },
  });
  staffToken = (await login(app.httpUrl, "dispatcher")).token;
  staff = await connectSocket(app.httpUrl, staffToken);
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

async function responderNear(username: string, deviceId: string, metres: number): Promise<TestResponder> {
  const home = await residentOf(app, deviceId);
  const r = await onDutyAt(app, username, offset(home.lat, home.lng, metres, 0));
  open.push({ close: () => r.socket.close() });
  return r;
}

describe("the happy path", () => {
  it("offers the nearest responder and walks the case to closed", async () => {
    await allOffDuty(app);
    const near = await responderNear("caregiver001", "BJ-00011", 150);
    const far = await responderNear("caregiver002", "BJ-00011", 1200);
    const device = await connectDevice(app, "BJ-00011");
    open.push(device);

    const offered = nextEvent(near.socket, "offer");
    await device.press("help-1");
    const offer = await offered;
    expect(offer.case.deviceId).toBe("BJ-00011");
    expect(offer.responderId).toBe(near.id);
    expect(Date.parse(offer.deadline) - Date.parse(offer.createdAt)).toBe(1500);

    // The phone's snapshot agrees with the push: one open offer, no active case yet.
    type Me = { offers: { id: number; case: CaseSummary }[]; activeCase: CaseSummary | null };
    const before = await api<Me>(app.httpUrl, near.token, "GET", "/api/responder/me");
    expect(before.body.offers.map((o) => [o.id, o.case.id])).toEqual([[offer.id, offer.caseId]]);
    expect(before.body.activeCase).toBeNull();

    const accepted = await api<CaseSummary>(
      app.httpUrl,
      near.token,
      "POST",
      `/api/offers/${offer.id}/accept`,
    );
    expect(accepted.status).toBe(200);
    expect(accepted.body.status).toBe("accepted");
    const assigned = await until(() => device.acks.find((a) => a.status === "assigned"));
    expect(assigned.eventId).toBe("help-1");
    expect(assigned.etaSeconds).toBeGreaterThan(0);
    expect(assigned.responderName).toBeTruthy();
    const after = await api<Me>(app.httpUrl, near.token, "GET", "/api/responder/me");
    expect(after.body.offers).toEqual([]);
    expect(after.body.activeCase).toMatchObject({ id: offer.caseId, status: "accepted" });

    // The far responder was never bothered.
    const farMe = await api<{ offers: unknown[] }>(app.httpUrl, far.token, "GET", "/api/responder/me");
    expect(farMe.body.offers).toHaveLength(0);

    const caseId = offer.caseId;
    expect((await api(app.httpUrl, near.token, "POST", `/api/cases/${caseId}/en-route`)).status).toBe(200);
    expect((await api(app.httpUrl, near.token, "POST", `/api/cases/${caseId}/arrived`)).status).toBe(200);
    await until(() => device.acks.find((a) => a.status === "arrived"));
    const resolved = await api<CaseSummary>(app.httpUrl, near.token, "POST", `/api/cases/${caseId}/resolve`, {
      note: "Helped her up, no injury; blood pressure 135/85.",
    });
    expect(resolved.body.status).toBe("resolved");
    const closed = await api<CaseSummary>(app.httpUrl, staffToken, "POST", `/api/cases/${caseId}/follow-up`, {
      outcome: "reached_ok",
      note: "Called next morning, all well.",
    });
    expect(closed.body.status).toBe("closed");
    await until(() => device.acks.find((a) => a.status === "closed"));

    const detail = await api<{ timeline: { type: string; at: string; actorType: string }[] }>(
      app.httpUrl,
      staffToken,
      "GET",
      `/api/cases/${caseId}`,
    );
    expect(detail.body.timeline.map((e) => e.type)).toEqual([
      "created",
      "offered",
      "accepted",
      "en_route",
      "arrived",
      "resolved",
      "follow_up",
      "closed",
    ]);
    const log = await app.db.get<{ content: string }>(`SELECT content FROM "ServiceLog" WHERE "caseId" = ?`, [
      caseId,
    ]);
    expect(log?.content).toContain("Helped her up");

    // KPIs and the CSV export derive from the event log.
    const kpi = await api<Kpi>(app.httpUrl, staffToken, "GET", "/api/kpis");
    expect(kpi.status).toBe(200);
    expect(kpi.body.emergencies).toBeGreaterThanOrEqual(1);
    expect(kpi.body.acceptedWithin60sPct).not.toBeNull();
    expect(kpi.body.medianAcceptSeconds).toBeLessThan(60);
    const csv = await fetch(`${app.httpUrl}/api/kpis.csv`, {
      headers: { authorization: `Bearer ${staffToken}` },
    });
    expect(csv.headers.get("content-type")).toContain("text/csv");
    // Named after the local day; in the UI language (zh-CN by default, English on request).
    expect(csv.headers.get("content-disposition")).toMatch(/cases-\d{4}-\d{2}-\d{2}\.csv/);
    const rows = (await csv.text()).trim().split("\n");
    expect(rows[0]).toContain("呼叫编号,类型,类别,状态");
    expect(rows.some((r) => r.startsWith(`${caseId},紧急呼叫,紧急,已结案`))).toBe(true);
    const english = await fetch(`${app.httpUrl}/api/kpis.csv?lang=en`, {
      headers: { authorization: `Bearer ${staffToken}` },
    });
    expect((await english.text()).split("\n")[0]).toContain("Case,Type,Kind,Status");
    const badRange = await api(app.httpUrl, staffToken, "GET", "/api/kpis?from=yesterday");
    expect(badRange.status).toBe(400);
  });
});

describe("when the first responder cannot come", () => {
  it("a decline moves the offer to the next candidate", async () => {
    await allOffDuty(app);
    const first = await responderNear("caregiver003", "BJ-00012", 100);
    const second = await responderNear("caregiver004", "BJ-00012", 2500);
    const device = await connectDevice(app, "BJ-00012");
    open.push(device);
    const offer1 = nextEvent(first.socket, "offer");
    await device.press("help-2");
    const o1 = await offer1;
    const offer2 = nextEvent(second.socket, "offer", (o) => o.caseId === o1.caseId);
    expect((await api(app.httpUrl, first.token, "POST", `/api/offers/${o1.id}/decline`)).status).toBe(204);
    const o2 = await offer2;
    expect(o2.caseId).toBe(o1.caseId);

    // Who declined reads nothing of the case any more, not even its file or notes.
    const detail = `/api/cases/${o1.caseId}`;
    expect((await api(app.httpUrl, first.token, "GET", detail)).status).toBe(404);
    expect((await api(app.httpUrl, first.token, "POST", `${detail}/notes`, { text: "hi" })).status).toBe(404);
    expect((await api(app.httpUrl, first.token, "GET", `${detail}/calls`)).status).toBe(404);
    // An offer alone carries what the decision needs (the summary); the file comes with the job.
    expect((await api(app.httpUrl, second.token, "GET", detail)).status).toBe(404);

    // The winner's phone retries its accept (the answer was lost): 200 with the case, both times.
    const accepted = await api<CaseSummary>(app.httpUrl, second.token, "POST", `/api/offers/${o2.id}/accept`);
    const retried = await api<CaseSummary>(app.httpUrl, second.token, "POST", `/api/offers/${o2.id}/accept`);
    expect([accepted.status, retried.status]).toEqual([200, 200]);
    expect(retried.body).toMatchObject({ id: o1.caseId, status: "accepted", responderId: second.id });
    expect((await api(app.httpUrl, second.token, "GET", detail)).status).toBe(200);
    // The one who declined cannot take it back by accepting now.
    expect((await api(app.httpUrl, first.token, "POST", `/api/offers/${o1.id}/accept`)).status).toBe(409);
  });

  it("an unanswered offer expires at its deadline and goes to the next candidate", async () => {
    await allOffDuty(app);
    const first = await responderNear("caregiver005", "BJ-00013", 100);
    const second = await responderNear("caregiver006", "BJ-00013", 2500);
    const device = await connectDevice(app, "BJ-00013");
    open.push(device);
    const offer1 = nextEvent(first.socket, "offer");
    await device.press("help-3");
    const o1 = await offer1;
    const withdrawn = nextEvent(first.socket, "offer:withdrawn");
    const o2 = await nextEvent(second.socket, "offer", (o) => o.caseId === o1.caseId, 5000);
    expect(o2.caseId).toBe(o1.caseId);
    expect((await withdrawn).reason).toBe("expired");
    expect(Date.now()).toBeGreaterThanOrEqual(Date.parse(o1.deadline));
    // The first phone was in a pocket: its late tap still takes the case while nobody has it,
    // and the second responder's offer is withdrawn.
    const taken = nextEvent(second.socket, "offer:withdrawn", (w) => w.offerId === o2.id);
    const late = await api<CaseSummary>(app.httpUrl, first.token, "POST", `/api/offers/${o1.id}/accept`);
    expect(late.status).toBe(200);
    expect(late.body).toMatchObject({ status: "accepted", responderId: first.id });
    expect((await taken).reason).toBe("taken");
    // Once someone has the case, a tap is too late.
    const tooLate = await api<{ error: { code: string } }>(
      app.httpUrl,
      second.token,
      "POST",
      `/api/offers/${o2.id}/accept`,
    );
    expect(tooLate.status).toBe(409);
    expect(tooLate.body.error.code).toBe("offer_closed");
  });

  it("with nobody in range the case is escalated and staff are alerted", async () => {
    await allOffDuty(app);
    const device = await connectDevice(app, "BJ-00014");
    open.push(device);
    const alert = nextEvent(staff, "alert", (a) => a.kind === "no_candidate");
    // The press and its escalation are one step: the console hears the case once, escalated.
    const escalated = nextEvent(staff, "case:created", (c) => c.deviceId === "BJ-00014");
    await device.press("help-4");
    expect((await alert).message).toContain("no responder");
    expect((await escalated).escalationReason).toBe("no_candidate");
  });
});

describe("relief", () => {
  it("a responder coming on duty clearly nearer is offered a case whose responder is still far, and takes it over", async () => {
    const relief = await startTestApp({
      env: { EMERGENCY_PARALLEL_OFFERS: "1" },
      // No grace window, so relief may be offered right after the accept rather than 30 s later.
      policy: { graceMs: 0, relieveGainSeconds: 180 },
      seed: { residents: 100, caregivers: 10, volunteers: 10 },
    });
    try {
      await allOffDuty(relief);
      const home = await residentOf(relief, "BJ-00021");
      // Only a caregiver 1.8 km away is on duty (over 5 minutes away whatever their transport)…
      const far = await onDutyAt(relief, "caregiver001", offset(home.lat, home.lng, 1800, 0));
      const device = await connectDevice(relief, "BJ-00021");
      const offeredFar = nextEvent(far.socket, "offer");
      await device.press("relief-1");
      const first = await offeredFar;
      expect((await api(relief.httpUrl, far.token, "POST", `/api/offers/${first.id}/accept`)).status).toBe(
        200,
      );
      await until(() => device.acks.find((a) => a.status === "assigned"));
      // …then one 100 m away comes on duty: asked at once, while the first stays on the case.
      const nearUser = "caregiver002";
      const nearLogin = await login(relief.httpUrl, nearUser);
      const nearSocket = await connectSocket(relief.httpUrl, nearLogin.token);
      const offeredNear = nextEvent(nearSocket, "offer");
      const near = await onDutyAt(relief, nearUser, offset(home.lat, home.lng, 100, 0));
      const second = await offeredNear;
      expect(second.caseId).toBe(first.caseId);
      expect(second.etaSeconds).toBeLessThan(first.etaSeconds - 180);
      const stillFirst = await api<{ case: CaseSummary }>(
        relief.httpUrl,
        far.token,
        "GET",
        `/api/cases/${first.caseId}`,
      );
      expect(stillFirst.body.case).toMatchObject({ status: "accepted", responderId: far.id });

      const released = nextEvent(
        far.socket,
        "case:updated",
        (c) => c.id === first.caseId && c.responderId === near.id,
      );
      const took = await api<CaseSummary>(
        relief.httpUrl,
        near.token,
        "POST",
        `/api/offers/${second.id}/accept`,
      );
      expect(took.status).toBe(200);
      expect(took.body).toMatchObject({ status: "accepted", responderId: near.id });
      await released;
      // The device hears the new, nearer responder.
      const acks = await until(() => {
        const assigned = device.acks.filter((a) => a.status === "assigned");
        return assigned.length === 2 ? assigned : undefined;
      });
      expect(acks[1]!.etaSeconds).toBe(second.etaSeconds);
      // The first is free again: another case could be offered to them.
      const farMe = await api<{ activeCase: unknown }>(relief.httpUrl, far.token, "GET", "/api/responder/me");
      expect(farMe.body.activeCase).toBeNull();
      const detail = await api<{ timeline: { type: string; data: Record<string, unknown> | null }[] }>(
        relief.httpUrl,
        (await login(relief.httpUrl, "dispatcher")).token,
        "GET",
        `/api/cases/${first.caseId}`,
      );
      const offered = detail.body.timeline.filter((e) => e.type === "offered");
      expect(offered[1]?.data).toMatchObject({ relief: { responderId: far.id } });
      expect(detail.body.timeline.filter((e) => e.type === "accepted").at(-1)?.data).toMatchObject({
        tookOverFrom: far.id,
      });
      far.socket.close();
      near.socket.close();
      nearSocket.close();
      await device.close();
    } finally {
      await relief.close();
    }
  });
});

describe("races and roles", () => {
  it("two responders accepting the same case at the same moment: exactly one wins", async () => {
    const race = await startTestApp({
      env: { EMERGENCY_PARALLEL_OFFERS: "2" },
      // Both asked at once (no phased alerting), so both can tap at the same moment; no grace
      // window, in which a clearly nearer second tap would take over from the first by design.
      policy: { staggerMs: 0, graceMs: 0 },
      seed: { residents: 100, caregivers: 10, volunteers: 10 },
    });
    try {
      await allOffDuty(race);
      const home = await residentOf(race, "BJ-00020");
      const a = await onDutyAt(race, "caregiver001", offset(home.lat, home.lng, 100, 0));
      const b = await onDutyAt(race, "caregiver002", offset(home.lat, home.lng, 0, 120));
      const device = await connectDevice(race, "BJ-00020");
      const [oa, ob] = [nextEvent(a.socket, "offer"), nextEvent(b.socket, "offer")];
      await device.press("race-1");
      const [offerA, offerB] = await Promise.all([oa, ob]);
      expect(offerA.caseId).toBe(offerB.caseId);
      const [ra, rb] = await Promise.all([
        api(race.httpUrl, a.token, "POST", `/api/offers/${offerA.id}/accept`),
        api(race.httpUrl, b.token, "POST", `/api/offers/${offerB.id}/accept`),
      ]);
      expect([ra.status, rb.status].sort()).toEqual([200, 409]);
      expect(
        await count(race, `SELECT COUNT(*) AS n FROM "Offer" WHERE "caseId" = ? AND status = 'accepted'`, [
          offerA.caseId,
        ]),
      ).toBe(1);
      a.socket.close();
      b.socket.close();
      await device.close();
    } finally {
      await race.close();
    }
  });

  it("staff assign by hand; a responder cannot use staff actions; wrong input is a clear 400", async () => {
    await allOffDuty(app);
    const helper = await responderNear("caregiver007", "BJ-00015", 400);
    const device = await connectDevice(app, "BJ-00015");
    open.push(device);
    const created = nextEvent(staff, "case:created", (c) => c.deviceId === "BJ-00015");
    helper.socket.on("offer", () => undefined);
    await device.press("help-5");
    const c = await created;
    const forbidden = await api(app.httpUrl, helper.token, "POST", `/api/cases/${c.id}/assign`, {
      responderId: helper.id,
    });
    expect(forbidden.status).toBe(403);
    const bad = await api<{ error: { code: string } }>(
      app.httpUrl,
      staffToken,
      "POST",
      `/api/cases/${c.id}/assign`,
      { responderId: "x" },
    );
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe("bad_request");
    const ok = await api<CaseSummary>(app.httpUrl, staffToken, "POST", `/api/cases/${c.id}/assign`, {
      responderId: helper.id,
    });
    expect(ok.status).toBe(200);
    expect(ok.body.status).toBe("accepted");
    expect(ok.body.responderId).toBe(helper.id);
    await until(() => device.acks.find((a) => a.status === "assigned"));
    const unauth = await fetch(`${app.httpUrl}/api/cases`);
    expect(unauth.status).toBe(401);
  });
});
