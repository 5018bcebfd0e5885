// The dispatch console and the responder phone app in real Chromium, against the real platform
// (embedded broker, real MQTT presses, SQLite file, HTTP + Socket.IO), as the people using them
// would: log in, hear an alarm, open the case, assign, follow a job from offer to resolved.
// The console is built from the current source once, before the tests.
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Browser, BrowserContextOptions, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { topics, type CaseSummary, type OfferDto, type ServiceKind } from "../../protocol/index.ts";
import { allOffDuty, api, login, startTestApp, TEST_PASSWORD, type TestApp } from "../helpers/app.ts";
import {
  connectDevice,
  offset,
  onDutyAt,
  residentOf,
  until,
  type TestDevice,
  type TestResponder,
} from "../helpers/scenario.ts";
import {
  buildConsole,
  firstSeen,
  launchChromium,
  logInToConsole,
  newContext,
  recordFirstSeen,
  resetCity,
  responderIdOf,
  submitLogin,
} from "./browser.ts";

const SCREENSHOT = fileURLToPath(new URL("../../docs/screenshot-console.png", import.meta.url));

let app: TestApp;
let browser: Browser;
let consoleDir: string;
let staffToken: string;
/** Closed after each test, newest first: browser contexts, devices, responder sockets. */
const cleanups: (() => unknown)[] = [];
/** The pages of the running test. */
const pages: Page[] = [];
const ARTIFACTS = fileURLToPath(new URL("./artifacts/", import.meta.url));

beforeAll(async () => {
  consoleDir = mkdtempSync(join(tmpdir(), "eldercare-console-"));
  await buildConsole(consoleDir);
  const [started, launched] = await Promise.allSettled([
    startTestApp({
      consoleDir,
      // A case nobody could take waits for staff instead of being retried behind the test's back.
      policy: { retryMs: 10 * 60_000 },
    }),
    launchChromium(),
  ]);
  // Keep whichever started, so afterAll can stop it even when the other failed.
  if (started.status === "fulfilled") app = started.value;
  if (launched.status === "fulfilled") browser = launched.value;
  if (started.status === "rejected") throw started.reason;
  if (launched.status === "rejected") throw launched.reason;
  staffToken = (await login(app.httpUrl, "dispatcher")).token;
  resetCity(app);
}, 120_000);

afterEach(async ({ task }) => {
  // A failed test leaves what each of its pages showed in tests/e2e/artifacts/ (git-ignored).
  if (task.result?.state === "fail") {
    mkdirSync(ARTIFACTS, { recursive: true });
    const name = task.name.replace(/[^\w\u4e00-\u9fff-]+/g, "-").slice(0, 80);
    for (const [i, page] of pages.entries()) {
      await page.screenshot({ path: join(ARTIFACTS, `${name}-${i}.png`) }).catch(() => undefined);
    }
  }
  pages.length = 0;
  for (const fn of cleanups.splice(0).reverse()) await Promise.resolve(fn()).catch(() => undefined);
  if (app) resetCity(app);
});

afterAll(async () => {
  await browser?.close();
  await app?.close();
  if (consoleDir) rmSync(consoleDir, { recursive: true, force: true });
});

/** A fresh browser profile; uncaught page errors are collected so a test can insist on none. */
async function openPage(opts: BrowserContextOptions = {}): Promise<{ page: Page; errors: string[] }> {
  const context = await newContext(browser, app.httpUrl, opts);
  cleanups.push(() => context.close());
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  pages.push(page);
  const errors: string[] = [];
  page.on("pageerror", (err) => errors.push(err.message));
  return { page, errors };
}

async function device(id: string): Promise<TestDevice> {
  const d = await connectDevice(app, id);
  cleanups.push(() => d.close());
  return d;
}

async function responderAt(username: string, at: { lat: number; lng: number }): Promise<TestResponder> {
  const r = await onDutyAt(app, username, at);
  cleanups.push(() => r.socket.close());
  return r;
}

/** Presses and waits for the platform's "received" ack, which carries the case id. */
async function press(d: TestDevice, eventId: string, type = "sos"): Promise<number> {
  await d.press(eventId, type);
  const ack = await until(() => d.acks.find((a) => a.eventId === eventId && a.status === "received"));
  return ack.caseId!;
}

function residentName(deviceId: string): string {
  const { residentId } = residentOf(app, deviceId);
  return (app.db.raw.prepare(`SELECT name FROM "Resident" WHERE id = ?`).get(residentId) as { name: string })
    .name;
}

