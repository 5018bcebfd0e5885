// A phone's browser with Web Push, for e2e tests (see tests/e2e/phone-reach.e2e.test.ts for why):
// a PushManager stub whose subscriptions a local push service decrypts, a persistent Chromium
// profile (service workers need one), and the app's real service worker fed a payload as the
// push service would deliver it.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import type { PushMessage } from "../../protocol/api.ts";
import type { LocalPushService } from "../../device-sim/push-receiver.ts";

/**
 * The PushManager stub and a vibration recorder, installed before the app's code runs. Keys are
 * made in the page; `__registerPush(d, auth)` (bound by the test) returns the local endpoint.
 */
const PUSH_STUB = `
(() => {
  window.__vibrations = [];
  navigator.vibrate = (p) => (window.__vibrations.push(p), true);
  if (!("PushManager" in window)) return;
  const b64 = (buf) => btoa(String.fromCharCode(...new Uint8Array(buf))).replace(/\\+/g, "-").replace(/\\//g, "_").replace(/=+$/, "");
  const KEY = "e2e.push.subscription";
  const asSubscription = (json) => ({
    endpoint: json.endpoint,
    expirationTime: null,
    options: { userVisibleOnly: true },
    toJSON: () => json,
    getKey: () => null,
    unsubscribe: async () => (localStorage.removeItem(KEY), true),
  });
  PushManager.prototype.getSubscription = async function () {
    const raw = localStorage.getItem(KEY);
    return raw ? asSubscription(JSON.parse(raw)) : null;
  };
  PushManager.prototype.subscribe = async function () {
    const pair = await crypto.subtle.generateKey({ name: "ECDH", namedCurve: "P-256" }, true, ["deriveBits"]);
    const jwk = await crypto.subtle.exportKey("jwk", pair.privateKey);
    const auth = b64(crypto.getRandomValues(new Uint8Array(16)));
    const json = await window.__registerPush(jwk.d, auth);
    json.keys.p256dh = b64(await crypto.subtle.exportKey("raw", pair.publicKey));
    localStorage.setItem(KEY, JSON.stringify(json));
    return asSubscription(json);
  };
  PushManager.permissionState = async () => "granted";
})();`;

export async function stubPush(context: BrowserContext, push: LocalPushService): Promise<void> {
  await context.addInitScript({ content: PUSH_STUB });
  await context.exposeBinding("__registerPush", (_src, d: string, auth: string) => push.register(d, auth));
}

export interface PhoneProfile {
  context: BrowserContext;
  /** Uncaught errors and Content Security Policy violations on this profile's pages. */
  pageErrors: string[];
  close(): Promise<void>;
}

/** A persistent Chromium profile at 360 px with notifications allowed and push stubbed. */
export async function launchPhoneProfile(
  baseURL: string,
  push: LocalPushService,
  extra: { geolocation?: { latitude: number; longitude: number; accuracy: number } } = {},
): Promise<PhoneProfile> {
  const dir = mkdtempSync(join(tmpdir(), "eldercare-phone-profile-"));
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--no-first-run"],
    baseURL,
    locale: "zh-CN",
    timezoneId: "Asia/Shanghai",
    viewport: { width: 360, height: 740 },
    hasTouch: true,
    ...(extra.geolocation ? { geolocation: extra.geolocation } : {}),
    permissions: extra.geolocation ? ["geolocation", "notifications"] : ["notifications"],
  });
  context.setDefaultTimeout(15_000);
  const pageErrors: string[] = [];
  context.on("page", (p) => {
    p.on("pageerror", (err) => pageErrors.push(err.message));
    p.on("console", (m) => {
      if (m.type() === "error" && /Content Security Policy/i.test(m.text())) pageErrors.push(m.text());
    });
  });
  await context.addInitScript({ content: "globalThis.__name ??= (fn) => fn;" });
  await stubPush(context, push);
  return {
    context,
    pageErrors,
    close: async () => {
      await context.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * The notifications the app's service worker is showing, read through whichever worker runs now:
 * Chromium stops an idle worker and starts a new one for a push, and a stopped worker's handle is
 * dead, so each reading looks the worker up afresh (no worker running reads as none shown).
 */
async function notificationsIn(context: BrowserContext, origin: string) {
  const sw = context.serviceWorkers().find((w) => w.url().startsWith(origin));
  if (!sw) return [];
  return sw
    .evaluate(() =>
      (self as unknown as { registration: ServiceWorkerRegistration }).registration
        .getNotifications()
        .then((ns) =>
          ns.map((n) => ({ title: n.title, body: n.body, tag: n.tag, url: (n.data as { url: string }).url })),
        ),
    )
    .catch(() => []);
}

/**
 * Hands `message` to the app's service worker as its push service would, and returns the
 * notifications it then shows. Chromium sometimes drops the first push DevTools delivers to a
 * profile's worker (seen in about one run in three on a loaded machine: the worker is running and
 * activated, no window is open, and nothing is shown; delivered again, it is), so a delivery that
 * shows nothing within 5 s is repeated, up to 30 s in all. The notification carries a tag, so a
 * repeat replaces rather than adds: the caller still sees exactly what one push shows.
 */
export async function pushToWorker(
  context: BrowserContext,
  page: Page,
  origin: string,
  message: PushMessage,
): Promise<Awaited<ReturnType<typeof notificationsIn>>> {
  const cdp = await context.newCDPSession(page);
  const registered = new Promise<string>((resolve) => {
    cdp.on("ServiceWorker.workerRegistrationUpdated", (e) => {
      const reg = e.registrations.find((r) => r.scopeURL.startsWith(origin) && !r.isDeleted);
      if (reg) resolve(reg.registrationId);
    });
  });
  await cdp.send("ServiceWorker.enable");
  const registrationId = await registered;
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    await cdp.send("ServiceWorker.deliverPushMessage", {
      origin,
      registrationId,
      data: JSON.stringify(message),
    });
    const repeatAt = Math.min(Date.now() + 5_000, deadline);
    while (Date.now() < repeatAt) {
      const shown = await notificationsIn(context, origin);
      if (shown.length > 0) return shown;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  return [];
}
