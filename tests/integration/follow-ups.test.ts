// Follow-up calls (回访) against the real platform: only "reached, resident fine" closes by
// default; nobody answering books a retry that shows in the follow-up list and keeps the case
// open; every attempt is in the phone log and the timeline.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ApiErrorBody, CallDto, CaseDetail, CaseSummary, FollowUpTask } from "../../protocol/index.ts";
import { allOffDuty, api, login, startTestApp, type TestApp } from "../helpers/app.ts";
import { connectDevice } from "../helpers/scenario.ts";

const RETRY_MINUTES = 45;
let app: TestApp;
let token: string;

beforeAll(async () => {
  app = await startTestApp({ env: { FOLLOW_UP_RETRY_MINUTES: String(RETRY_MINUTES) } });
  await allOffDuty(app);
  token = (await login(app.httpUrl, "dispatcher")).token;
});
afterAll(async () => {
  await app?.close();
});

/** A case pressed on `deviceId` and cancelled by staff: it waits for its follow-up call. */
async function awaitingFollowUp(deviceId: string): Promise<number> {
  const d = await connectDevice(app, deviceId);
  await d.press(`fu-${deviceId}`, "sos");
  const caseId = (await d.ack((a) => a.status === "received")).caseId!;
  await d.close();
  const cancelled = await api<CaseSummary>(app.httpUrl, token, "POST", `/api/cases/${caseId}/cancel`, {
    reason: "老人误触",
  });
  expect(cancelled.body.status).toBe("cancelled");
  return caseId;
}

const followUp = (caseId: number, body: object) =>
  api<CaseSummary & ApiErrorBody>(app.httpUrl, token, "POST", `/api/cases/${caseId}/follow-up`, body);

describe("follow-up calls", () => {
  it("no answer books a retry after the configured interval; the case stays open and is listed as due then", async () => {
    const caseId = await awaitingFollowUp("BJ-00610");
    const before = Date.now();
    const res = await followUp(caseId, { outcome: "no_answer" });
    expect(res.status).toBe(200);
    expect(res.body.status).toBe("cancelled");
    const due = Date.parse(res.body.followUpDueAt!);
    expect(due).toBeGreaterThanOrEqual(before + RETRY_MINUTES * 60_000);
    expect(due).toBeLessThan(Date.now() + RETRY_MINUTES * 60_000 + 1000);

    const tasks = (await api<FollowUpTask[]>(app.httpUrl, token, "GET", "/api/follow-ups")).body;
    expect(tasks.filter((t) => t.caseId === caseId)).toEqual([
      expect.objectContaining({ reason: "retry", attempt: 2, status: "open", dueAt: res.body.followUpDueAt }),
    ]);
    // Not due yet: a list of what is due now leaves it out.
    const dueNow = await api<FollowUpTask[]>(
      app.httpUrl,
      token,
      "GET",
      `/api/follow-ups?dueBefore=${encodeURIComponent(new Date().toISOString())}`,
    );
    expect(dueNow.body.map((t) => t.caseId)).not.toContain(caseId);

    // The attempt is a call in the phone log and a step of the timeline.
    const calls = (await api<CallDto[]>(app.httpUrl, token, "GET", `/api/cases/${caseId}/calls`)).body;
    expect(calls).toEqual([
      expect.objectContaining({ party: "resident", outcome: "no_answer", direction: "outbound" }),
    ]);
    const detail = (await api<CaseDetail>(app.httpUrl, token, "GET", `/api/cases/${caseId}`)).body;
    expect(detail.timeline.find((e) => e.type === "follow_up")?.data).toMatchObject({
      outcome: "no_answer",
      retryAt: due,
    });

    // Closing on a call nobody answered is refused, with the facts for a sentence.
    const refused = await followUp(caseId, { outcome: "no_answer", close: true });
    expect(refused.status).toBe(409);
    expect(refused.body.error.details).toEqual({ status: "cancelled", action: "follow_up" });

    // The retry reaches the family: fine, so the case closes and the booked call is done.
    const closed = await followUp(caseId, {
      outcome: "reached_ok",
      party: "family",
      number: "139 0000 1111",
    });
    expect(closed.body).toMatchObject({ status: "closed", followUpDueAt: null });
    const left = (await api<FollowUpTask[]>(app.httpUrl, token, "GET", "/api/follow-ups")).body;
    expect(left.map((t) => t.caseId)).not.toContain(caseId);
    const task = await app.db.get<{ status: string; settledById: number | null }>(
      `SELECT status, "settledById" FROM "FollowUpTask" WHERE "caseId" = ?`,
      [caseId],
    );
    expect(task).toMatchObject({ status: "done" });
    expect(task?.settledById).not.toBeNull();
  });

  it("still needs help keeps the case open unless staff choose to close it", async () => {
    const caseId = await awaitingFollowUp("BJ-00611");
    const kept = await followUp(caseId, { outcome: "reached_needs_help", note: "需要送餐" });
    expect(kept.body).toMatchObject({ status: "cancelled", followUpDueAt: null });
    const closed = await followUp(caseId, { outcome: "reached_needs_help", close: true });
    expect(closed.body.status).toBe("closed");
  });

  it("reached and fine closes by default", async () => {
    const caseId = await awaitingFollowUp("BJ-00612");
    expect((await followUp(caseId, { outcome: "reached_ok" })).body.status).toBe("closed");
  });
});