const text = async (page: Page, testId: string) => (await page.getByTestId(testId).textContent()) ?? "";
const path = (page: Page) => new URL(page.url()).pathname;

describe("logging in", () => {
  it("a wrong password shows an error; the right one opens the console", async () => {
    const { page, errors } = await openPage();
    await submitLogin(page, "dispatcher", "not-the-password");
    await page.getByTestId("login-error").waitFor();
    expect(await text(page, "login-error")).toContain("用户名或密码错误");
    expect(path(page)).toBe("/login");

    await page.getByTestId("login-password").fill(TEST_PASSWORD);
    await page.getByTestId("login-submit").click();
    await page.getByTestId("current-user").waitFor();
    expect(await text(page, "current-user")).toContain("值班员");
    expect(path(page)).toBe("/");
    await page.locator('[data-testid="connection"][data-state="connected"]').waitFor();
    await page.getByTestId("map").waitFor();
    expect(errors).toEqual([]);
  });

  it("a reload keeps the session; logging out returns to the login page and ends the session", async () => {
    const { page, errors } = await openPage();
    await logInToConsole(page);
    const token = await page.evaluate(
      () => (JSON.parse(localStorage.getItem("eldercare.session") ?? "{}") as { token?: string }).token,
    );
    expect(token).toBeTruthy();

    await page.reload();
    await page.getByTestId("current-user").waitFor();
    await page.locator('[data-testid="connection"][data-state="connected"]').waitFor();
    expect(path(page)).toBe("/");
    expect(await page.getByTestId("login-username").count()).toBe(0);

    await page.getByTestId("logout").click();
    await page.getByTestId("login-username").waitFor();
    expect(path(page)).toBe("/login");
    expect(await page.evaluate(() => localStorage.getItem("eldercare.session"))).toBeNull();
    expect((await api(app.httpUrl, token!, "GET", "/api/auth/me")).status).toBe(401);

    // The console is out of reach without logging in again.
    await page.goto("/");
    await page.getByTestId("login-username").waitFor();
    expect(path(page)).toBe("/login");
    expect(errors).toEqual([]);
  });
});

