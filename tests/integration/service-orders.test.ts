// Service orders against the real platform: one assigned by staff and one claimed by a volunteer
// both end in a service log entry with the visit's hours on the responder's record; the phone
// hears a reminder once before the window (the clock moved, the sweep run); bad input, a second
// claimer and a volunteer without the skill change nothing.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page, ResponderOrders, ServiceLogEntry, ServiceOrder } from "../../protocol/index.ts";
import { api, connectSocket, login, nextEvent, startTestApp, type TestApp } from "../helpers/app.ts";
import { TestClock } from "../helpers/clock.ts";

const HOUR = 3_600_000;
let app: TestApp;
let staff: string;
const clock = new TestClock();

interface Volunteer {
  id: number;
  username: string;
  communityId: number;
  token: string;
}
let meal: Volunteer[];
let notMeal: Volunteer;
let residentId: number;

beforeAll(async () => {
  app = await startTestApp({ clock, seed: { residents: 200, caregivers: 10, volunteers: 40 } });
  staff = (await login(app.httpUrl, "dispatcher")).token;
  const volunteers = await app.db.all<{ id: number; username: string; communityId: number; skills: string }>(
    `SELECT p.id, u.username, p."communityId", p.skills FROM "Responder" p JOIN "User" u ON u."responderId" = p.id
     WHERE p.role = 'volunteer' ORDER BY p.id`,
  );
  // A community with two volunteers who cook and one who does not.
  const byCommunity = new Map<number, typeof volunteers>();
  for (const v of volunteers) byCommunity.set(v.communityId, [...(byCommunity.get(v.communityId) ?? []), v]);
  const [communityId, members] = [...byCommunity].find(
    ([, vs]) =>
      vs.filter((v) => v.skills.includes('"meal"')).length >= 2 &&
      vs.some((v) => !v.skills.includes('"meal"')),
  )!;
  const withToken = async (v: (typeof volunteers)[number]): Promise<Volunteer> => ({
    id: v.id,
    username: v.username,
    communityId,
    token: (await login(app.httpUrl, v.username)).token,
  });
  meal = await Promise.all(
    members
      .filter((v) => v.skills.includes('"meal"'))
      .slice(0, 2)
      .map(withToken),
  );
  notMeal = await withToken(members.find((v) => !v.skills.includes('"meal"'))!);
  residentId = (await app.db.get<{ id: number }>(
    `SELECT id FROM "Resident" WHERE "communityId" = ? ORDER BY id LIMIT 1`,
    [communityId],
  ))!.id;
});
afterAll(async () => {
  await app?.close();
});

const window = (fromHours: number, toHours: number) => ({
  from: new Date(clock.now() + fromHours * HOUR).toISOString(),
  to: new Date(clock.now() + toHours * HOUR).toISOString(),
});

async function order(service = "meal", from = 3, to = 4): Promise<ServiceOrder> {
  const res = await api<ServiceOrder>(app.httpUrl, staff, "POST", "/api/service-orders", {
    residentId,
    service,
    window: window(from, to),
    notes: "午饭送到家，少盐",
  });
  expect(res.status).toBe(201);
  expect(res.body).toMatchObject({ status: "queued", origin: "staff", responderId: null });
  return res.body;
}

const post = <T = ServiceOrder>(token: string, path: string, body: unknown = {}) =>
  api<T>(app.httpUrl, token, "POST", path, body);

async function hoursOf(responderId: number): Promise<number> {
  return (await app.db.get<{ h: number }>(`SELECT "volunteerHours" AS h FROM "Responder" WHERE id = ?`, [
    responderId,
  ]))!.h;
}

async function logOf(orderId: number) {
  return app.db.all<{ responderId: number; durationMinutes: number; kind: string; content: string }>(
    `SELECT "responderId", "durationMinutes", kind, content FROM "ServiceLog" WHERE "serviceOrderId" = ?`,
    [orderId],
  );
}

