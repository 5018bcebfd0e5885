// Coverage gaps as stored alerts, against the real platform with an injected clock: a gap in a
// community's roster is raised as ONE alert 12 hours before it starts (not earlier, not twice),
// follows the roster as it is edited, is resolved once the roster fills it, and is acknowledged
// by whoever saw it. Communities without rosters raise nothing.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CoverageAlert } from "../../protocol/index.ts";
import {
  allOffDuty,
  api,
  connectSocket,
  count,
  login,
  nextEvent,
  startTestApp,
  type TestApp,
} from "../helpers/app.ts";
import { TestClock } from "../helpers/clock.ts";

const MIN = 60_000;
const HOUR = 60 * MIN;
let app: TestApp;
let admin: string;
const clock = new TestClock();

beforeAll(async () => {
  app = await startTestApp({ clock, seed: { residents: 30, caregivers: 4, volunteers: 2 } });
  admin = (await login(app.httpUrl, "admin")).token;
  await allOffDuty(app);
});
afterAll(async () => {
  await app?.close();
});

const iso = (ms: number) => new Date(ms).toISOString();
const extraShift = (responderId: number, from: number, until: number) =>
  api(app.httpUrl, admin, "POST", `/api/rosters/${responderId}/exceptions`, {
    kind: "extra",
    startsAt: iso(from),
    endsAt: iso(until),
  });
const openAlerts = async () =>
  (await api<CoverageAlert[]>(app.httpUrl, admin, "GET", "/api/coverage-alerts")).body;

describe("a gap in roster coverage", () => {
  it("is raised once 12 h ahead, follows the roster, and is resolved when the roster fills it", async () => {
    const caregiver = (await app.db.get<{ id: number; communityId: number }>(
      `SELECT id, "communityId" FROM "Responder" WHERE role = 'caregiver' ORDER BY id LIMIT 1`,
    ))!;
    const t0 = clock.now();
    // On shift for the next 16 hours, and again from hour 18: nobody covers hours 16–18.
    expect((await extraShift(caregiver.id, t0 - HOUR, t0 + 16 * HOUR)).status).toBe(201);
    expect((await extraShift(caregiver.id, t0 + 18 * HOUR, t0 + 48 * HOUR)).status).toBe(201);

    expect(await app.care.coverage.sweep()).toEqual([]); // 16 h ahead: too early to raise
    clock.advance(4 * HOUR - MIN);
    expect(await app.care.coverage.sweep()).toEqual([]);

    const staff = await connectSocket(app.httpUrl, (await login(app.httpUrl, "dispatcher")).token);
    try {
      const raisedEvent = nextEvent(staff, "coverage:alert", (a) => a.communityId === caregiver.communityId);
      clock.advance(2 * MIN); // the gap now starts within 12 hours
      await app.care.coverage.sweep(); // the periodic sweep may get there first; either way one alert
      const raised = await raisedEvent;
      expect(raised).toMatchObject({
        communityId: caregiver.communityId,
        from: iso(t0 + 16 * HOUR),
        until: iso(t0 + 18 * HOUR),
        resolvedAt: null,
      });
      await app.care.coverage.sweep();
      expect(await openAlerts()).toEqual([raised]);
      // Only the community with a roster has gaps.
      expect(await count(app, `SELECT COUNT(*) AS n FROM "CoverageAlert"`)).toBe(1);

      // Seen by the duty desk: acknowledged once, still open (nobody is on shift yet).
      const { token: dispatcher, user: desk } = await login(app.httpUrl, "dispatcher");
      const ack = await api<CoverageAlert>(
        app.httpUrl,
        dispatcher,
        "POST",
        `/api/coverage-alerts/${raised.id}/ack`,
      );
      expect(ack.body).toMatchObject({ acknowledgedBy: desk.displayName, resolvedAt: null });
      const again = await api<CoverageAlert>(
        app.httpUrl,
        dispatcher,
        "POST",
        `/api/coverage-alerts/${raised.id}/ack`,
      );
      expect(again.body.acknowledgedAt).toBe(ack.body.acknowledgedAt);
      expect((await api(app.httpUrl, dispatcher, "POST", "/api/coverage-alerts/999999/ack")).status).toBe(
        404,
      );

      // Half filled: the same alert, shorter.
      expect((await extraShift(caregiver.id, t0 + 16 * HOUR, t0 + 17 * HOUR)).status).toBe(201);
      await app.care.coverage.sweep();
      const [moved] = await openAlerts();
      expect(moved).toMatchObject({ id: raised.id, from: iso(t0 + 17 * HOUR), until: iso(t0 + 18 * HOUR) });

      // Filled: resolved, and the consoles hear it.
      const resolvedEvent = nextEvent(
        staff,
        "coverage:alert",
        (a) => a.id === raised.id && a.resolvedAt !== null,
      );
      expect((await extraShift(caregiver.id, t0 + 17 * HOUR, t0 + 18 * HOUR)).status).toBe(201);
      await app.care.coverage.sweep();
      expect(await resolvedEvent).toMatchObject({ resolution: "filled" });
      expect(await openAlerts()).toEqual([]);
      await app.care.coverage.sweep();
      expect(await count(app, `SELECT COUNT(*) AS n FROM "CoverageAlert"`)).toBe(1);
    } finally {
      staff.close();
    }
  });

  it("a gap that goes by uncovered is resolved as ended, and the next gap is an alert of its own", async () => {
    const caregiver = (await app.db.get<{ id: number }>(
      `SELECT id FROM "Responder" WHERE role = 'caregiver' ORDER BY id LIMIT 1`,
    ))!;
    const { end } = (await app.db.get<{ end: number }>(
      `SELECT MAX("endsAt") AS "end" FROM "ShiftException" WHERE "responderId" = ?`,
      [caregiver.id],
    ))!;
    // After the roster above: two uncovered hours, one more shift, then nothing.
    expect((await extraShift(caregiver.id, end + 2 * HOUR, end + 10 * HOUR)).status).toBe(201);
    clock.advance(end - clock.now() - 11 * HOUR);
    await app.care.coverage.sweep();
    const [gap] = await openAlerts();
    expect(gap).toMatchObject({ from: iso(end), until: iso(end + 2 * HOUR) });

    clock.advance(13 * HOUR + MIN); // the two hours went by uncovered
    await app.care.coverage.sweep();
    const all = (await api<CoverageAlert[]>(app.httpUrl, admin, "GET", "/api/coverage-alerts?state=all"))
      .body;
    expect(all.find((a) => a.id === gap!.id)).toMatchObject({ resolution: "ended" });
    const [next] = await openAlerts();
    expect(next).toMatchObject({ from: iso(end + 10 * HOUR) });
    expect(next!.id).not.toBe(gap!.id);
  });
});
