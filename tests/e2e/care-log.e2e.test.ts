// The daily check-in and the service log (民情日记) in real Chromium. The browser runs in New York
// while the platform keeps Asia/Shanghai: every time on screen must be Shanghai's.
//  1. a dispatcher turns on a resident's check-in with an hour on their page; the page says the
//     resident checked in today at the Shanghai time of their "I'm OK" press; after a reload the
//     hour is still there, and the change is on the resident's history;
//  2. after a call-out finished by a caregiver, staff find it in the service log by the resident,
//     and the export is a file with Chinese headers (CSV and Excel).
import ExcelJS from "exceljs";
import type { Page as Browser, Download } from "playwright-core";
import { describe, expect, it } from "vitest";
import type { CheckInPlan, Page, ResidentListItem } from "../../protocol/api.ts";
import { localDate, localTime } from "../../protocol/index.ts";
import { api, login, nextEvent } from "../helpers/app.ts";
import { offset } from "../helpers/scenario.ts";
import { logInToConsole } from "./browser.ts";
import { e2eFixture, text } from "./fixture.ts";

const fx = e2eFixture();
/** Twelve or thirteen hours behind the platform: a clock read in the browser's zone is wrong. */
const BROWSER_ZONE = "America/New_York";

async function residentWith(deviceId: string, token: string): Promise<ResidentListItem> {
  const found = await api<Page<ResidentListItem>>(
    fx.world.httpUrl,
    token,
    "GET",
    `/api/residents?q=${deviceId}`,
  );
  return found.body.items[0]!;
}

/** The downloaded file (the browser is another process: read it through Playwright). */
async function bytesOf(download: Download): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of await download.createReadStream()) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function openResident(page: Browser, deviceId: string, residentId: number): Promise<void> {
  await page.getByTestId("tab-residents").click();
  await page.getByTestId("resident-search").fill(deviceId);
  await page.getByTestId(`resident-open-${residentId}`).click();
  await page.getByTestId("check-in").waitFor();
}

describe("the daily check-in on a resident's page", () => {
  it("is set by a dispatcher, says today's check-in in the platform's time, and stays after a reload", async () => {
    const staff = (await login(fx.world.httpUrl, "dispatcher")).token;
    const resident = await residentWith("BJ-00612", staff);
    const d = await fx.device("BJ-00612");
    await d.press("e2e-ok-612", "check_in");
    await d.ack((a) => a.eventId === "e2e-ok-612");

    const { page, errors } = await fx.openPage({ timezoneId: BROWSER_ZONE });
    await logInToConsole(page);
    await openResident(page, "BJ-00612", resident.id);
    await page.getByTestId("check-in-enabled").check();
    await page.getByTestId("check-in-time").fill("08:30");
    await page.getByTestId("check-in-save").click();
    const todayLine = page.locator('[data-testid="check-in-today"][data-state="checked_in"]');
    await todayLine.waitFor();
    const plan = (
      await api<CheckInPlan>(fx.world.httpUrl, staff, "GET", `/api/residents/${resident.id}/check-in`)
    ).body;
    expect(plan).toMatchObject({ enabled: true, dueTime: "08:30" });
    const pressed = Date.parse(plan.lastActivityAt!);
    expect(await todayLine.textContent()).toBe(
      `今天 ${localTime(pressed, "Asia/Shanghai").slice(0, 5)} 已报平安`,
    );
    await page
      .locator('[data-testid="audit-history"] li[data-action="update"]', { hasText: "checkInDueTime" })
      .waitFor();

    await page.reload();
    await page.getByTestId("current-user").waitFor();
    await openResident(page, "BJ-00612", resident.id);
    expect(await page.getByTestId("check-in-time").inputValue()).toBe("08:30");
    expect(await page.getByTestId("check-in-enabled").isChecked()).toBe(true);
    expect(errors).toEqual([]);

    // A manager reads the plan but may not change it.
    const { page: manager } = await fx.openPage({ timezoneId: BROWSER_ZONE });
    await logInToConsole(manager, "manager");
    await openResident(manager, "BJ-00612", resident.id);
    expect(await text(manager, "check-in-plan")).toBe("每天 08:30 前报平安");
    expect(await manager.getByTestId("check-in-save").count()).toBe(0);

    await api(fx.world.httpUrl, staff, "PUT", `/api/residents/${resident.id}/check-in`, {
      enabled: false,
      dueTime: "08:30",
    });
  });
});

