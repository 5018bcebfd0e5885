// A volunteer's phone in a pocket, in real Chromium (360×740, with geolocation) against the real
// platform: push with the page closed, presence, honest messages, and working offline.
//
// How push is tested end to end here. Chromium's own pushManager.subscribe() would register with
// Google's push service, which these machines cannot reach, so:
//  1. the page gets a PushManager stub (an init script) whose subscribe() makes a real P-256 key
//     pair and auth secret with WebCrypto and hands the private part to the test, which registers
//     it with a local push service (device-sim/push-receiver.ts) and returns that endpoint;
//  2. the app registers the subscription with the platform as it would any other;
//  3. with the page closed, a press makes the platform send the offer: the local service checks
//     the VAPID signature (RFC 8292) and decrypts the aes128gcm payload (RFC 8291) with the page's
//     keys, and the test checks what it says;
//  4. the test hands the decrypted payload to the app's real service worker (CDP
//     ServiceWorker.deliverPushMessage) and reads the notification it shows (getNotifications);
//  5. a system notification cannot be tapped from outside a headless browser, so the test opens
//     the URL the notification carries — what the worker's notificationclick opens — and checks
//     the offer is there to accept.
// Installability and the service worker need a persistent profile (Playwright's usual contexts
// are incognito, where Chromium refuses both), so those tests launch their own Chromium
// (tests/e2e/push-stub.ts).
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { CaseDetail, ResponderSummary } from "../../protocol/api.ts";
import { startLocalPushService, type LocalPushService } from "../../device-sim/push-receiver.ts";
import { api, login, nextEvent } from "../helpers/app.ts";
import { offset } from "../helpers/scenario.ts";
import { logInToConsole, submitLogin } from "./browser.ts";
import { e2eFixture, text } from "./fixture.ts";
import { pushToWorker, launchPhoneProfile, stubPush, type PhoneProfile } from "./push-stub.ts";

const fx = e2eFixture();
const PHONE = { width: 360, height: 740 };
let push: LocalPushService;
let vapidKey = "";

beforeAll(async () => {
  const { token } = await login(fx.world.httpUrl, "volunteer001");
  vapidKey = (await api<{ publicKey: string }>(fx.world.httpUrl, token, "GET", "/api/responder/push")).body
    .publicKey;
  push = await startLocalPushService(() => vapidKey);
});
afterAll(async () => {
  await push?.close();
});

const preparePhone = (context: BrowserContext) => stubPush(context, push);

async function phonePage(username: string, at: { lat: number; lng: number }) {
  const { page, errors } = await fx.phone(username, at, { viewport: PHONE });
  await preparePhone(page.context());
  return { page, errors };
}

async function goOnDuty(page: Page, username: string): Promise<void> {
  await submitLogin(page, username);
  await page.locator('[data-testid="connection"][data-state="connected"]').waitFor();
  await page.getByTestId("duty-toggle").click();
  await page.locator('[data-testid="duty-toggle"][data-on-duty="true"]').waitFor();
  await page.locator('[data-testid="location-state"][data-state="sharing"]').waitFor();
}

const staffToken = () => login(fx.world.httpUrl, "dispatcher").then((r) => r.token);
const detail = async (caseId: number) => fx.caseDetail(caseId);

