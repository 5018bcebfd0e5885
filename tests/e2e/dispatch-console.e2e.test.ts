// The dispatcher at the console, in real Chromium against the real platform (embedded broker,
// real MQTT presses, SQLite file, HTTP + Socket.IO): hear the alarm, open the case, assign,
// confirm an offer, cancel a false alarm and make the follow-up call, switch the language.
// Clocks on the page are moved with Playwright's page.clock, never waited for.
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { topics } from "../../protocol/mqtt.ts";
import { nextEvent } from "../helpers/app.ts";
import { offset } from "../helpers/scenario.ts";
import { logInToConsole } from "./browser.ts";
import { e2eFixture, text } from "./fixture.ts";

const fx = e2eFixture();

const alarmSounds = (page: Page) => page.evaluate(() => window.__alarmSounds ?? 0);
const alarmLog = (page: Page) => page.evaluate(() => window.__alarmLog ?? []);
/** "1:05" → 65, "1:02:03" → 3723: what an SLA clock on the page shows. */
const clockSeconds = async (page: Page, testId: string) =>
  (await page.getByTestId(testId).locator(".sla-time").textContent())!
    .split(":")
    .reduce((total, part) => total * 60 + Number(part), 0);

describe("the dispatch console", () => {
  it("a press shows in the queue and on the map and sounds; nobody in range sounds too; each repeats once, then only flags", async () => {
    const { page, errors } = await fx.openPage();
    await page.clock.install();
    await logInToConsole(page);
    expect(await page.evaluate(() => document.body.dataset.alarm)).toBe("off");
    const d = await fx.device("BJ-00101");

    // How fast it shows is measured in bench/console-map.bench.ts; here, that it shows at all.
    const caseId = await fx.press(d, "e2e-alarm-1");
    await page.getByTestId(`case-row-${caseId}`).waitFor();
    await page.getByTestId(`case-marker-${caseId}`).waitFor();

    // Unmissable: the flag, the sound, the banner, the row.
    expect(await page.evaluate(() => document.body.dataset.alarm)).toBe("on");
    expect(await alarmSounds(page)).toBeGreaterThanOrEqual(1);
    const { resident } = await fx.caseDetail(caseId);
    expect(await text(page, "alarm-banner")).toContain(resident.name);
    expect(await page.getByTestId(`case-marker-${caseId}`).getAttribute("data-alarm")).toBe("on");
    // Nobody is on duty: the engine escalates at once, pinned as its own item with its own sound.
    const escalation = page.locator('[data-testid^="needs-alert:"]', { hasText: resident.name });
    await escalation.waitFor();
    // Nobody acknowledges: each sounds once more, then only the flag stays (no alarm fatigue).
    await page.clock.runFor(31_000);
    await page.clock.runFor(31_000);
    const heard = await alarmLog(page);
    expect(heard.filter((s) => s === "emergency")).toHaveLength(2);
    expect(heard.filter((s) => s === "escalation")).toHaveLength(2);
    await page.clock.runFor(300_000);
    expect(await alarmLog(page)).toEqual(heard);
    expect(await page.evaluate(() => document.body.dataset.alarm)).toBe("on");

    // Acknowledging the case leaves its escalation listed: nobody is coming yet.
    await page.getByTestId(`row-ack-${caseId}`).click();
    await page.getByTestId(`needs-case:${caseId}`).waitFor({ state: "detached" });
    expect(await page.getByTestId(`row-ack-${caseId}`).count()).toBe(0);
    await page.locator(`[data-testid="case-marker-${caseId}"][data-alarm="off"]`).waitFor();
    expect((await fx.caseDetail(caseId)).case.staffAckAt).not.toBeNull();
    expect(await escalation.count()).toBe(1);
    expect(await page.evaluate(() => document.body.dataset.alarm)).toBe("on");
    await escalation.getByRole("button", { name: "确认" }).click();
    await page.waitForFunction(() => document.body.dataset.alarm === "off");
    await page.getByTestId("alarm-banner").waitFor({ state: "detached" });
    // Acknowledged, it stays silent.
    const acknowledged = await alarmSounds(page);
    await page.clock.runFor(30_000);
    expect(await alarmSounds(page)).toBe(acknowledged);
    expect(errors).toEqual([]);
  });

  it("the drawer shows the resident file and timeline; assigning a responder makes the case accepted", async () => {
    const { page, errors } = await fx.openPage();
    await logInToConsole(page);
    const d = await fx.device("BJ-00201");
    const caseId = await fx.press(d, "e2e-assign-1");
    // Nobody was on duty, so the platform found no candidate; now a caregiver comes on duty nearby
    // and is offered the waiting case at once. A second one nearby is a candidate (phased alerting
    // asks the next responder only 40 s later), whom staff assign by hand.
    const home = fx.home("BJ-00201");
    await fx.responderAt("caregiver003", offset(home.lat, home.lng, 250, 0));
    const responder = await fx.responderAt("caregiver005", offset(home.lat, home.lng, 0, 300));
    const { resident } = await fx.caseDetail(caseId);

    await page.getByTestId(`case-row-${caseId}`).click();
    await page.getByTestId("case-drawer").waitFor();
    await page.getByTestId("resident-file").waitFor();
    expect(await text(page, "resident-file")).toContain(resident.name);
    expect(await text(page, "resident-file")).toContain("BJ-00201");
    await page.locator('[data-testid="timeline"] li[data-event="created"]').waitFor();
    // The escalation names its reason, taken from the event's data.
    const escalated = page.locator('[data-testid="timeline"] li[data-event="escalated"]');
    expect(await escalated.getByTestId("timeline-detail").textContent()).toBe("附近无可用人员");
    await page.locator('[data-testid="case-status"][data-status="offered"]').waitFor();

    const candidate = page.getByTestId(`candidate-${responder.id}`);
    await candidate.waitFor();
    expect(await candidate.textContent()).toContain(responder.name);
    expect(await candidate.getByTestId(`responder-phone-${responder.id}`).getAttribute("href")).toBe(
      `tel:${responder.phone.replace(/[^\d+]/g, "")}`,
    );

    await page.getByTestId(`assign-${responder.id}`).click();
    await page.locator('[data-testid="case-status"][data-status="accepted"]').waitFor();
    expect(await text(page, "case-responder")).toBe(responder.name);
    await page.locator(`[data-testid="case-row-${caseId}"][data-status="accepted"]`).waitFor();
    const assigned = page.locator('[data-testid="timeline"] li[data-event="assigned"]');
    await assigned.waitFor();
    expect(await assigned.getByTestId("timeline-detail").textContent()).toBe(responder.name);

    expect((await fx.caseDetail(caseId)).case).toMatchObject({
      status: "accepted",
      responderId: responder.id,
    });
    await d.ack((a) => a.status === "assigned");
    expect(errors).toEqual([]);
  });

  it("staff confirm a responder who holds the offer, after a phone call, without waiting for the tap", async () => {
    const home = fx.home("BJ-00202");
    const responder = await fx.responderAt("caregiver004", offset(home.lat, home.lng, 200, 0));
    const { page, errors } = await fx.openPage();
    await logInToConsole(page);
    const d = await fx.device("BJ-00202");
    const offered = nextEvent(responder.socket, "offer");
    const caseId = await fx.press(d, "e2e-confirm-1");
    const offer = await offered;
    expect(offer.caseId).toBe(caseId);

    await page.getByTestId(`case-row-${caseId}`).click();
    // The responder holding the offer is a candidate like any other, their countdown beside the name.
    const candidate = page.getByTestId(`candidate-${responder.id}`);
    expect(await candidate.getByTestId(`candidate-offer-${responder.id}`).textContent()).toMatch(
      /^已派单，等待 \d+:\d{2} · 剩余 \d+:\d{2}$/,
    );
    await candidate.getByTestId(`assign-${responder.id}`).click();
    await page.locator('[data-testid="case-status"][data-status="accepted"]').waitFor();
    const detail = await fx.caseDetail(caseId);
    expect(detail.case).toMatchObject({ status: "accepted", responderId: responder.id });
    expect(detail.offers.find((o) => o.id === offer.id)?.status).toBe("accepted");
    expect(errors).toEqual([]);
  });

  it("a false alarm is cancelled from the drawer, its clock stops, nobody answering the follow-up keeps it open, reaching the resident closes it", async () => {
    const { page, errors } = await fx.openPage();
    await page.clock.install();
    await logInToConsole(page);
    const d = await fx.device("BJ-00251");
    const caseId = await fx.press(d, "e2e-false-alarm-1");
    const clock = `clock-press-${caseId}`;
    await page.getByTestId(`case-row-${caseId}`).click();

    // While the resident waits, the clock runs with the page's time.
    const waiting = await clockSeconds(page, clock);
    await page.clock.runFor(5_000);
    await page.waitForFunction(
      ([id, min]) => {
        const shown = document.querySelector(`[data-testid="${id}"] .sla-time`)?.textContent ?? "";
        return shown.split(":").reduce((total, part) => total * 60 + Number(part), 0) >= min;
      },
      [clock, waiting + 5] as const,
    );

    await page.getByTestId("tool-cancel").click();
    await page.getByTestId("cancel-reason").fill("老人误触按键，电话确认无事");
    await page.getByTestId("btn-cancel-case").click();
    await page.locator('[data-testid="case-status"][data-status="cancelled"]').waitFor();
    // It waits for the follow-up call (回访), and nobody is waiting for help any more.
    const row = page.locator(`[data-testid="queue-followup"] [data-testid="case-row-${caseId}"]`);
    await row.waitFor();
    expect(await page.getByTestId(clock).getAttribute("class")).toContain("sla-done");
    const stopped = await clockSeconds(page, clock);
    await page.clock.runFor(5_000);
    expect(await clockSeconds(page, clock)).toBe(stopped);
    await d.ack((a) => a.status === "cancelled");

    // Nobody answers: a retry is booked, the case stays in the follow-up list with its due time.
    await page.getByTestId("follow-up-outcome").selectOption("no_answer");
    await page.getByTestId("follow-up-retry-note").waitFor();
    await page.getByTestId("btn-follow-up").click();
    await page.getByTestId(`clock-followup-${caseId}`).waitFor();
    expect(await row.count()).toBe(1);
    expect((await fx.caseDetail(caseId)).case).toMatchObject({ status: "cancelled" });
    expect((await fx.caseDetail(caseId)).case.followUpDueAt).not.toBeNull();
    const followUp = page.locator('[data-testid="timeline"] li[data-event="follow_up"]');
    expect(await followUp.getByTestId("timeline-detail").textContent()).toContain("无人接听");

    await page.getByTestId("follow-up-outcome").selectOption("reached_ok");
    await page.getByTestId("btn-follow-up").click();
    await row.waitFor({ state: "detached" });
    await page.locator('[data-testid="case-status"][data-status="closed"]').waitFor();
    expect(errors).toEqual([]);
  });

  it("the device tab lists a device whose battery runs low, and shows it offline when its connection drops", async () => {
    const { page, errors } = await fx.openPage();
    await logInToConsole(page);
    const d = await fx.device("BJ-00401", {
      will: {
        topic: topics.status("BJ-00401"),
        payload: Buffer.from('{"state":"offline"}'),
        qos: 1,
        retain: true,
      },
    });
    await d.heartbeat({ state: "online", battery: 15, signal: 70, at: new Date().toISOString() });
    // The platform opens a technical case for it: staff will call the resident about the device.
    await page.locator('[data-testid="queue-technical"] [data-testid^="case-row-"]').waitFor();

    await page.getByTestId("tab-devices").click();
    await page.getByTestId("device-filter-low_battery").click();
    const row = page.getByTestId("device-row-BJ-00401");
    await row.waitFor();
    expect(await row.textContent()).toContain("15%");
    expect(await row.textContent()).toContain("在线");
    // The connection is cut without a goodbye: the broker publishes the device's Last Will.
    d.client.stream.destroy();
    await page.locator('[data-testid="device-row-BJ-00401"]:has-text("离线")').waitFor();
    expect(errors).toEqual([]);
  });

  it("the KPI tab shows today's figures as the platform counts them, and counts a new press", async () => {
    const { page, errors } = await fx.openPage();
    await logInToConsole(page);
    await page.getByTestId("tab-kpis").click();
    const alarms = page.getByTestId("kpi-alarms").locator(".kpi-value");
    await alarms.waitFor();
    const before = (await fx.kpis()).alarms;
    expect(await alarms.textContent()).toBe(String(before));

    await fx.press(await fx.device("BJ-00402"), "e2e-kpi-1");
    await page.getByRole("button", { name: "刷新" }).click();
    await page.locator(`[data-testid="kpi-alarms"] .kpi-value:text-is("${before + 1}")`).waitFor();
    expect(await text(page, "kpi-emergencies")).toContain(String((await fx.kpis()).emergencies));
    expect(errors).toEqual([]);
  });

  it("switches to English and back to 中文", async () => {
    const { page, errors } = await fx.openPage();
    await logInToConsole(page);
    expect(await page.evaluate(() => document.documentElement.lang)).toBe("zh-CN");
    expect(await text(page, "tab-map")).toBe("地图");

    await page.getByTestId("lang-switch").click();
    await page.waitForFunction(() => document.documentElement.lang === "en");
    expect(await text(page, "tab-map")).toBe("Map");
    expect(await text(page, "logout")).toBe("Log out");
    expect(await text(page, "current-user")).toContain("Dispatcher");
    expect(await text(page, "case-queue")).toContain("Emergencies & service");
    expect(await text(page, "lang-switch")).toBe("中文");

    await page.getByTestId("lang-switch").click();
    await page.waitForFunction(() => document.documentElement.lang === "zh-CN");
    expect(await text(page, "tab-map")).toBe("地图");
    expect(await text(page, "logout")).toBe("退出登录");
    expect(await text(page, "lang-switch")).toBe("English");
    expect(errors).toEqual([]);
  });
});
