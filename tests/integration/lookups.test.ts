// What staff look up on a 12-hour shift, against the real platform: the case history, the
// device-health list (filters, search, paging and sorting on the server), the map's areas and the
// platform's settings.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type {
  ApiErrorBody,
  CaseHistoryPage,
  CaseSummary,
  DevicePage,
  MapAreas,
  PlatformInfo,
} from "../../protocol/index.ts";
import { allOffDuty, api, count, login, startTestApp, type TestApp } from "../helpers/app.ts";
import { connectDevice, until } from "../helpers/scenario.ts";

let app: TestApp;
let token: string;
const get = <T>(path: string) => api<T>(app.httpUrl, token, "GET", path);

beforeAll(async () => {
  app = await startTestApp({ env: { PLATFORM_TIME_ZONE: "Asia/Urumqi", ALARM_REPEATS: "2" } });
  await allOffDuty(app);
  token = (await login(app.httpUrl, "dispatcher")).token;
});
afterAll(async () => {
  await app?.close();
});

describe("case history", () => {
  it("finds a closed case by part of the resident's name, by device and by status, newest first, in pages", async () => {
    const ids: number[] = [];
    for (const [i, deviceId] of ["BJ-00701", "BJ-00702", "BJ-00701"].entries()) {
      const d = await connectDevice(app, deviceId);
      await d.press(`history-${i}`, "sos");
      const caseId = (await d.ack((a) => a.eventId === `history-${i}` && a.status === "received")).caseId!;
      await d.close();
      await api(app.httpUrl, token, "POST", `/api/cases/${caseId}/cancel`, { reason: "误报" });
      await api(app.httpUrl, token, "POST", `/api/cases/${caseId}/follow-up`, { outcome: "reached_ok" });
      ids.push(caseId);
    }
    const name = (await app.db.get<{ name: string }>(
      `SELECT r.name FROM "Device" d JOIN "Resident" r ON r.id = d."residentId" WHERE d.id = 'BJ-00701'`,
    ))!.name;
    // Closed cases leave the queue…
    const queue = (await get<CaseSummary[]>("/api/cases")).body.map((c) => c.id);
    expect(queue).not.toContain(ids[0]);
    // …and the history still has them.
    const byName = await get<CaseHistoryPage>(
      `/api/cases/history?resident=${encodeURIComponent(name.slice(1))}&status=closed`,
    );
    expect(byName.body.items.filter((c) => c.deviceId === "BJ-00701").map((c) => c.id)).toEqual([
      ids[2],
      ids[0],
    ]);
    const byDevice = await get<CaseHistoryPage>("/api/cases/history?device=bj-00702");
    expect(byDevice.body).toMatchObject({ total: 1, page: 1 });
    expect(byDevice.body.items[0]).toMatchObject({ id: ids[1], status: "closed" });
    const paged = await get<CaseHistoryPage>("/api/cases/history?device=BJ-0070&pageSize=2&page=2");
    expect(paged.body).toMatchObject({ total: 3, page: 2, pageSize: 2 });
    expect(paged.body.items.map((c) => c.id)).toEqual([ids[0]]);
    const future = new Date(Date.now() + 86_400_000).toISOString();
    const none = await get<CaseHistoryPage>(`/api/cases/history?from=${encodeURIComponent(future)}`);
    expect(none.body).toMatchObject({ items: [], total: 0 });
    // Wildcards in a search are text, not patterns.
    expect((await get<CaseHistoryPage>("/api/cases/history?resident=%25")).body.total).toBe(0);
    const bad = await get<ApiErrorBody>("/api/cases/history?status=lost");
    expect(bad.status).toBe(400);
    expect(bad.body.error.details?.fields?.[0]?.path).toBe("status");
  });
});

