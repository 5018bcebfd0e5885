// The e2e fixture of one test file: the shared city and Chromium of the run (global-setup.ts),
// fresh browser profiles, call devices and responder phones for each test, and a quiet city again
// after it. Everything goes through the platform's own surface: HTTP, MQTT and Socket.IO.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Browser, BrowserContextOptions, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, beforeEach, inject } from "vitest";
import type { CaseDetail, CaseSummary, Kpi, ResponderSummary } from "../../protocol/api.ts";
import { isActiveStatus } from "../../protocol/domain.ts";
import type { IClientOptions } from "mqtt";
import { api, connectSocket, login, TEST_DEVICE_SECRET, type ClientSocket } from "../helpers/app.ts";
import { connectDevice, onDutyAt, type TestDevice, type TestResponder } from "../helpers/scenario.ts";
import { connectChromium, newContext } from "./browser.ts";

const ARTIFACTS = fileURLToPath(new URL("./artifacts/", import.meta.url));
/** The browser's time zone (see newContext): UTC+8 all year, no daylight saving. */
const SHANGHAI_OFFSET_MS = 8 * 3_600_000;
const DAY_MS = 86_400_000;

export interface OpenPage {
  page: Page;
  /** Uncaught errors in the page, so a test can insist on none. */
  errors: string[];
}

