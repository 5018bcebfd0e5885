// The daily check-in against the real platform: a resident silent past their hour gets exactly one
// welfare check that day (the sweep run again, or after a restart of the sweep's memory, raises no
// second); an "I'm OK" press that day means none; the next silent day raises a new one.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CheckInPlan } from "../../protocol/index.ts";
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

    // Someone went round; the case is over. Later the same day: still no second case.
    await cancelActiveCases(app);
    expect(await app.care.checkIns.sweep()).toEqual([]);
    expect(await welfareCases(residentId)).toBe(1);

    clock.advance(DAY);
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
