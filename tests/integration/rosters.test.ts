// Duty rosters against the real platform: a caregiver off shift is never offered a job, an extra
// shift puts them back, the end of a shift (the clock moved, the sweep run) takes them off again,
// and the duty board shows who is on, who is next and the gap between.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  localDate,
  localTime,
  PLATFORM_TIME_ZONE,
  type DutyBoard,
  type Roster,
  type ShiftPattern,
} from "../../protocol/index.ts";
import {
  api,
  cancelActiveCases,
  allOffDuty,
  login,
  nextEvent,
  startTestApp,
  type TestApp,
} from "../helpers/app.ts";
import { TestClock } from "../helpers/clock.ts";
import { connectDevice, offset, onDutyAt, residentOf, type TestResponder } from "../helpers/scenario.ts";

const MIN = 60_000;
const HOUR = 60 * MIN;
let app: TestApp;
let manager: string;
const clock = new TestClock();
const closers: { close(): unknown }[] = [];

beforeAll(async () => {
  app = await startTestApp({
    clock,
    seed: { residents: 60, caregivers: 6, volunteers: 4 },
    env: { EMERGENCY_PARALLEL_OFFERS: "1" },
  });
  manager = (await login(app.httpUrl, "admin")).token;
  await allOffDuty(app);
});
afterAll(async () => {
  for (const c of closers) await c.close();
  await app?.close();
});

async function at(
  username: string,
  home: { lat: number; lng: number },
  metres: number,
): Promise<TestResponder> {
  const r = await onDutyAt(app, username, offset(home.lat, home.lng, metres, 0));
  closers.push({ close: () => r.socket.close() });
  return r;
}

/** Presses the device and answers who got the first offer, then cancels the case. */
async function firstOfferee(deviceId: string, eventId: string, responders: TestResponder[]): Promise<number> {
  const device = await connectDevice(app, deviceId);
  closers.push(device);
  const offered = Promise.race(responders.map((r) => nextEvent(r.socket, "offer")));
  await device.press(eventId);
  const offer = await offered;
  await cancelActiveCases(app);
  return offer.responderId;
}

describe("duty rosters decide who may be offered a job", () => {
  it("off shift: never offered; an extra shift: offered; the shift's end: off again", async () => {
    const home = await residentOf(app, "BJ-00011");
    const near = await at("caregiver001", home, 150);
    const far = await at("caregiver002", home, 1500);
    const now = clock.now();
    const startsAt = now + 2 * HOUR;
    const pattern = await api<ShiftPattern>(
      app.httpUrl,
      manager,
      "POST",
      `/api/rosters/${near.id}/patterns`,
      {
        days: ["MO", "TU", "WE", "TH", "FR", "SA", "SU"],
        start: localTime(startsAt, PLATFORM_TIME_ZONE).slice(0, 5),
        minutes: 60,
        from: localDate(now - 24 * HOUR, PLATFORM_TIME_ZONE),
      },
    );
    expect(pattern.status).toBe(201);
    expect(pattern.body.rrule).toBe("FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR,SA,SU");

    // Off shift now: the nearer caregiver is passed over for the farther one (who has no roster).
    expect(await firstOfferee("BJ-00011", "r-1", [near, far])).toBe(far.id);
    const me = await api<{ offers: unknown[] }>(app.httpUrl, near.token, "GET", "/api/responder/me");
    expect(me.body.offers).toEqual([]);

    // An extra shift covering now puts them on.
    const extraEnds = now + HOUR;
    const extra = await api(app.httpUrl, manager, "POST", `/api/rosters/${near.id}/exceptions`, {
      kind: "extra",
      startsAt: new Date(now - MIN).toISOString(),
      endsAt: new Date(extraEnds).toISOString(),
      note: "covering for a colleague",
    });
    expect(extra.status).toBe(201);
    expect(await firstOfferee("BJ-00011", "r-2", [near, far])).toBe(near.id);

    // The board: on duty now until the extra shift ends, next at the pattern's start, and the
    // hour between them is a gap in the community's coverage (the other caregivers have no roster).
    const board = await api<DutyBoard>(app.httpUrl, manager, "GET", `/api/duty-board?hours=6`);
    expect(board.status).toBe(200);
    const community = board.body.communities.find((c) => c.onDuty.some((d) => d.responderId === near.id));
    expect(community?.onDuty.find((d) => d.responderId === near.id)?.endsAt).toBe(
      new Date(extraEnds).toISOString(),
    );
    // The pattern starts on the minute (HH:MM).
    const nextStart = Math.floor(startsAt / MIN) * MIN;
    expect(community?.next[0]).toMatchObject({ responderId: near.id });
    expect(Date.parse(community!.next[0]!.startsAt)).toBe(nextStart);
    expect(community?.gaps[0]).toEqual({
      from: new Date(extraEnds).toISOString(),
      until: new Date(nextStart).toISOString(),
    });

    // An hour later the extra shift is over: the sweep takes them off again.
    clock.advance(HOUR + MIN);
    app.care.rosters.sweep();
    for (const r of [near, far]) {
      const moved = await api(
        app.httpUrl,
        r.token,
        "POST",
        "/api/responder/location",
        offset(home.lat, home.lng, r === near ? 150 : 1500, 0),
      );
      expect(moved.status).toBe(204);
    }
    expect(await firstOfferee("BJ-00011", "r-3", [near, far])).toBe(far.id);

    const roster = await api<Roster>(app.httpUrl, manager, "GET", `/api/rosters/${near.id}`);
    expect(roster.body.patterns).toHaveLength(1);
    expect(roster.body.exceptions).toHaveLength(1);
    expect(Date.parse(roster.body.upcoming[0]!.startsAt)).toBe(nextStart);
  });

  it("refuses bad input and callers without the right", async () => {
    const bad = await api(app.httpUrl, manager, "POST", `/api/rosters/1/patterns`, {
      days: ["XX"],
      start: "25:00",
      minutes: 10,
      from: "tomorrow",
    });
    expect(bad.status).toBe(400);
    const backwards = await api(app.httpUrl, manager, "POST", `/api/rosters/1/exceptions`, {
      kind: "off",
      startsAt: "2026-12-02T10:00:00+08:00",
      endsAt: "2026-12-02T09:00:00+08:00",
    });
    expect(backwards.status).toBe(400);
    const dispatcher = (await login(app.httpUrl, "dispatcher")).token;
    const forbidden = await api(app.httpUrl, dispatcher, "POST", `/api/rosters/1/exceptions`, {
      kind: "off",
      startsAt: "2026-12-02T09:00:00+08:00",
      endsAt: "2026-12-02T10:00:00+08:00",
    });
    expect(forbidden.status).toBe(403);
    expect((await api(app.httpUrl, manager, "GET", `/api/rosters/999999`)).status).toBe(404);
    expect((await api(app.httpUrl, manager, "DELETE", `/api/shift-patterns/999999`)).status).toBe(404);
  });
});