describe("the dispatch console", () => {
  it("a press shows in the queue and on the map within a second and sounds until acknowledged", async () => {
    allOffDuty(app);
    const { page, errors } = await openPage();
    await logInToConsole(page);
    await recordFirstSeen(page);
    expect(await page.evaluate(() => document.body.dataset.alarm)).toBe("off");
    const d = await device("BJ-00101");

    const pressedAt = Date.now();
    const caseId = await press(d, "e2e-alarm-1");
    await page.getByTestId(`case-row-${caseId}`).waitFor();
    await page.getByTestId(`case-marker-${caseId}`).waitFor();
    const inQueue = (await firstSeen(page, `case-row-${caseId}`))! - pressedAt;
    const onMap = (await firstSeen(page, `case-marker-${caseId}`))! - pressedAt;
    expect(inQueue).toBeLessThan(1000);
    expect(onMap).toBeLessThan(1000);

    // Unmissable: the flag, the sound, the banner, the row.
    expect(await page.evaluate(() => document.body.dataset.alarm)).toBe("on");
    expect(await page.evaluate(() => window.__alarmSounds ?? 0)).toBeGreaterThanOrEqual(1);
    expect(await text(page, "alarm-banner")).toContain(residentName("BJ-00101"));
    expect(await page.getByTestId(`case-marker-${caseId}`).getAttribute("data-alarm")).toBe("on");

    await page.getByTestId(`row-ack-${caseId}`).click();
    await page.waitForFunction(() => document.body.dataset.alarm === "off");
    await page.getByTestId("alarm-banner").waitFor({ state: "detached" });
    expect(await page.getByTestId(`row-ack-${caseId}`).count()).toBe(0);
    await page.locator(`[data-testid="case-marker-${caseId}"][data-alarm="off"]`).waitFor();
    const stored = await api<{ case: CaseSummary }>(app.httpUrl, staffToken, "GET", `/api/cases/${caseId}`);
    expect(stored.body.case.staffAckAt).not.toBeNull();
    expect(errors).toEqual([]);
  });

  it("the drawer shows the resident file and timeline; assigning a responder makes the case accepted", async () => {
    allOffDuty(app);
    const { page, errors } = await openPage();
    await logInToConsole(page);
    const d = await device("BJ-00201");
    const caseId = await press(d, "e2e-assign-1");
    // Nobody was on duty, so the platform found no candidate; now a caregiver comes on duty nearby.
    const home = residentOf(app, "BJ-00201");
    const responder = await responderAt("caregiver003", offset(home.lat, home.lng, 250, 0));
    const responderName = app.registry.get(responder.id)!.name;

    await page.getByTestId(`case-row-${caseId}`).click();
    const drawer = page.getByTestId("case-drawer");
    await drawer.waitFor();
    await page.getByTestId("resident-file").waitFor();
    expect(await text(page, "resident-file")).toContain(residentName("BJ-00201"));
    expect(await text(page, "resident-file")).toContain("BJ-00201");
    await page.locator('[data-testid="timeline"] li[data-event="created"]').waitFor();
    // The escalation names its reason, taken from the event's data.
    const escalated = page.locator('[data-testid="timeline"] li[data-event="escalated"]');
    expect(await escalated.getByTestId("timeline-detail").textContent()).toBe("附近无可用人员");
    expect(await page.getByTestId("case-status").getAttribute("data-status")).toBe("new");

    const candidate = page.getByTestId(`candidate-${responder.id}`);
    await candidate.waitFor();
    expect(await candidate.textContent()).toContain(responderName);
    const phone = app.registry.get(responder.id)!.phone;
    expect(await candidate.getByTestId(`responder-phone-${responder.id}`).getAttribute("href")).toBe(
      `tel:${phone.replace(/[^\d+]/g, "")}`,
    );

    await page.getByTestId(`assign-${responder.id}`).click();
    await page.locator('[data-testid="case-status"][data-status="accepted"]').waitFor();
    expect(await text(page, "case-responder")).toBe(responderName);
    await page.locator(`[data-testid="case-row-${caseId}"][data-status="accepted"]`).waitFor();
    const assigned = page.locator('[data-testid="timeline"] li[data-event="assigned"]');
    await assigned.waitFor();
    expect(await assigned.getByTestId("timeline-detail").textContent()).toBe(responderName);

    const stored = await api<{ case: CaseSummary }>(app.httpUrl, staffToken, "GET", `/api/cases/${caseId}`);
    expect(stored.body.case).toMatchObject({ status: "accepted", responderId: responder.id });
    await until(() => d.acks.find((a) => a.status === "assigned"));
    expect(errors).toEqual([]);
  });

  it("staff confirm a responder who holds the offer, after a phone call, without waiting for the tap", async () => {
    allOffDuty(app);
    const home = residentOf(app, "BJ-00202");
    const responder = await responderAt("caregiver004", offset(home.lat, home.lng, 200, 0));
    const { page, errors } = await openPage();
    await logInToConsole(page);
    const d = await device("BJ-00202");
    const caseId = await press(d, "e2e-confirm-1");
    const offerId = (await until(() =>
      app.db.raw.prepare(`SELECT id FROM "Offer" WHERE caseId = ? AND status = 'pending'`).get(caseId),
    )) as { id: number };

    await page.getByTestId(`case-row-${caseId}`).click();
    await page.getByTestId(`confirm-offer-${offerId.id}`).click();
    await page.locator('[data-testid="case-status"][data-status="accepted"]').waitFor();
    const stored = await api<{ case: CaseSummary }>(app.httpUrl, staffToken, "GET", `/api/cases/${caseId}`);
    expect(stored.body.case).toMatchObject({ status: "accepted", responderId: responder.id });
    const offer = app.db.raw.prepare(`SELECT status FROM "Offer" WHERE id = ?`).get(offerId.id) as {
      status: string;
    };
    expect(offer.status).toBe("accepted");
    expect(errors).toEqual([]);
  });

  it("a false alarm is cancelled from the drawer, its clock stops, and the follow-up call closes it", async () => {
    allOffDuty(app);
    const { page, errors } = await openPage();
    await logInToConsole(page);
    const d = await device("BJ-00251");
    const caseId = await press(d, "e2e-false-alarm-1");

    await page.getByTestId(`case-row-${caseId}`).click();
    await page.getByTestId("cancel-reason").fill("老人误触按键，电话确认无事");
    await page.getByTestId("btn-cancel-case").click();
    await page.locator('[data-testid="case-status"][data-status="cancelled"]').waitFor();
    // It waits for the follow-up call (回访), and nobody is waiting for help any more.
    const row = page.locator(`[data-testid="queue-followup"] [data-testid="case-row-${caseId}"]`);
    await row.waitFor();
    const clock = page.getByTestId(`clock-press-${caseId}`);
    expect(await clock.getAttribute("class")).toContain("sla-done");
    const stopped = await clock.textContent();
    await page.waitForTimeout(1100);
    expect(await clock.textContent()).toBe(stopped);
    await until(() => d.acks.find((a) => a.status === "cancelled"));

    await page.getByTestId("follow-up-outcome").selectOption("no_answer");
    await page.getByTestId("btn-follow-up").click();
    await row.waitFor({ state: "detached" });
    await page.locator('[data-testid="case-status"][data-status="closed"]').waitFor();
    const followUp = page.locator('[data-testid="timeline"] li[data-event="follow_up"]');
    expect(await followUp.getByTestId("timeline-detail").textContent()).toBe("无人接听");
    expect(errors).toEqual([]);
  });

  it("switches to English and back to 中文", async () => {
    const { page, errors } = await openPage();
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

describe("the responder phone app", () => {
  it("goes on duty, gets an offer for a new press, accepts, sets off, arrives and resolves", async () => {
    allOffDuty(app);
    const home = residentOf(app, "BJ-00301");
    const standing = offset(home.lat, home.lng, 180, -120);
    const responderId = responderIdOf(app, "caregiver001");

    // The dispatcher watches the same case on the console.
    const { page: desk, errors: deskErrors } = await openPage();
    await logInToConsole(desk);

    const { page: phone, errors } = await openPage({
      viewport: { width: 390, height: 844 },
      hasTouch: true,
      geolocation: { latitude: standing.lat, longitude: standing.lng, accuracy: 15 },
      permissions: ["geolocation"],
    });
    await submitLogin(phone, "caregiver001");
    await phone.getByTestId("duty-toggle").waitFor();
    expect(path(phone)).toBe("/responder");
    await phone.locator('[data-testid="connection"][data-state="connected"]').waitFor();
    expect(await phone.getByTestId("duty-toggle").getAttribute("data-on-duty")).toBe("false");

    await phone.getByTestId("duty-toggle").click();
    await phone.locator('[data-testid="duty-toggle"][data-on-duty="true"]').waitFor();
    // The phone shares its position; the platform must have it before it can match.
    await until(() => {
      const r = app.registry.get(responderId);
      return r?.onDuty && r.lat !== null && Math.abs(r.lat - standing.lat) < 1e-6;
    });
    await desk.getByTestId("map").waitFor();

    const d = await device("BJ-00301");
    const caseId = await press(d, "e2e-phone-1");
    const card = phone.getByTestId("offer-card");
    await card.waitFor();
    expect(await card.textContent()).toContain(residentName("BJ-00301"));
    expect(await phone.getByTestId("offer-countdown").textContent()).toMatch(/\d:\d\d/);

    await phone.getByTestId("offer-accept").click();
    await phone.locator('[data-testid="active-case"][data-status="accepted"]').waitFor();
    expect(await phone.getByTestId("offer-card").count()).toBe(0);
    await until(() => d.acks.find((a) => a.status === "assigned"));
    await desk.locator(`[data-testid="case-row-${caseId}"][data-status="accepted"]`).waitFor();

    await phone.getByTestId("btn-en-route").click();
    await phone.locator('[data-testid="active-case"][data-status="en_route"]').waitFor();
    await desk.locator(`[data-testid="case-row-${caseId}"][data-status="en_route"]`).waitFor();

    await phone.getByTestId("btn-arrived").click();
    await phone.locator('[data-testid="active-case"][data-status="on_scene"]').waitFor();
    await until(() => d.acks.find((a) => a.status === "arrived"));

    await phone.getByTestId("resolve-note").fill("老人在家中，血压偏高，已协助服药并通知家属");
    await phone.getByTestId("btn-resolve").click();
    await phone.getByTestId("active-case").waitFor({ state: "detached" });
    await phone.getByTestId("notice").waitFor();
    // Resolved cases wait for the follow-up call in the console's queue.
    await desk.locator(`[data-testid="queue-followup"] [data-testid="case-row-${caseId}"]`).waitFor();

    const stored = await api<{ case: CaseSummary; offers: OfferDto[] }>(
      app.httpUrl,
      staffToken,
      "GET",
      `/api/cases/${caseId}`,
    );
    expect(stored.body.case).toMatchObject({ status: "resolved", responderId });
    expect(errors).toEqual([]);
    expect(deskErrors).toEqual([]);
  });
});

describe("the demo city", () => {
  it("looks alive on the console: open cases of every kind, responders at work (docs/screenshot-console.png)", async () => {
    allOffDuty(app);
    // One resident per community, from devices the other tests leave alone.
    const homes = new Map<number, { deviceId: string; lat: number; lng: number }>();
    const rows = app.db.raw
      .prepare(
        `SELECT d.id AS deviceId, r.lat, r.lng, r.communityId FROM "Device" d JOIN "Resident" r ON r.id = d.residentId
         WHERE d.id >= 'BJ-01001' ORDER BY d.id`,
      )
      .all() as { deviceId: string; lat: number; lng: number; communityId: number }[];
    for (const r of rows) if (!homes.has(r.communityId)) homes.set(r.communityId, r);
    const spots = [...homes.values()];

    // 24 responders on duty, a few hundred metres to a couple of kilometres from those homes.
    const usernames = [
      ...Array.from({ length: 12 }, (_, i) => `caregiver${String(i + 4).padStart(3, "0")}`),
      ...Array.from({ length: 12 }, (_, i) => `volunteer${String(i + 1).padStart(3, "0")}`),
    ];
    const responders: TestResponder[] = [];
    for (let i = 0; i < usernames.length; i += 6) {
      responders.push(
        ...(await Promise.all(
          usernames.slice(i, i + 6).map((u, j) => {
            const k = i + j;
            const home = spots[k % spots.length]!;
            const metres = 450 + 380 * (k % 4);
            const angle = (k * 137.5 * Math.PI) / 180;
            return responderAt(
              u,
              offset(home.lat, home.lng, metres * Math.cos(angle), metres * Math.sin(angle)),
            );
          }),
        )),
      );
    }
    const offers: { r: TestResponder; offer: OfferDto }[] = [];
    for (const r of responders) r.socket.on("offer", (offer) => offers.push({ r, offer }));

    // Presses of every kind across the city.
    const plan: { type: string; service?: ServiceKind }[] = [
      { type: "sos" },
      { type: "fall" },
      { type: "service_request", service: "meal" },
      { type: "sos" },
      { type: "low_battery" },
      { type: "service_request", service: "bathing" },
      { type: "fall" },
      { type: "sos" },
    ];
    const caseIds: number[] = [];
    for (const [i, step] of plan.entries()) {
      const d = await device(spots[i % spots.length]!.deviceId);
      const eventId = `e2e-city-${i}`;
      await d.client.publishAsync(
        topics.events(d.id),
        JSON.stringify({
          eventId,
          type: step.type,
          at: new Date().toISOString(),
          ...(step.service ? { service: step.service } : {}),
          ...(step.type === "low_battery" ? { battery: 12 } : {}),
        }),
        { qos: 1 },
      );
      // Alarms and service requests are "received"; a low battery report is "logged" as a technical case.
      const ack = await until(() => d.acks.find((a) => a.eventId === eventId && a.caseId !== undefined));
      caseIds.push(ack.caseId!);
    }

    // Some jobs under way: accepted, on the way, on scene; the dispatcher has acknowledged those.
    await until(() => new Set(offers.map((o) => o.offer.caseId)).size >= 3, 5000);
    const steps = [["en-route", "arrived"], ["en-route"], []] as const;
    const taken = new Set<number>();
    for (const { r, offer } of offers) {
      const next = steps[taken.size];
      if (next === undefined) break;
      if (taken.has(offer.caseId)) continue;
      const accepted = await api(app.httpUrl, r.token, "POST", `/api/offers/${offer.id}/accept`);
      if (accepted.status !== 200) continue;
      taken.add(offer.caseId);
      for (const step of next) await api(app.httpUrl, r.token, "POST", `/api/cases/${offer.caseId}/${step}`);
      await api(app.httpUrl, staffToken, "POST", `/api/cases/${offer.caseId}/ack`);
    }
    expect(taken.size).toBe(3);

    const { page, errors } = await openPage({ viewport: { width: 1440, height: 900 } });
    await logInToConsole(page);
    for (const id of caseIds) await page.getByTestId(`case-marker-${id}`).waitFor();
    await page.locator(".leaflet-marker-pane .rm, .leaflet-marker-pane .responder-cluster").first().waitFor();
    expect(await page.locator('[data-testid^="case-row-"]').count()).toBe(new Set(caseIds).size);
    await page.evaluate(() => document.fonts.ready.then(() => undefined));
    // Let the cluster layer finish its chunked first render.
    await page.waitForTimeout(600);
    await page.screenshot({ path: SCREENSHOT });
    expect(errors).toEqual([]);
  });
});
