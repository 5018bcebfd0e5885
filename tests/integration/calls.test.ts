// Phone calls about a case are part of its record: staff (and the responder who has the case) log
// them, they show in the timeline with their outcome and actor, and bad input changes nothing.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CallDto, CaseDetail, CaseSummary } from "../../protocol/index.ts";
import { allOffDuty, api, count, login, startTestApp, type TestApp } from "../helpers/app.ts";
import { connectDevice, offset, onDutyAt, residentOf } from "../helpers/scenario.ts";

let app: TestApp;
let staff: string;
let caseId: number;

beforeAll(async () => {
  app = await startTestApp();
  await allOffDuty(app);
  staff = (await login(app.httpUrl, "dispatcher")).token;
  const device = await connectDevice(app, "BJ-00007");
  await device.press("call-case-1");
  caseId = (await device.ack((a) => a.eventId === "call-case-1")).caseId!;
  await device.close();
});
afterAll(async () => {
  await app?.close();
});

describe("the phone log of a case", () => {
  it("records a staff call, shows it in the timeline with its outcome and actor, and lists it", async () => {
    const logged = await api<CaseSummary>(app.httpUrl, staff, "POST", `/api/cases/${caseId}/calls`, {
      direction: "outbound",
      party: "family",
      number: "139 0000 0000",
      outcome: "no_answer",
      note: "儿子未接，稍后再打",
    });
    expect(logged.status).toBe(200);
    expect(logged.body.id).toBe(caseId);

    const calls = await api<CallDto[]>(app.httpUrl, staff, "GET", `/api/cases/${caseId}/calls`);
    expect(calls.body).toHaveLength(1);
    expect(calls.body[0]).toMatchObject({
      direction: "outbound",
      party: "family",
      number: "139 0000 0000",
      outcome: "no_answer",
      note: "儿子未接，稍后再打",
      actorType: "staff",
    });
    expect(calls.body[0]!.actorName).toBeTruthy();

    const detail = await api<CaseDetail>(app.httpUrl, staff, "GET", `/api/cases/${caseId}`);
    const event = detail.body.timeline.find((e) => e.type === "call");
    expect(event).toMatchObject({ actorType: "staff", note: "儿子未接，稍后再打" });
    expect(event?.data).toMatchObject({ direction: "outbound", party: "family", outcome: "no_answer" });
  });

  it("refuses bad input with the failing fields named, and writes nothing", async () => {
    const before = await count(app, `SELECT COUNT(*) n FROM "CaseCall"`);
    for (const body of [
      {},
      { direction: "sideways", party: "family", outcome: "reached" },
      { direction: "inbound", party: "family", outcome: "reached", number: "call me" },
      { direction: "inbound", party: "family", outcome: "reached", note: "x".repeat(2001) },
    ]) {
      const r = await api<{ error: { code: string; details?: { fields: { path: string }[] } } }>(
        app.httpUrl,
        staff,
        "POST",
        `/api/cases/${caseId}/calls`,
        body,
      );
      expect(r.status).toBe(400);
      expect(r.body.error.code).toBe("bad_request");
      expect(r.body.error.details?.fields.length).toBeGreaterThan(0);
    }
    const unknown = await api(app.httpUrl, staff, "POST", `/api/cases/999999/calls`, {
      direction: "inbound",
      party: "resident",
      outcome: "reached",
    });
    expect(unknown.status).toBe(404);
    expect(await count(app, `SELECT COUNT(*) n FROM "CaseCall"`)).toBe(before);
  });

  it("lets only a responder who has the case log a call on it", async () => {
    const home = await residentOf(app, "BJ-00007");
    // Off duty, so nobody offers them the waiting case (a responder coming on duty nearby would be).
    const stranger = await login(app.httpUrl, "caregiver001");
    const body = { direction: "outbound", party: "resident", outcome: "reached" } as const;
    const strangerCall = await api(app.httpUrl, stranger.token, "POST", `/api/cases/${caseId}/calls`, body);
    expect(strangerCall.status).toBe(404); // a case that is not theirs does not exist for them
    const near = await onDutyAt(app, "caregiver001", offset(home.lat, home.lng, 200, 0));

    // Staff assign the case to them; now their call from the phone is logged with them as the actor.
    await api(app.httpUrl, staff, "POST", `/api/cases/${caseId}/assign`, { responderId: near.id });
    const own = await api(app.httpUrl, near.token, "POST", `/api/cases/${caseId}/calls`, body);
    expect(own.status).toBe(200);
    const calls = await api<CallDto[]>(app.httpUrl, staff, "GET", `/api/cases/${caseId}/calls`);
    expect(calls.body.find((c) => c.actorType === "responder")?.actorId).toBe(String(near.id));
    near.socket.close();
  });
});