describe("service orders", () => {
  it("assigned by staff: confirmed, done, one log entry, the hours on the record", async () => {
    const [v] = meal;
    const before = await hoursOf(v!.id);
    const o = await order();
    expect(
      (await post(staff, `/api/service-orders/${o.id}/assign`, { responderId: v!.id })).body.status,
    ).toBe("assigned");
    expect((await post(v!.token, `/api/service-orders/${o.id}/confirm`)).body.status).toBe("confirmed");
    expect((await post(v!.token, `/api/service-orders/${o.id}/start`)).body.status).toBe("in_progress");
    const done = await post(v!.token, `/api/service-orders/${o.id}/done`, {
      minutes: 90,
      report: "送餐并陪聊",
    });
    expect(done.body).toMatchObject({ status: "done", minutes: 90, claimed: false });
    expect(await logOf(o.id)).toEqual([
      { responderId: v!.id, durationMinutes: 90, kind: "service_order", content: "送餐并陪聊" },
    ]);
    expect(await hoursOf(v!.id)).toBeCloseTo(before + 1.5, 6);
    // Done is final.
    expect(
      (await post(v!.token, `/api/service-orders/${o.id}/done`, { minutes: 5, report: "again" })).status,
    ).toBe(409);
    expect(await logOf(o.id)).toHaveLength(1);
  });

  it("published: the phone sees it, the first volunteer claims it, the second cannot, one log entry", async () => {
    const [a, b] = meal as [Volunteer, Volunteer];
    const before = await hoursOf(b.id);
    const o = await order();
    const phone = await connectSocket(app.httpUrl, b.token);
    try {
      const heard = nextEvent(phone, "order:updated");
      expect((await post(staff, `/api/service-orders/${o.id}/publish`)).body.status).toBe("published");
      expect((await heard).id).toBe(o.id);
      const list = await api<ResponderOrders>(app.httpUrl, b.token, "GET", "/api/responder/service-orders");
      expect(list.body.claimable.map((c) => c.id)).toContain(o.id);
      const other = await api<ResponderOrders>(
        app.httpUrl,
        notMeal.token,
        "GET",
        "/api/responder/service-orders",
      );
      expect(other.body.claimable.map((c) => c.id)).not.toContain(o.id);
      expect((await post(notMeal.token, `/api/service-orders/${o.id}/claim`)).status).toBe(403);

      const [first, second] = await Promise.all([
        post(b.token, `/api/service-orders/${o.id}/claim`),
        post(a.token, `/api/service-orders/${o.id}/claim`),
      ]);
      expect([first.status, second.status].sort()).toEqual([200, 409]);
      const winner = first.status === 200 ? b : a;
      expect((first.status === 200 ? first : second).body).toMatchObject({
        status: "confirmed",
        responderId: winner.id,
        claimed: true,
      });
      const hoursBefore = winner === b ? before : await hoursOf(winner.id);
      expect(
        (await post(winner.token, `/api/service-orders/${o.id}/done`, { minutes: 45, report: "理发" }))
          .status,
      ).toBe(200);
      expect(await logOf(o.id)).toEqual([
        { responderId: winner.id, durationMinutes: 45, kind: "service_order", content: "理发" },
      ]);
      expect(await hoursOf(winner.id)).toBeCloseTo(hoursBefore + 0.75, 6);
    } finally {
      phone.close();
    }
  });

  it("the service log finds the visits by resident, responder, kind and day, in the caller's scope", async () => {
    const get = (query: string, token = staff) =>
      api<Page<ServiceLogEntry>>(app.httpUrl, token, "GET", `/api/service-log?${query}`);
    const byResident = await get(`residentId=${residentId}&kind=service_order`);
    expect(byResident.status).toBe(200);
    expect(byResident.body.total).toBe(2);
    expect(byResident.body.items.map((e) => e.minutes).sort()).toEqual([45, 90]);
    expect(byResident.body.items.every((e) => e.residentId === residentId && e.place.length > 0)).toBe(true);
    const mine = await get(`responderId=${meal[0]!.id}`);
    expect(mine.body.items.every((e) => e.responderId === meal[0]!.id)).toBe(true);
    expect((await get(`residentId=${residentId}&from=2020-01-01&to=2020-01-02`)).body.total).toBe(0);
    expect((await get(`from=yesterday`)).status).toBe(400);
    expect((await get(`residentId=${residentId}`, meal[0]!.token)).status).toBe(403);
  });

  it("reminds the responder once, an hour before the window", async () => {
    const [v] = meal;
    const o = await order("meal", 3, 4);
    await post(staff, `/api/service-orders/${o.id}/assign`, { responderId: v!.id });
    expect(await app.care.orders.sweep()).toBe(0); // three hours ahead: not yet
    const phone = await connectSocket(app.httpUrl, v!.token);
    try {
      const reminded = nextEvent(phone, "order:reminder");
      clock.advance(2 * HOUR + 60_000);
      expect(await app.care.orders.sweep()).toBe(1);
      expect((await reminded).id).toBe(o.id);
      expect(await app.care.orders.sweep()).toBe(0); // once
    } finally {
      phone.close();
      await post(staff, `/api/service-orders/${o.id}/cancel`, { reason: "test over" });
    }
  });

  it("refuses bad input and the wrong callers, and changes nothing", async () => {
    const count = async () =>
      Number((await app.db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM "ServiceOrder"`))!.n);
    const n = await count();
    const bad = await post(staff, "/api/service-orders", {
      residentId,
      service: "karaoke",
      window: window(2, 1),
    });
    expect(bad.status).toBe(400);
    const past = await post(staff, "/api/service-orders", {
      residentId,
      service: "meal",
      window: window(-3, -2),
    });
    expect(past.status).toBe(400);
    const nobody = await post(staff, "/api/service-orders", {
      residentId: 999999,
      service: "meal",
      window: window(1, 2),
    });
    expect(nobody.status).toBe(404);
    const byPhone = await post(meal[0]!.token, "/api/service-orders", {
      residentId,
      service: "meal",
      window: window(1, 2),
    });
    expect(byPhone.status).toBe(403);
    expect(await count()).toBe(n);
    const o = await order();
    expect((await post(meal[0]!.token, `/api/service-orders/${o.id}/confirm`)).status).toBe(404); // not theirs
    expect((await post(staff, `/api/service-orders/${o.id}/cancel`, {})).status).toBe(400); // a reason
    expect(
      (await post(staff, `/api/service-orders/${o.id}/cancel`, { reason: "家属已安排" })).body.status,
    ).toBe("cancelled");
  });
});
