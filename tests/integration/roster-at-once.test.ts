// A responder added or changed after the start, and a roster edit, reach matching at once — not at
// the roster's next 15 s sweep: a new caregiver given a shift later today is off shift the moment
// the shift is saved; a rostered volunteer made a caregiver is off shift the moment the change is
// saved, so a press right after it is not offered to them; an extra shift puts them on at once.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { localDate, localTime, PLATFORM_TIME_ZONE, type ResponderRecord } from "../../protocol/index.ts";
import {
  allOffDuty,
  api,
  cancelActiveCases,
  login,
  nextEvent,
  startTestApp,
  TEST_PASSWORD,
  type TestApp,
} from "../helpers/app.ts";
import { TestClock } from "../helpers/clock.ts";
import { connectDevice, offset, onDutyAt, residentOf, type TestResponder } from "../helpers/scenario.ts";

const HOUR = 3_600_000;
const DEVICE = "BJ-00012";
let app: TestApp;
let admin: string;
const clock = new TestClock();
const closers: { close(): unknown }[] = [];

beforeAll(async () => {
  app = await startTestApp({
    clock,
    seed: { residents: 40, caregivers: 4, volunteers: 4 },
    env: { EMERGENCY_PARALLEL_OFFERS: "1" },
  });
  admin = (await login(app.httpUrl, "admin")).token;
  await allOffDuty(app);
});
afterAll(async () => {
  for (const c of closers) await c.close();
  await app?.close();
});

/** A daily shift starting two hours from now: off shift now for anyone it governs. */
const laterToday = () => ({
  days: ["MO", "TU", "WE", "TH", "FR", "SA", "SU"],
  start: localTime(clock.now() + 2 * HOUR, PLATFORM_TIME_ZONE).slice(0, 5),
  minutes: 60,
  from: localDate(clock.now() - 24 * HOUR, PLATFORM_TIME_ZONE),
});

async function enrol(role: "caregiver" | "volunteer", username: string): Promise<ResponderRecord> {
  const home = await residentOf(app, DEVICE);
  const r = await api<ResponderRecord>(app.httpUrl, admin, "POST", "/api/responders", {
    name: `新人${username}`,
    phone: "13800001111",
    role,
    skills: ["first_aid"],
    transport: "walk",
    communityId: home.communityId,
    account: { username, password: TEST_PASSWORD },
  });
  expect(r.status).toBe(201);
  return r.body;
}

/** Who gets the first offer of a press (the case is cancelled afterwards). */
async function firstOfferee(eventId: string, phones: TestResponder[]): Promise<number> {
  const device = await connectDevice(app, DEVICE);
  closers.push(device);
  const offered = Promise.race(phones.map((p) => nextEvent(p.socket, "offer")));
  await device.press(eventId);
  const offer = await offered;
  await cancelActiveCases(app);
  return offer.responderId;
}

describe("shift state at once", () => {
  it("a caregiver added after the start and given a later shift is off shift the moment it is saved", async () => {
    const added = await enrol("caregiver", "late_joiner");
    expect(app.registry.get(added.id)?.offShift ?? false).toBe(false); // no roster: the duty switch alone
    const saved = await api(app.httpUrl, admin, "POST", `/api/rosters/${added.id}/patterns`, laterToday());
    expect(saved.status).toBe(201);
    expect(app.registry.get(added.id)?.offShift).toBe(true);

    const extra = await api(app.httpUrl, admin, "POST", `/api/rosters/${added.id}/exceptions`, {
      kind: "extra",
      startsAt: new Date(clock.now() - 60_000).toISOString(),
      endsAt: new Date(clock.now() + HOUR).toISOString(),
    });
    expect(extra.status).toBe(201);
    expect(app.registry.get(added.id)?.offShift).toBe(false);
  });

  it("a rostered volunteer made a caregiver is off shift at once, and is not offered the next press", async () => {
    const home = await residentOf(app, DEVICE);
    const volunteer = await enrol("volunteer", "turns_caregiver");
    expect(
      (await api(app.httpUrl, admin, "POST", `/api/rosters/${volunteer.id}/patterns`, laterToday())).status,
    ).toBe(201);
    // A volunteer follows their own opt-in: the roster does not take them off.
    expect(app.registry.get(volunteer.id)?.offShift ?? false).toBe(false);
    const near = await onDutyAt(app, "turns_caregiver", offset(home.lat, home.lng, 100, 0));
    const far = await onDutyAt(app, "caregiver002", offset(home.lat, home.lng, 1500, 0));
    closers.push({ close: () => near.socket.close() }, { close: () => far.socket.close() });
    expect(await firstOfferee("at-once-1", [near, far])).toBe(near.id);

    const changed = await api(app.httpUrl, admin, "PATCH", `/api/responders/${volunteer.id}`, {
      role: "caregiver",
    });
    expect(changed.status).toBe(200);
    expect(app.registry.get(volunteer.id)?.offShift).toBe(true);
    expect(await firstOfferee("at-once-2", [near, far])).toBe(far.id);

    // Back to volunteer: on again at once.
    await api(app.httpUrl, admin, "PATCH", `/api/responders/${volunteer.id}`, { role: "volunteer" });
    expect(app.registry.get(volunteer.id)?.offShift).toBe(false);
    expect(await firstOfferee("at-once-3", [near, far])).toBe(near.id);
  });
});