describe("the service log", () => {
  it("finds a finished call-out by the resident, and exports it with Chinese headers", async () => {
    const home = fx.home("BJ-00644");
    const responder = await fx.responderAt("caregiver012", offset(home.lat, home.lng, 150, 0));
    const d = await fx.device("BJ-00644");
    const offered = nextEvent(responder.socket, "offer", () => true, 15_000);
    const caseId = await fx.press(d, "e2e-log-644");
    const offer = await offered;
    expect(offer.caseId).toBe(caseId);
    const as = (path: string, body: object = {}) =>
      api(fx.world.httpUrl, responder.token, "POST", path, body).then((r) => {
        if (r.status !== 200) throw new Error(`POST ${path}: ${r.status}`);
      });
    await as(`/api/offers/${offer.id}/accept`);
    await as(`/api/cases/${caseId}/en-route`);
    await as(`/api/cases/${caseId}/arrived`);
    const note = "老人头晕，已测血压并陪同休息，家属已到";
    await as(`/api/cases/${caseId}/resolve`, { note });
    const { residentId, residentName } = (await fx.caseDetail(caseId)).case;

    const { page, errors } = await fx.openPage({ timezoneId: BROWSER_ZONE });
    await logInToConsole(page, "manager");
    await page.getByTestId("tab-log").click();
    await page.getByTestId("log-resident").fill(residentName);
    await page.getByTestId(`log-resident-result-${residentId}`).click();
    await page.getByTestId("log-resident-picked").waitFor();
    const row = page.locator('[data-testid="log-table"] tbody tr[data-kind="job"]', { hasText: note });
    await row.waitFor();
    expect(await row.textContent()).toContain(responder.name);
    // Every row is the resident's.
    const rows = page.locator('[data-testid="log-table"] tbody tr');
    for (let i = 0; i < (await rows.count()); i++)
      expect(await rows.nth(i).textContent()).toContain(residentName);
    // Shown at the platform's time of the resolve, not the browser's.
    const at = Date.parse((await row.locator("time").getAttribute("datetime"))!);
    expect(await row.locator("time").textContent()).toBe(
      `${localDate(at, "Asia/Shanghai")} ${localTime(at, "Asia/Shanghai").slice(0, 5)}`,
    );

    const csvDownload = page.waitForEvent("download");
    await page.getByTestId("log-csv").click();
    const csv = await csvDownload;
    expect(csv.suggestedFilename()).toBe("service-log.csv");
    const lines = (await bytesOf(csv))
      .toString("utf8")
      .replace(/^\uFEFF/, "")
      .split("\r\n");
    expect(lines[0]).toBe("时间,类型,居民,社区,网格,地点,服务人员,内容,时长（小时）,呼叫编号,订单编号");
    const line = lines.find((l) => l.includes(note))!;
    expect(line).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\+08:00,上门处置,/);
    expect(line).toContain(`,${residentName},`);
    expect(line).toContain(`,${responder.name},${note},`);

    const xlsxDownload = page.waitForEvent("download");
    await page.getByTestId("log-xlsx").click();
    const xlsx = await xlsxDownload;
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await bytesOf(xlsx)) as unknown as ArrayBuffer);
    const sheet = wb.worksheets[0]!;
    expect(sheet.name).toBe("民情日记");
    expect(sheet.getRow(1).getCell(1).text).toBe("时间");
    expect(sheet.getRow(1).getCell(8).text).toBe("内容");
    expect(errors).toEqual([]);
  });
});
