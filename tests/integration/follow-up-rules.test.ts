// 回访 rules against the real platform: every resolved emergency books a follow-up call due the
// next day (listed, not yet due today); it stays resolved until the call is made or staff skip it
// with a reason; a skip needs the reason and a case that is over.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FOLLOW_UP_AFTER_RESOLVE_MS, type CaseSummary, type FollowUpTask } from "../../protocol/index.ts";
import { allOffDuty, api, login, startTestApp, type TestApp } from "../helpers/app.ts";
import { TestClock } from "../helpers/clock.ts";
import { connectDevice } from "../helpers/scenario.ts";

let app: TestApp;
let staff: string;
const clock = new TestClock();

beforeAll(async () => {
  app = await startTestApp({ clock, seed: { residents: 40, caregivers: 4, volunteers: 2 } });
  await allOffDuty(app);
  staff = (await login(app.httpUrl, "dispatcher")).token;
});
afterAll(async () => {
  await app?.close();
});

/** A press on `deviceId`, resolved by staff after a call. */
async function resolved(deviceId: string, eventId: string): Promise<{ caseId: number; resolvedAt: number }> {
  const d = await connectDevice(app, deviceId);
  await d.press(eventId);
  const caseId = (await d.ack((a) => a.eventId === eventId && a.status === "received")).caseId!;
  await d.close();
  const res = await api<CaseSummary>(app.httpUrl, staff, "POST", `/api/cases/${caseId}/resolve`, {
    note: "电话确认老人已被邻居扶起",
  });
  expect(res.body.status).toBe("resolved");
  return { caseId, resolvedAt: clock.now() };
}

const tasksOf = async (caseId: number, query = "") =>
  (await api<FollowUpTask[]>(app.httpUrl, staff, "GET", `/api/follow-ups${query}`)).body.filter(
    (t) => t.caseId === caseId,
  );

describe("follow-up after a resolved emergency", () => {
  it("books a call due the next day; the case waits resolved; the call closes it", async () => {
    const { caseId, resolvedAt } = await resolved("BJ-00012", "fr-1");
    const [task] = await tasksOf(caseId);
    expect(task).toMatchObject({ reason: "scheduled", status: "open", attempt: 1 });
    const due = Date.parse(task!.dueAt);
    expect(due - resolvedAt).toBeGreaterThanOrEqual(FOLLOW_UP_AFTER_RESOLVE_MS - 1000);
    expect(due - resolvedAt).toBeLessThanOrEqual(FOLLOW_UP_AFTER_RESOLVE_MS + 1000);
    // Not due today; due tomorrow.
    expect(
      await tasksOf(caseId, `?dueBefore=${encodeURIComponent(new Date(clock.now()).toISOString())}`),
    ).toEqual([]);
    clock.advance(FOLLOW_UP_AFTER_RESOLVE_MS + 60_000);
    expect(
      await tasksOf(caseId, `?dueBefore=${encodeURIComponent(new Date(clock.now()).toISOString())}`),
    ).toHaveLength(1);

    const closed = await api<CaseSummary>(app.httpUrl, staff, "POST", `/api/cases/${caseId}/follow-up`, {
      outcome: "reached_ok",
      note: "老人说一切都好",
    });
    expect(closed.body.status).toBe("closed");
    expect(await tasksOf(caseId)).toEqual([]);
    const log = await app.db.all<{ kind: string }>(
      `SELECT kind FROM "ServiceLog" WHERE "caseId" = ? ORDER BY id`,
      [caseId],
    );
    expect(log.map((l) => l.kind)).toEqual(["job", "follow_up"]);
  });

  it("closes without the call only with a reason, and only once the case is over", async () => {
    const { caseId } = await resolved("BJ-00013", "fr-2");
    const noReason = await api(app.httpUrl, staff, "POST", `/api/cases/${caseId}/skip-follow-up`, {
      reason: " ",
    });
    expect(noReason.status).toBe(400);
    const manager = (await login(app.httpUrl, "manager")).token;
    expect(
      (await api(app.httpUrl, manager, "POST", `/api/cases/${caseId}/skip-follow-up`, { reason: "x" }))
        .status,
    ).toBe(403);
    const after = await api<CaseSummary>(app.httpUrl, staff, "GET", `/api/cases/${caseId}`);
    expect((after.body as unknown as { case: CaseSummary }).case.status).toBe("resolved");

    const skipped = await api<CaseSummary>(
      app.httpUrl,
      staff,
      "POST",
      `/api/cases/${caseId}/skip-follow-up`,
      {
        reason: "家属当晚在场，已确认无恙",
      },
    );
    expect(skipped.body.status).toBe("closed");
    const rows = await app.db.all<{ status: string; skipReason: string }>(
      `SELECT status, "skipReason" FROM "FollowUpTask" WHERE "caseId" = ?`,
      [caseId],
    );
    expect(rows).toEqual([{ status: "skipped", skipReason: "家属当晚在场，已确认无恙" }]);

    // A case still in progress cannot skip its follow-up.
    const d = await connectDevice(app, "BJ-00014");
    await d.press("fr-3");
    const open = (await d.ack((a) => a.eventId === "fr-3" && a.status === "received")).caseId!;
    await d.close();
    expect(
      (await api(app.httpUrl, staff, "POST", `/api/cases/${open}/skip-follow-up`, { reason: "x" })).status,
    ).toBe(409);
    await api(app.httpUrl, staff, "POST", `/api/cases/${open}/cancel`, { reason: "test over" });
  });
});
