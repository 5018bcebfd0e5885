// The weekly test press against the real platform: a device with no test press for 7 days is
// flagged with exactly one technical case per lapse (the sweep run again raises no second); a test
// press ends the lapse. Time is moved with an injected clock.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DevicePage } from "../../protocol/index.ts";
import { api, cancelActiveCases, count, login, startTestApp, type TestApp } from "../helpers/app.ts";
import { TestClock } from "../helpers/clock.ts";
import { connectDevice, residentOf } from "../helpers/scenario.ts";

const DAY = 86_400_000;
let app: TestApp;
const clock = new TestClock();

beforeAll(async () => {
  app = await startTestApp({ clock, seed: { residents: 30, caregivers: 3, volunteers: 3 } });
});
afterAll(async () => {
  await app?.close();
});

const overdueCases = (residentId: number) =>
  count(app, `SELECT COUNT(*) AS n FROM "Case" WHERE "residentId" = ? AND type = 'test_overdue'`, [
    residentId,
  ]);

async function testPress(id: string, eventId: string): Promise<void> {
  const device = await connectDevice(app, id);
  try {
    await device.press(eventId, "test");
    await device.ack((a) => a.eventId === eventId);
  } finally {
    await device.close();
  }
}

describe("the weekly test press", () => {
  it("a week without one raises one technical case; a test press ends the lapse", async () => {
    const id = "BJ-00010";
    const { residentId } = await residentOf(app, id);
    await testPress(id, "t-1");
    expect(await app.heartbeats.sweepTests()).not.toContain(id);

    clock.advance(7 * DAY - 60_000);
    expect(await app.heartbeats.sweepTests()).not.toContain(id); // a minute short of a week
    clock.advance(2 * 60_000);
    await app.heartbeats.sweepTests(); // the periodic sweep may get there first; either way one case
    expect(await overdueCases(residentId)).toBe(1);
    const [c] = await app.db.all<{ kind: string; priority: number; deviceId: string }>(
      `SELECT kind, priority, "deviceId" FROM "Case" WHERE "residentId" = ? AND type = 'test_overdue'`,
      [residentId],
    );
    expect(c).toEqual({ kind: "technical", priority: 4, deviceId: id });

    // Closed by staff without a test: the same lapse is not raised again.
    await cancelActiveCases(app);
    expect(await app.heartbeats.sweepTests()).not.toContain(id);
    expect(await overdueCases(residentId)).toBe(1);

    // Tested: nothing until the next week has passed.
    await testPress(id, "t-2");
    const token = (await login(app.httpUrl, "dispatcher")).token;
    const devices = await api<DevicePage>(app.httpUrl, token, "GET", `/api/devices?q=${id}`);
    expect(devices.body.items.find((d) => d.id === id)?.lastTestAt).not.toBeNull();
    clock.advance(DAY);
    expect(await app.heartbeats.sweepTests()).not.toContain(id);
    expect(await overdueCases(residentId)).toBe(1);
    await cancelActiveCases(app);
  });
});
