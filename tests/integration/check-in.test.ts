// The daily check-in against the real platform: a resident silent past their hour gets exactly one
// welfare check that day (the sweep run again, or after a restart of the sweep's memory, raises no
// second); an "I'm OK" press that day means none; the next silent day raises a new one.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deadlineOn } from "../../dispatcher/check-in/rules.ts";
import type { AuditEntryDto, CheckInPlan, Page } from "../../protocol/index.ts";
import { api, cancelActiveCases, count, login, startTestApp, type TestApp } from "../helpers/app.ts";
import { TestClock } from "../helpers/clock.ts";
import { connectDevice, residentOf } from "../helpers/scenario.ts";

const DAY = 86_400_000;
let app: TestApp;
let staff: string;
const clock = new TestClock();

beforeAll(async () => {
  app = await startTestApp({ clock, seed: { residents: 40, caregivers: 4, volunteers: 4 } });
  staff = (await login(app.httpUrl, "dispatcher")).token;
});
afterAll(async () => {
  await app?.close();
});

const welfareCases = (residentId: number) =>
  count(app, `SELECT COUNT(*) AS n FROM "Case" WHERE "residentId" = ? AND type = 'welfare_check'`, [
    residentId,
  ]);

async function plan(residentId: number, dueTime: string): Promise<CheckInPlan> {
  const res = await api<CheckInPlan>(app.httpUrl, staff, "PUT", `/api/residents/${residentId}/check-in`, {
    enabled: true,
    dueTime,
  });
  expect(res.status).toBe(200);
  return res.body;
}

const today = async (residentId: number): Promise<CheckInPlan> =>
  (await api<CheckInPlan>(app.httpUrl, staff, "GET", `/api/residents/${residentId}/check-in`)).body;

describe("daily check-in", () => {
  it("a silent day past the hour raises exactly one welfare check; the next silent day one more", async () => {
    const { residentId } = await residentOf(app, "BJ-00003");
    // Midnight: the hour has passed whenever the test runs.
    expect((await plan(residentId, "00:00")).missedToday).toBe(true);
    const first = await app.care.checkIns.sweep();
    expect(first).toHaveLength(1);
    expect(await app.care.checkIns.sweep()).toEqual([]);
    expect(await welfareCases(residentId)).toBe(1);
    const detail = await api<{ case: { type: string; kind: string }; timeline: { note: string | null }[] }>(
      app.httpUrl,
      staff,
      "GET",
      `/api/cases/${first[0]}`,
    );
    expect(detail.body.case).toMatchObject({ type: "welfare_check", kind: "emergency" });
    expect(detail.body.timeline.some((e) => e.note?.includes("no daily check-in by 00:00"))).toBe(true);
    // The resident's page tells that today's silence has its welfare check.
    expect(await today(residentId)).toMatchObject({
      missedToday: true,
      raisedToday: true,
      raisedCaseId: first[0],
    });

    // Someone went round; the case is over. Later the same day: still no second case.
    await cancelActiveCases(app);
    expect(await app.care.checkIns.sweep()).toEqual([]);
    expect(await welfareCases(residentId)).toBe(1);

    clock.advance(DAY);
    // A new silent day: the case raised belongs to yesterday until the sweep raises today's.
    expect(await today(residentId)).toMatchObject({ missedToday: true, raisedToday: false });
    expect(await app.care.checkIns.sweep()).toHaveLength(1);
    expect(await welfareCases(residentId)).toBe(2);
    await cancelActiveCases(app);
  });

  it("an I'm-OK press that day means no welfare check", async () => {
    const { residentId } = await residentOf(app, "BJ-00005");
    const device = await connectDevice(app, "BJ-00005");
    try {
      await device.press("ok-1", "check_in");
      await device.ack((a) => a.eventId === "ok-1");
    } finally {
      await device.close();
    }
    const p = await plan(residentId, "00:00");
    expect(p.missedToday).toBe(false);
    expect(p.lastActivityAt).not.toBeNull();
    expect(await app.care.checkIns.sweep()).toEqual([]);
    expect(await welfareCases(residentId)).toBe(0);
  });

  it("a change of plan is on the resident's history, with what it was before; saving it unchanged adds nothing", async () => {
    const { residentId } = await residentOf(app, "BJ-00009");
    const history = async () =>
      (
        await api<Page<AuditEntryDto>>(
          app.httpUrl,
          staff,
          "GET",
          `/api/audit?entity=resident&id=${residentId}`,
        )
      ).body.items.filter((e) => e.changes && Object.keys(e.changes).some((k) => k.startsWith("checkIn")));
    const set = await plan(residentId, "09:30");
    expect(set).toMatchObject({ enabled: true, dueTime: "09:30" });
    expect(Date.parse(set.dueAt)).toBe(deadlineOn(clock.now(), "09:30", "Asia/Shanghai"));
    await plan(residentId, "09:30");
    await plan(residentId, "08:00");
    const entries = await history();
    expect(entries.map((e) => [e.action, e.actorName, e.changes])).toEqual([
      ["update", expect.any(String), { checkInDueTime: ["09:30", "08:00"] }],
      ["update", expect.any(String), { checkInEnabled: [false, true], checkInDueTime: ["10:00", "09:30"] }],
    ]);
  });

  it("staff without the care right cannot change the plan; bad input changes nothing", async () => {
    const manager = (await login(app.httpUrl, "manager")).token;
    const { residentId } = await residentOf(app, "BJ-00007");
    expect(
      (
        await api(app.httpUrl, manager, "PUT", `/api/residents/${residentId}/check-in`, {
          enabled: true,
          dueTime: "09:00",
        })
      ).status,
    ).toBe(403);
    expect(
      (
        await api(app.httpUrl, staff, "PUT", `/api/residents/${residentId}/check-in`, {
          enabled: true,
          dueTime: "9am",
        })
      ).status,
    ).toBe(400);
    expect(
      (
        await api(app.httpUrl, staff, "PUT", `/api/residents/999999/check-in`, {
          enabled: true,
          dueTime: "09:00",
        })
      ).status,
    ).toBe(404);
    const stored = await api<CheckInPlan>(app.httpUrl, staff, "GET", `/api/residents/${residentId}/check-in`);
    expect(stored.body.enabled).toBe(false);
  });
});