/** Registers the file's hooks; call once at the top of an e2e test file. */
export function e2eFixture() {
  const world = inject("e2e");
  let browser: Browser;
  let staff: string;
  /** Closed after each test, newest first: browser contexts, devices, responder sockets. */
  const cleanups: (() => unknown)[] = [];
  /** The pages of the running test, photographed when it fails. */
  const pages: Page[] = [];
  /** Everyone a test may have put on duty; they go off duty after it. */
  const responders = new Set<string>();
  const tokens = new Map<string, Promise<string>>();
  const tokenOf = (username: string) => {
    let token = tokens.get(username);
    if (!token) {
      token = login(world.httpUrl, username).then((r) => r.token);
      tokens.set(username, token);
    }
    return token;
  };

  beforeAll(async () => {
    browser = await connectChromium(world.browserEndpoint);
    staff = await tokenOf("dispatcher");
  });

  beforeEach(async () => {
    // A city left busy by an earlier test (or file) would change who gets offered what.
    const open = await api<CaseSummary[]>(world.httpUrl, staff, "GET", "/api/cases");
    const onDuty = (
      await api<ResponderSummary[]>(world.httpUrl, staff, "GET", "/api/responders")
    ).body.filter((r) => r.onDuty);
    if (open.body.length > 0 || onDuty.length > 0) {
      throw new Error(
        `the city is not quiet: cases ${open.body.map((c) => c.id).join(",")}, on duty ${onDuty.map((r) => r.name).join(",")}`,
      );
    }
  });

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
    await quiet();
  });

  afterAll(async () => {
    await browser?.close();
  });

  /** Off duty for everyone the test used; what is in progress is cancelled; every open case closed. */
  async function quiet(): Promise<void> {
    for (const username of responders) {
      await api(world.httpUrl, await tokenOf(username), "POST", "/api/responder/duty", { onDuty: false });
    }
    const open = await api<CaseSummary[]>(world.httpUrl, staff, "GET", "/api/cases");
    for (const c of open.body) {
      if (isActiveStatus(c.status)) {
        await api(world.httpUrl, staff, "POST", `/api/cases/${c.id}/cancel`, { reason: "test cleanup" });
      }
      await api(world.httpUrl, staff, "POST", `/api/cases/${c.id}/follow-up`, { outcome: "reached_ok" });
    }
  }

  /** A fresh browser profile (no session, no language choice) on the platform. */
  async function openPage(opts: BrowserContextOptions = {}): Promise<OpenPage> {
    const context = await newContext(browser, world.httpUrl, opts);
    cleanups.push(() => context.close());
    context.setDefaultTimeout(15_000);
    const page = await context.newPage();
    pages.push(page);
    const errors: string[] = [];
    page.on("pageerror", (err) => errors.push(err.message));
    // The Content Security Policy must fit the console: any violation fails the test like an error.
    page.on("console", (m) => {
      if (m.type() === "error" && /Content Security Policy/i.test(m.text())) errors.push(m.text());
    });
    return { page, errors };
  }

  return {
    world,
    openPage,

    /** A phone-sized browser for `username`, whose position is `at`; the test logs it in. */
    phone(
      username: string,
      at: { lat: number; lng: number },
      opts: BrowserContextOptions = {},
    ): Promise<OpenPage> {
      responders.add(username);
      return openPage({
        viewport: { width: 390, height: 844 },
        hasTouch: true,
        geolocation: { latitude: at.lat, longitude: at.lng, accuracy: 15 },
        permissions: ["geolocation"],
        ...opts,
      });
    },

    /** A staff Socket.IO connection: what every console hears. */
    async staffSocket(): Promise<ClientSocket> {
      const socket = await connectSocket(world.httpUrl, staff);
      cleanups.push(() => socket.close());
      return socket;
    },

    /** A call device of the demo city (or one enrolled with `secret`), connected over MQTT. */
    async device(
      id: string,
      options: Pick<IClientOptions, "will"> = {},
      secret = TEST_DEVICE_SECRET,
    ): Promise<TestDevice> {
      const d = await connectDevice(world, id, secret, options);
      cleanups.push(() => d.close());
      return d;
    },

    /** A responder logged in over HTTP with a live socket, on duty at `at`. */
    async responderAt(username: string, at: { lat: number; lng: number }): Promise<TestResponder> {
      responders.add(username);
      const r = await onDutyAt(world, username, at);
      cleanups.push(() => r.socket.close());
      return r;
    },

    /** Presses and waits for the platform's "received" ack, which carries the case id. */
    async press(d: TestDevice, eventId: string, type = "sos"): Promise<number> {
      await d.press(eventId, type);
      const ack = await d.ack((a) => a.eventId === eventId && a.status === "received");
      return ack.caseId!;
    },

    /** Where the resident of this device lives. */
    home(deviceId: string): { lat: number; lng: number; communityId: number } {
      const home = world.homes[deviceId];
      if (!home) throw new Error(`no device ${deviceId} in the e2e city`);
      return home;
    },

    /** Today's KPIs as staff read them: the console's default range, this day in Asia/Shanghai. */
    async kpis(): Promise<Kpi> {
      const from = Math.floor((Date.now() + SHANGHAI_OFFSET_MS) / DAY_MS) * DAY_MS - SHANGHAI_OFFSET_MS;
      const query = new URLSearchParams({
        from: new Date(from).toISOString(),
        to: new Date(from + DAY_MS).toISOString(),
      });
      return (await api<Kpi>(world.httpUrl, staff, "GET", `/api/kpis?${query.toString()}`)).body;
    },

    /** A staff action on a case over the API (cancel, follow-up…), as another console would. */
    async staffAction(id: number, action: string, body: object): Promise<CaseSummary> {
      const res = await api<CaseSummary>(world.httpUrl, staff, "POST", `/api/cases/${id}/${action}`, body);
      if (res.status !== 200) throw new Error(`POST /api/cases/${id}/${action}: ${res.status}`);
      return res.body;
    },

    /** The case as staff read it. */
    async caseDetail(id: number): Promise<CaseDetail> {
      const res = await api<CaseDetail>(world.httpUrl, staff, "GET", `/api/cases/${id}`);
      if (res.status !== 200) throw new Error(`GET /api/cases/${id}: ${res.status}`);
      return res.body;
    },
  };
}

export const text = async (page: Page, testId: string) =>
  (await page.getByTestId(testId).textContent()) ?? "";
export const pathOf = (page: Page) => new URL(page.url()).pathname;