describe("the device-health list", () => {
  it("counts and lists never-connected devices apart from offline ones, and finds BJ-01100 by id, name or phone", async () => {
    const devices = await count(app, `SELECT COUNT(*) AS n FROM "Device"`);
    const d = await connectDevice(app, "BJ-00005");
    await d.heartbeat({ state: "online", battery: 12 });
    // Heartbeats are written in batches: wait until this one is.
    await until(async () => (await get<DevicePage>("/api/devices?q=BJ-00005")).body.items[0]?.battery === 12);
    await d.close();
    const all = await get<DevicePage>("/api/devices?pageSize=10");
    expect(all.body.total).toBe(devices);
    expect(all.body.items).toHaveLength(10);
    const never = await count(app, `SELECT COUNT(*) AS n FROM "Device" WHERE "lastSeenAt" IS NULL`);
    expect(all.body.counts).toMatchObject({ all: devices, never_connected: never });
    expect(never).toBeGreaterThan(devices - 10);
    const neverPage = await get<DevicePage>("/api/devices?filter=never_connected&pageSize=5");
    expect(neverPage.body.items.every((x) => x.lastSeenAt === null)).toBe(true);
    expect(neverPage.body.items.map((x) => x.id)).not.toContain("BJ-00005");

    const [byId, resident] = await Promise.all([
      get<DevicePage>("/api/devices?q=BJ-01100"),
      app.db.get<{ name: string; phone: string }>(
        `SELECT r.name, r.phone FROM "Device" d JOIN "Resident" r ON r.id = d."residentId" WHERE d.id = 'BJ-01100'`,
      ),
    ]);
    expect(byId.body.items.map((x) => x.id)).toEqual(["BJ-01100"]);
    const byPhone = await get<DevicePage>(`/api/devices?q=${encodeURIComponent(resident!.phone)}`);
    expect(byPhone.body.items.map((x) => x.id)).toContain("BJ-01100");
    const byName = await get<DevicePage>(`/api/devices?q=${encodeURIComponent(resident!.name)}&pageSize=200`);
    expect(byName.body.items.every((x) => x.residentName.includes(resident!.name))).toBe(true);
    expect(byName.body.items.map((x) => x.id)).toContain("BJ-01100");
  });

  it("sorts and pages on the server; low battery and overdue test presses are filters of their own", async () => {
    const first = await get<DevicePage>("/api/devices?sort=battery&dir=asc&pageSize=3");
    const batteries = first.body.items.map((x) => x.battery!);
    expect(batteries).toEqual([...batteries].sort((a, b) => a - b));
    const next = await get<DevicePage>("/api/devices?sort=battery&dir=asc&pageSize=3&page=2");
    expect(next.body.items[0]!.battery!).toBeGreaterThanOrEqual(batteries[2]!);
    const low = await get<DevicePage>("/api/devices?filter=low_battery");
    expect(low.body.items.map((x) => x.id)).toContain("BJ-00005");
    // Nobody has pressed test yet in a new city: every device is due for one.
    const due = await get<DevicePage>("/api/devices?filter=test_overdue&pageSize=1");
    expect(due.body.total).toBe(due.body.counts.all);
    const d = await connectDevice(app, "BJ-00006");
    await d.press("weekly-test-1", "test");
    await d.ack((a) => a.status === "logged");
    await d.close();
    const after = await get<DevicePage>("/api/devices?filter=test_overdue&q=BJ-00006");
    expect(after.body.total).toBe(0);
    expect((await get<ApiErrorBody>("/api/devices?sort=colour")).status).toBe(400);
  });
});

describe("the map and the platform", () => {
  it("lists every community with its grids' outlines", async () => {
    const areas = (await get<MapAreas>("/api/map/areas")).body;
    expect(areas.communities.length).toBe(await count(app, `SELECT COUNT(*) AS n FROM "Community"`));
    for (const c of areas.communities) {
      expect(c.name).toMatch(/社区$/);
      expect(c.grids.length).toBeGreaterThanOrEqual(2);
      for (const g of c.grids) expect(g.outline!.length).toBeGreaterThanOrEqual(3);
    }
  });

  it("tells the console and the phone app its time zone, alarm repeats and follow-up interval from the config", async () => {
    const expected: PlatformInfo = {
      timeZone: "Asia/Urumqi",
      alarm: { repeats: 2, repeatSeconds: 30 },
      followUpRetryMinutes: 30,
    };
    expect((await get<PlatformInfo>("/api/platform")).body).toEqual(expected);
    // The phone shows its times in the platform's zone too.
    const phone = (await login(app.httpUrl, "caregiver001")).token;
    expect((await api<PlatformInfo>(app.httpUrl, phone, "GET", "/api/platform")).body).toEqual(expected);
    expect((await api(app.httpUrl, "not-a-token", "GET", "/api/platform")).status).toBe(401);
  });
});
