// Reports against the real platform: alarms pressed on real devices, accepted and reached with the
// clock moved between steps; the report's figures equal what this test computes from the cases'
// own timelines; the exports carry the headers of the asked language.
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { localDate, PLATFORM_TIME_ZONE, type CaseDetail, type Report } from "../../protocol/index.ts";
import { allOffDuty, api, login, nextEvent, startTestApp, type TestApp } from "../helpers/app.ts";
import { TestClock } from "../helpers/clock.ts";
import { connectDevice, offset, onDutyAt, residentOf } from "../helpers/scenario.ts";

let app: TestApp;
let staff: string;
const clock = new TestClock();
const caseIds: number[] = [];

beforeAll(async () => {
  app = await startTestApp({
    clock,
    seed: { residents: 40, caregivers: 4, volunteers: 2 },
    env: { EMERGENCY_PARALLEL_OFFERS: "1" },
  });
  staff = (await login(app.httpUrl, "manager")).token;
  await allOffDuty(app);
  const dispatcher = (await login(app.httpUrl, "dispatcher")).token;
  // Two alarms taken with different delays, and one called off.
  for (const [i, acceptAfter, arriveAfter] of [
    [1, 30_000, 8 * 60_000],
    [2, 120_000, 30 * 60_000],
  ] as const) {
    const deviceId = `BJ-0000${i}`;
    const home = await residentOf(app, deviceId);
    const r = await onDutyAt(app, `caregiver00${i}`, offset(home.lat, home.lng, 100, 0));
    const device = await connectDevice(app, deviceId);
    const offered = nextEvent(r.socket, "offer");
    await device.press(`rep-${i}`);
    const offer = await offered;
    clock.advance(acceptAfter);
    expect((await api(app.httpUrl, r.token, "POST", `/api/offers/${offer.id}/accept`)).status).toBe(200);
    clock.advance(arriveAfter - acceptAfter);
    expect((await api(app.httpUrl, r.token, "POST", `/api/cases/${offer.caseId}/arrived`)).status).toBe(200);
    caseIds.push(offer.caseId);
    r.socket.close();
    await device.close();
  }
  const device = await connectDevice(app, "BJ-00003");
  await device.press("rep-3");
  const ack = await device.ack((a) => a.eventId === "rep-3" && a.status === "received");
  expect(
    (await api(app.httpUrl, dispatcher, "POST", `/api/cases/${ack.caseId}/cancel`, { reason: "误按" }))
      .status,
  ).toBe(200);
  caseIds.push(ack.caseId!);
  await device.close();
});
afterAll(async () => {
  await app?.close();
});

const today = () => localDate(clock.now(), PLATFORM_TIME_ZONE);

describe("reports", () => {
  it("figures equal what the timelines say", async () => {
    const details = await Promise.all(
      caseIds.map(async (id) => (await api<CaseDetail>(app.httpUrl, staff, "GET", `/api/cases/${id}`)).body),
    );
    const first = (d: CaseDetail, types: string[]) => {
      const at = d.timeline.filter((e) => types.includes(e.type)).map((e) => Date.parse(e.at));
      return at.length === 0 ? null : (Math.min(...at) - Date.parse(d.case.createdAt)) / 1000;
    };
    const taken = details.filter((d) => d.case.status !== "cancelled");
    const accept = taken.map((d) => first(d, ["accepted", "assigned"])!).sort((a, b) => a - b);
    const scene = taken.map((d) => first(d, ["arrived"])!).sort((a, b) => a - b);
    const offer = taken.map((d) => first(d, ["offered"])!).sort((a, b) => a - b);

    const day = localDate(Date.parse(details[0]!.case.createdAt), PLATFORM_TIME_ZONE);
    const res = await api<Report>(
      app.httpUrl,
      staff,
      "GET",
      `/api/reports?from=${day}&to=${today()}&group=responder`,
    );
    expect(res.status).toBe(200);
    const t = res.body.total;
    expect(t).toMatchObject({
      alarms: 3,
      byType: { sos: 3 },
      falseAlarms: 1,
      // Two taken: the nearest-rank median is the smaller, p90 the larger.
      pressToOfferP50: offer[0],
      pressToOfferP90: offer[1],
      pressToAcceptP50: accept[0],
      pressToAcceptP90: accept[1],
      pressToSceneP50: scene[0],
      pressToSceneP90: scene[1],
      acceptedWithin60sPct: 50, // 30 s yes, 120 s no
      onSceneWithin15minPct: 50, // 8 min yes, 30 min no
      onSceneWithin45minPct: 100,
    });
    expect(res.body.rows.map((r) => r.figures.alarms).sort()).toEqual([1, 1]);
    expect(res.body.series.reduce((n, s) => n + s.figures.alarms, 0)).toBe(3);
  });

  it("exports CSV and XLSX with headers in the asked language", async () => {
    const q = `from=${today()}&to=${today()}&group=community`;
    const csv = await fetch(`${app.httpUrl}/api/reports.csv?${q}&lang=zh-CN`, {
      headers: { Authorization: `Bearer ${staff}` },
    });
    expect(csv.status).toBe(200);
    const text = await csv.text();
    expect(text.split("\r\n")[0]).toContain("社区,报警总数,紧急呼叫");
    expect(text).toContain("合计");
    const xlsx = await fetch(`${app.httpUrl}/api/reports.xlsx?${q}&lang=en`, {
      headers: { Authorization: `Bearer ${staff}` },
    });
    expect(xlsx.status).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await xlsx.arrayBuffer());
    const sheet = wb.worksheets[0]!;
    expect(sheet.getRow(1).getCell(1).value).toBe("Community");
    expect(sheet.getRow(1).getCell(2).value).toBe("Alarms");
  });

  it("refuses a bad range and a responder login", async () => {
    expect((await api(app.httpUrl, staff, "GET", `/api/reports?from=2026-12-09&to=2026-12-01`)).status).toBe(
      400,
    );
    expect((await api(app.httpUrl, staff, "GET", `/api/reports?from=yesterday&to=2026-12-01`)).status).toBe(
      400,
    );
    const phone = (await login(app.httpUrl, "caregiver001")).token;
    expect((await api(app.httpUrl, phone, "GET", `/api/reports?from=${today()}&to=${today()}`)).status).toBe(
      403,
    );
  });
});
