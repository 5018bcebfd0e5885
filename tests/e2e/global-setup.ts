// Once per e2e run: build the console from the current source, start the real platform serving
// it, and launch one Chromium. The test files (one per persona, run one after the other) reach
// them over HTTP, MQTT, Socket.IO and Playwright's WebSocket, and share this one city.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { BrowserServer } from "playwright-core";
import type { TestProject } from "vitest/node";
import { allOffDuty, startTestApp, type TestApp } from "../helpers/app.ts";
import { buildConsole, launchChromiumServer } from "./browser.ts";

/** Short, so a test can wait for the engine's "nobody accepted" escalation (it waits on the event). */
export const E2E_ESCALATION_SECONDS = 8;

/**
 * The city's settings: phones may subscribe to the test's local push service, and a phone silent
 * for a few seconds is unreachable, so the presence test waits seconds, not minutes. Phones with
 * a live socket are reachable however short the window is. Nobody accepting escalates after a few
 * seconds (the shift test waits for that alert).
 */
export const E2E_ENV = {
  PUSH_ENDPOINT_ORIGINS: "http://127.0.0.1:*",
  RESPONDER_PRESENCE_SECONDS: "5",
  DUTY_DESK_PHONE: "0917-3261110",
  ESCALATION_SECONDS: String(E2E_ESCALATION_SECONDS),
};

/** What every e2e test file gets (`inject("e2e")`). */
export interface E2eWorld {
  httpUrl: string;
  mqttUrl: string;
  /** Playwright's endpoint of the shared Chromium. */
  browserEndpoint: string;
  /** Where each device's resident lives, so a test can put a responder near a home before a press. */
  homes: Record<string, { lat: number; lng: number; communityId: number }>;
  /** The city's SQLite file, which a test may lock to make storage fail as a disk or a lock would. */
  dbFile: string;
}

declare module "vitest" {
  export interface ProvidedContext {
    e2e: E2eWorld;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const consoleDir = mkdtempSync(join(tmpdir(), "eldercare-console-"));
  let app: TestApp | undefined;
  let chromium: BrowserServer | undefined;
  const teardown = async () => {
    await chromium?.close();
    await app?.close();
    rmSync(consoleDir, { recursive: true, force: true });
  };
  try {
    await buildConsole(consoleDir);
    const [started, launched] = await Promise.allSettled([
      // A case nobody could take waits for staff instead of being retried behind the test's back.
      // The city has the demo's 2,000 homes (device search finds BJ-01500).
      startTestApp({ consoleDir, env: E2E_ENV, seed: { residents: 2000, caregivers: 30, volunteers: 60 } }),
      launchChromiumServer(),
    ]);
    // Keep whichever started, so the teardown stops it even when the other failed.
    if (started.status === "fulfilled") app = started.value;
    if (launched.status === "fulfilled") chromium = launched.value;
    if (started.status === "rejected") throw started.reason;
    if (launched.status === "rejected") throw launched.reason;
    const city = app!;
    // The seed puts some responders on duty; the tests decide who is on duty, and where.
    await allOffDuty(city);
    const homes: E2eWorld["homes"] = {};
    const rows = await city.db.all<{ id: string; lat: number; lng: number; communityId: number }>(
      `SELECT d.id, r.lat, r.lng, r."communityId" FROM "Device" d JOIN "Resident" r ON r.id = d."residentId"`,
    );
    for (const { id, lat, lng, communityId } of rows) homes[id] = { lat, lng, communityId };
    project.provide("e2e", {
      httpUrl: city.httpUrl,
      mqttUrl: city.mqttUrl,
      browserEndpoint: chromium!.wsEndpoint(),
      homes,
      dbFile: city.dbFile,
    });
  } catch (err) {
    await teardown();
    throw err;
  }
  return teardown;
}