describe("the phone with its page closed, in a persistent profile", () => {
  let profile: PhoneProfile;
  let context: BrowserContext;

  beforeAll(async () => {
    const home = fx.home("BJ-00501");
    const at = offset(home.lat, home.lng, 120, 0);
    profile = await launchPhoneProfile(fx.world.httpUrl, push, {
      geolocation: { latitude: at.lat, longitude: at.lng, accuracy: 15 },
    });
    context = profile.context;
  });
  // These phones log in outside the fixture's pages: off duty again after each test.
  afterEach(async () => {
    expect(profile.pageErrors.splice(0)).toEqual([]);
    for (const username of ["volunteer002", "caregiver021"]) {
      const { token } = await login(fx.world.httpUrl, username);
      await api(fx.world.httpUrl, token, "POST", "/api/responder/duty", { onDuty: false });
    }
  });
  afterAll(async () => {
    await profile?.close();
  });

  it("is installable: PNG icons, manifest and service worker pass Chromium's check", async () => {
    const page = await context.newPage();
    await goOnDuty(page, "volunteer002");
    await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
    const cdp = await context.newCDPSession(page);
    const { installabilityErrors } = await cdp.send("Page.getInstallabilityErrors");
    expect(installabilityErrors).toEqual([]);
    const manifest = await cdp.send("Page.getAppManifest");
    expect(manifest.errors).toEqual([]);
    for (const icon of ["icon-192.png", "icon-512.png", "icon-maskable-512.png", "apple-touch-icon.png"]) {
      const res = await page.request.get(`/icons/${icon}`);
      expect(res.headers()["content-type"]).toBe("image/png");
    }
    expect(await page.locator('link[rel="apple-touch-icon"]').getAttribute("href")).toBe(
      "/icons/apple-touch-icon.png",
    );
    // Logging out goes off duty and forgets this browser's push subscription.
    await page.getByTestId("logout").click();
    await page.getByTestId("login-username").waitFor();
    await page.close();
  });

  it("a press reaches the closed page as a push notification; tapping it opens the offer", async () => {
    const staff = await fx.staffSocket();
    const me = await login(fx.world.httpUrl, "caregiver021");
    const page = await context.newPage();
    await goOnDuty(page, "caregiver021");
    // Notifications are allowed in this profile, so the app subscribes by itself.
    await page.locator('[data-testid="push-state"][data-state="on"]').waitFor();
    const pushOnly = nextEvent(
      staff,
      "responder:updated",
      (r: ResponderSummary) => r.id === me.user.responderId && r.phoneState === "push_only",
    );
    await page.close(); // the page is closed; the phone is in the pocket
    await pushOnly;

    const d = await fx.device("BJ-00501");
    const caseId = await fx.press(d, "e2e-push-closed-1");
    const got = await push.next((r) => r.message.kind === "offer" && r.message.caseId === caseId, 10_000);
    const { resident } = await detail(caseId);
    expect(got.message).toMatchObject({ kind: "offer", caseId, title: "新派单 · 紧急呼叫", urgent: true });
    expect(got.message.body).toContain(resident.name);
    expect(push.rejected).toEqual([]);

    // The worker shows it: the decrypted payload goes in as the push service would deliver it.
    const blank = await context.newPage();
    const shown = await pushToWorker(context, blank, fx.world.httpUrl, got.message);
    expect(shown).toHaveLength(1);
    const [notification] = shown;
    expect(notification).toMatchObject({
      title: got.message.title,
      body: got.message.body,
      tag: `case-${caseId}`,
    });
    expect(notification!.url).toBe(`/responder?offer=${got.message.offerId}`);

    // Tapped: the app opens at the offer, which can be accepted at once.
    const opened = await context.newPage();
    await opened.goto(notification!.url);
    const card = opened.locator(`[data-testid="offer-card"][data-offer-id="${got.message.offerId}"]`);
    await card.waitFor();
    expect(await card.getAttribute("class")).toContain("offer-opened");
    await card.getByTestId("offer-accept").click();
    await opened.locator('[data-testid="active-case"][data-status="accepted"]').waitFor();
    await d.ack((a) => a.status === "assigned");
    await opened.close();
    await blank.close();
  }, 90_000);
});

