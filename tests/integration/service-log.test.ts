// The service log search and its export against the real platform, in a zone that is not the
// default (Asia/Urumqi, UTC+6): a visit done late in the evening there belongs to that day, not to
// Shanghai's next one; the CSV and the workbook say so in their times, with headers and kinds in
// the asked language; a user of another community exports none of it; bad input is refused.
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page, ServiceLogEntry, ServiceOrder, UserRecord } from "../../protocol/index.ts";
import { api, login, startTestApp, TEST_PASSWORD, type TestApp } from "../helpers/app.ts";
import { TestClock } from "../helpers/clock.ts";

const HOUR = 3_600_000;
/** 23:30 in Urumqi on 2031-03-14 is 01:30 on the 15th in Shanghai. */
const LATE_EVENING = Date.UTC(2031, 2, 14, 17, 30);
let app: TestApp;
let staff: string;
const clock = new TestClock();
let residentId: number;
let communityId: number;
let volunteer: { id: number; token: string };

beforeAll(async () => {
  app = await startTestApp({
    clock,
    env: { PLATFORM_TIME_ZONE: "Asia/Urumqi" },
    seed: { residents: 60, caregivers: 4, volunteers: 12 },
  });
  // The visit is done at 23:30 in the platform's zone (logins after the clock moved: sessions expire).
  clock.advance(LATE_EVENING - HOUR - clock.now());
  staff = (await login(app.httpUrl, "dispatcher")).token;
  const v = (await app.db.get<{ id: number; username: string; communityId: number }>(
    `SELECT p.id, u.username, p."communityId" FROM "Responder" p JOIN "User" u ON u."responderId" = p.id
     WHERE p.role = 'volunteer' ORDER BY p.id LIMIT 1`,
  ))!;
  communityId = v.communityId;
  volunteer = { id: v.id, token: (await login(app.httpUrl, v.username)).token };
  residentId = (await app.db.get<{ id: number }>(
    `SELECT id FROM "Resident" WHERE "communityId" = ? ORDER BY id LIMIT 1`,
    [communityId],
  ))!.id;
  // A service order, 45 minutes long.
  const post = <T>(token: string, path: string, body: unknown = {}) =>
    api<T>(app.httpUrl, token, "POST", path, body);
  const placed = await post<ServiceOrder>(staff, "/api/service-orders", {
    residentId,
    service: "haircut",
    window: {
      from: new Date(clock.now() + HOUR).toISOString(),
      to: new Date(clock.now() + 2 * HOUR).toISOString(),
    },
    notes: "",
  });
  expect(placed.status).toBe(201);
  const id = placed.body.id;
  await post(staff, `/api/service-orders/${id}/assign`, { responderId: volunteer.id });
  await post(volunteer.token, `/api/service-orders/${id}/confirm`);
  await post(volunteer.token, `/api/service-orders/${id}/start`);
  clock.advance(HOUR);
  const done = await post<ServiceOrder>(volunteer.token, `/api/service-orders/${id}/done`, {
    minutes: 45,
    report: "理发，修面",
  });
  expect(done.status).toBe(200);
});
afterAll(async () => {
  await app?.close();
});

const file = (path: string, token = staff) =>
  fetch(`${app.httpUrl}${path}`, { headers: { Authorization: `Bearer ${token}` } });

describe("the service log in the platform's zone", () => {
  it("counts a late-evening visit on the platform's day, not Shanghai's", async () => {
    const on = async (day: string) =>
      (
        await api<Page<ServiceLogEntry>>(
          app.httpUrl,
          staff,
          "GET",
          `/api/service-log?residentId=${residentId}&from=${day}&to=${day}`,
        )
      ).body;
    const that = await on("2031-03-14");
    expect(that.items.map((e) => [e.kind, e.content, e.minutes, e.responderId])).toEqual([
      ["service_order", "理发，修面", 45, volunteer.id],
    ]);
    expect((await on("2031-03-15")).total).toBe(0);
  });

  it("exports CSV with Chinese headers and kinds, times in the platform's zone with its offset", async () => {
    const res = await file(`/api/service-log.csv?residentId=${residentId}&lang=zh-CN`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/csv");
    const [header, row, ...rest] = (await res.text()).replace(/^\uFEFF/, "").split("\r\n");
    expect(header).toBe("时间,类型,居民,社区,网格,地点,服务人员,内容,时长（小时）,呼叫编号,订单编号");
    expect(row).toMatch(/^2031-03-14 23:30:\d\d\+06:00,上门服务,/);
    expect(row).toContain(",理发，修面,0.75,");
    expect(rest).toEqual([""]);
  });

  it("exports a workbook with English headers when asked", async () => {
    const res = await file(`/api/service-log.xlsx?residentId=${residentId}&lang=en`);
    expect(res.status).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await res.arrayBuffer());
    const sheet = wb.worksheets[0]!;
    expect(sheet.name).toBe("Service log");
    expect(sheet.getRow(1).getCell(1).value).toBe("Time");
    expect(sheet.getRow(1).getCell(9).value).toBe("Hours");
    expect(sheet.getRow(2).getCell(1).text).toMatch(/^2031-03-14 23:30:\d\d\+06:00$/);
    expect(sheet.getRow(2).getCell(2).value).toBe("Home service");
    expect(sheet.getRow(2).getCell(9).value).toBe(0.75);
    expect(sheet.rowCount).toBe(2);
  });

  it("a user of another community exports none of it; bad input and a phone login are refused", async () => {
    const admin = (await login(app.httpUrl, "admin")).token;
    const other = (await app.db.get<{ id: number }>(`SELECT id FROM "Community" WHERE id <> ? LIMIT 1`, [
      communityId,
    ]))!.id;
    const created = await api<UserRecord>(app.httpUrl, admin, "POST", "/api/users", {
      username: "duty-elsewhere",
      displayName: "别的社区值班员",
      role: "dispatcher",
      password: TEST_PASSWORD,
      communityIds: [other],
    });
    expect(created.status).toBe(201);
    const elsewhere = (await login(app.httpUrl, "duty-elsewhere")).token;
    const theirs = await file(`/api/service-log.csv?residentId=${residentId}`, elsewhere);
    expect(theirs.status).toBe(200);
    expect((await theirs.text()).replace(/^\uFEFF/, "").split("\r\n")).toHaveLength(2); // header, end
    expect((await file(`/api/service-log.csv?lang=fr`)).status).toBe(400);
    expect((await file(`/api/service-log.xlsx?from=yesterday`)).status).toBe(400);
    expect((await file(`/api/service-log.csv`, volunteer.token)).status).toBe(403);
  });
});
