// Browser-side building blocks shared by the e2e tests, the console benchmark and the README
// screenshot: build the console from the current source and drive Debian's Chromium against the
// real platform.
import { fileURLToPath } from "node:url";
import {
  chromium,
  type Browser,
  type BrowserContext,
  type BrowserContextOptions,
  type BrowserServer,
  type Page,
} from "playwright-core";
import { TEST_PASSWORD } from "../helpers/app.ts";

const CONSOLE_CONFIG = fileURLToPath(new URL("../../console/vite.config.ts", import.meta.url));

/**
 * Builds the console SPA into `outDir` with Vite's JS API, so the browser always runs the
 * current source rather than a stale console/dist.
 */
export async function buildConsole(outDir: string): Promise<void> {
  const { build } = await import("vite");
  // Vitest sets NODE_ENV=test, and Vite only makes a production bundle (React's production
  // build, the service worker) when NODE_ENV says so.
  const previous = process.env.NODE_ENV;
  process.env.NODE_ENV = "production";
  try {
    await build({
      configFile: CONSOLE_CONFIG,
      mode: "production",
      build: { outDir, emptyOutDir: true },
      logLevel: "warn",
    });
  } finally {
    if (previous === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = previous;
  }
}

const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  // Map tiles come from the internet, which these machines cannot reach: fail those lookups at
  // once instead of waiting on DNS. The platform itself listens on 127.0.0.1.
  "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost",
];

const LAUNCH = { executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium", args: CHROMIUM_ARGS };

export function launchChromium(): Promise<Browser> {
  return chromium.launch(LAUNCH);
}

/** One Chromium that several test processes share: each connects to its `wsEndpoint()`. */
export function launchChromiumServer(): Promise<BrowserServer> {
  return chromium.launchServer(LAUNCH);
}

export function connectChromium(wsEndpoint: string): Promise<Browser> {
  return chromium.connect(wsEndpoint);
}

/** A fresh profile (no session, no language choice) pointed at the platform. */
export async function newContext(
  browser: Browser,
  baseURL: string,
  opts: BrowserContextOptions = {},
): Promise<BrowserContext> {
  const context = await browser.newContext({
    baseURL,
    locale: "zh-CN",
    timezoneId: "Asia/Shanghai",
    viewport: { width: 1440, height: 900 },
    ...opts,
  });
  // Functions handed to page.evaluate() are serialised from our source; when it was compiled
  // with esbuild's keepNames (tsx) they call a `__name` helper that the page does not have.
  await context.addInitScript({ content: "globalThis.__name ??= (fn) => fn;" });
  return context;
}

/** Fills the login form and submits it; does not wait for the next page. */
export async function submitLogin(page: Page, username: string, password = TEST_PASSWORD): Promise<void> {
  await page.goto("/login");
  await page.getByTestId("login-username").fill(username);
  await page.getByTestId("login-password").fill(password);
  await page.getByTestId("login-submit").click();
}

/** Logs a staff member in and waits until the console has its snapshot and live socket. */
export async function logInToConsole(page: Page, username = "dispatcher", password = TEST_PASSWORD) {
  await submitLogin(page, username, password);
  await page.getByTestId("current-user").waitFor();
  await page.locator('[data-testid="connection"][data-state="connected"]').waitFor();
}

/**
 * Records, in the page, the wall-clock time each case row and case marker first appeared
 * (keyed by data-testid), so latencies are measured where the dispatcher sees them rather than
 * through the test driver's polling.
 */
export async function recordFirstSeen(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { __firstSeen?: Record<string, number> };
    if (w.__firstSeen) return;
    const seen: Record<string, number> = {};
    w.__firstSeen = seen;
    const selector = "[data-testid^='case-row-'], [data-testid^='case-marker-']";
    const note = (el: Element, now: number) => {
      const id = el.getAttribute("data-testid");
      if (id !== null && seen[id] === undefined && el.matches(selector)) seen[id] = now;
    };
    // Only what was added or relabelled is looked at: cheap even with a thousand markers moving.
    const onMutations = (records: MutationRecord[]) => {
      const now = Date.now();
      for (const r of records) {
        if (r.type === "attributes" && r.target instanceof Element) note(r.target, now);
        for (const n of r.addedNodes) {
          if (!(n instanceof Element)) continue;
          note(n, now);
          for (const el of n.querySelectorAll(selector)) note(el, now);
        }
      }
    };
    new MutationObserver(onMutations).observe(document.body, {
      subtree: true,
      childList: true,
      attributes: true,
      attributeFilter: ["data-testid"],
    });
    const now = Date.now();
    for (const el of document.querySelectorAll(selector)) note(el, now);
  });
}

export function firstSeen(page: Page, testId: string): Promise<number | null> {
  return page.evaluate(
    (id) => (window as unknown as { __firstSeen?: Record<string, number> }).__firstSeen?.[id] ?? null,
    testId,
  );
}