describe("the phone that tells the truth", () => {
  it("a phone that stopped heartbeating is not offered a new case, staff see it unreachable, and it is told on return", async () => {
    const home = fx.home("BJ-00502");
    const { page: phone } = await phonePage("caregiver022", offset(home.lat, home.lng, 80, 0));
    await goOnDuty(phone, "caregiver022");
    const me = await login(fx.world.httpUrl, "caregiver022");
    const far = await fx.responderAt("caregiver023", offset(home.lat, home.lng, 1500, 0));
    const staff = await fx.staffSocket();
    const lost = nextEvent(
      staff,
      "responder:updated",
      (r: ResponderSummary) => r.id === me.user.responderId && r.phoneState === "unreachable",
      20_000,
    );
    await phone.close(); // the battery died: no socket, no heartbeat
    await lost;

    const { page: desk } = await fx.openPage();
    await logInToConsole(desk);
    await desk.getByTestId("tab-responders").click();
    const badge = desk.getByTestId(`phone-state-${me.user.responderId}`);
    await badge.waitFor();
    expect(await badge.getAttribute("data-state")).toBe("unreachable");
    expect(await badge.textContent()).toBe("失联");

    const offered = nextEvent(far.socket, "offer");
    const d = await fx.device("BJ-00502");
    const caseId = await fx.press(d, "e2e-unreachable-1");
    expect((await offered).caseId).toBe(caseId);
    expect((await detail(caseId)).offers.map((o) => o.responderId)).toEqual([far.id]);
    // The drawer lists the silent phone after the one offered, greyed, still assignable by a call.
    await desk.getByTestId("tab-map").click();
    await desk.getByTestId(`case-row-${caseId}`).locator(".case-row-main").click();
    const silent = desk.getByTestId(`candidate-${me.user.responderId}`);
    await silent.waitFor();
    expect(await silent.getAttribute("data-phone-state")).toBe("unreachable");
    expect(await silent.getByTestId(`candidate-phone-${me.user.responderId}`).textContent()).toContain(
      "失联",
    );
    expect(await desk.getByTestId(`assign-${me.user.responderId}`).isEnabled()).toBe(true);
    const rows = await desk
      .locator('[data-testid^="candidate-"][data-phone-state]')
      .evaluateAll((els) => els.map((e) => e.getAttribute("data-testid")));
    expect(rows.indexOf(`candidate-${far.id}`)).toBeLessThan(
      rows.indexOf(`candidate-${me.user.responderId}`),
    );

    // The phone comes back: it says what happened.
    const { page: back } = await phonePage("caregiver022", offset(home.lat, home.lng, 80, 0));
    await submitLogin(back, "caregiver022");
    await back.getByTestId("presence-notice").waitFor();
    expect(await text(back, "presence-notice")).toMatch(/你的手机在 \d\d:\d\d–\d\d:\d\d 期间失联/);
  });

  it("decline is acknowledged as 已拒绝; a job reassigned away says who has it now, with vibration", async () => {
    const home = fx.home("BJ-00503");
    const { page: phone, errors } = await phonePage("caregiver024", offset(home.lat, home.lng, 100, 0));
    await goOnDuty(phone, "caregiver024");
    const d = await fx.device("BJ-00503");
    const first = await fx.press(d, "e2e-decline-1");
    await phone.getByTestId("offer-card").waitFor();
    await phone.getByTestId("offer-decline").click();
    await phone.getByTestId("declined-notice").waitFor();
    expect(await text(phone, "declined-notice")).toContain("已拒绝");
    expect(await phone.getByTestId("offer-card").count()).toBe(0);

    // A second call: accepted, then staff give it to someone else.
    const other = await fx.responderAt("caregiver025", offset(home.lat, home.lng, 2500, 0));
    const staff = await staffToken();
    await api(fx.world.httpUrl, staff, "POST", `/api/cases/${first}/cancel`, { reason: "误报" });
    const caseId = await fx.press(d, "e2e-reassign-1");
    const card = phone.getByTestId("offer-card");
    await card.waitFor();
    await card.getByTestId("offer-accept").click();
    await phone.locator('[data-testid="active-case"][data-status="accepted"]').waitFor();
    const before = await phone.evaluate(
      () => (window as unknown as { __vibrations: unknown[] }).__vibrations.length,
    );
    const res = await api(fx.world.httpUrl, staff, "POST", `/api/cases/${caseId}/assign`, {
      responderId: other.id,
    });
    expect(res.status).toBe(200);
    await phone.getByTestId("reassigned-notice").waitFor();
    expect(await text(phone, "reassigned-notice")).toBe(`调度已改派给 ${other.name}，请勿前往`);
    expect(await phone.getByTestId("active-case").count()).toBe(0);
    const vibrations = await phone.evaluate(
      () => (window as unknown as { __vibrations: number[][] }).__vibrations,
    );
    expect(vibrations.length).toBeGreaterThan(before);
    expect(vibrations.at(-1)).toEqual([600, 200, 600, 200, 600]);
    expect(errors).toEqual([]);
  });

  it("an offline reload shows the active job; an action queued offline is applied exactly once after reconnecting", async () => {
    const home = fx.home("BJ-00505");
    const { page: phone } = await phonePage("caregiver026", offset(home.lat, home.lng, 100, 0));
    await goOnDuty(phone, "caregiver026");
    // The service worker must hold the app before the network goes.
    await phone.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
    const d = await fx.device("BJ-00505");
    const caseId = await fx.press(d, "e2e-offline-1");
    await phone.getByTestId("offer-accept").click();
    await phone.locator('[data-testid="active-case"][data-status="accepted"]').waitFor();
    await phone.getByTestId("resident-essentials").waitFor();
    const { resident } = await detail(caseId);

    const context = phone.context();
    await context.setOffline(true);
    await phone.reload();
    const active = phone.locator('[data-testid="active-case"][data-status="accepted"]');
    await active.waitFor();
    expect(await active.textContent()).toContain(resident.name);
    expect(await text(phone, "resident-essentials")).toContain(resident.keyHolder ?? "");
    expect(await text(phone, "last-sync")).toMatch(/上次同步 \d\d:\d\d/);
    expect(await text(phone, "duty-state")).toBe("值班中");

    // At the door without network: "arrived" and a note wait on the phone.
    await phone.getByTestId("btn-arrived").click();
    await phone.getByTestId("pending-actions").waitFor();
    await phone.locator('[data-testid="active-case"][data-status="on_scene"]').waitFor();
    await phone.getByTestId("note-text").fill("门打不开，已联系钥匙保管人");
    await phone.getByTestId("btn-note").click();
    await expect.poll(() => phone.getByTestId("pending-actions").locator("li").count()).toBe(2);

    // Back online, the first answer is lost on the way back: the phone sends again with the same key.
    let lostOnce = false;
    await phone.route("**/api/cases/*/arrived", async (route) => {
      if (lostOnce) return route.continue();
      lostOnce = true;
      await route.fetch(); // the platform carries it out…
      await route.abort("internetdisconnected"); // …but the phone never hears back
    });
    await context.setOffline(false);
    await phone.getByTestId("sent-notice").waitFor({ timeout: 30_000 });
    await phone.getByTestId("pending-actions").waitFor({ state: "detached", timeout: 30_000 });
    expect(lostOnce).toBe(true);
    // One notice for everything sent, not just the last action.
    await expect.poll(() => text(phone, "sent-notice")).toBe("离线时的操作已送达：已到达、添加备注");

    const after = await detail(caseId);
    expect(after.case.status).toBe("on_scene");
    const count = (type: string) =>
      after.timeline.filter((e: CaseDetail["timeline"][number]) => e.type === type).length;
    expect(count("arrived")).toBe(1);
    expect(after.timeline.filter((e) => e.type === "note").map((e) => e.note)).toEqual([
      "门打不开，已联系钥匙保管人",
    ]);
    await d.ack((a) => a.status === "arrived");
  });
});
