// `npm run screenshot`: the README's picture of the console (docs/screenshot-console.png).
// Starts the platform with the demo city and a console built from the current source, brings the
// city alive — responders on duty across it, presses of every kind from simulated devices, phones
// that accept, ride over and arrive — and photographs the dispatcher's map in Chromium.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import pino from "pino";
import { SimDevice } from "../device-sim/device.ts";
import { SimResponder } from "../device-sim/responders.ts";
import type { ResponderSummary } from "../protocol/api.ts";
import type { ServiceKind } from "../protocol/domain.ts";
import { offsetMeters, type LatLng } from "../protocol/geo.ts";
import type { DeviceEventType } from "../protocol/mqtt.ts";
import {
  allOffDuty,
  api,
  login,
  startTestApp,
  TEST_DEVICE_SECRET,
  TEST_PASSWORD,
} from "../tests/helpers/app.ts";
import { mulberry32 } from "../tests/helpers/random.ts";
import { onDutyAt, residentOf, type TestResponder } from "../tests/helpers/scenario.ts";
import { buildConsole, launchChromium, logInToConsole, newContext } from "../tests/e2e/browser.ts";

const OUT = fileURLToPath(new URL("../docs/screenshot-console.png", import.meta.url));
/** The demo city of `npm start`. */
const CITY = { residents: 2000, caregivers: 100, volunteers: 500 };
const quiet = pino({ level: "silent" });
const started = performance.now();
const say = (what: string) => console.log(`[${((performance.now() - started) / 1000).toFixed(1)} s] ${what}`);

/** What the picture shows, one press per community: who is on it, and how far along. */
const PLAN: { type: DeviceEventType; service?: ServiceKind; phone?: { metres: number; speedMps: number } }[] =
  [
    { type: "sos", phone: { metres: 60, speedMps: 30 } }, // at the door
    { type: "fall" },
    { type: "sos", phone: { metres: 900, speedMps: 3 } }, // on the way
    { type: "service_request", service: "meal" },
    { type: "low_battery" },
    { type: "sos", phone: { metres: 1300, speedMps: 4 } }, // on the way
    { type: "service_request", service: "bathing" },
    { type: "sos" },
  ];

async function main(): Promise<void> {
  const consoleDir = mkdtempSync(join(tmpdir(), "eldercare-screenshot-"));
  const devices: SimDevice[] = [];
  const phones: SimResponder[] = [];
  const idle: TestResponder[] = [];
  await buildConsole(consoleDir);
  say("console built");
  const [app, browser] = await Promise.all([startTestApp({ consoleDir, seed: CITY }), launchChromium()]);
  say(`platform on ${app.httpUrl}`);
  try {
    const staff = (await login(app.httpUrl, "dispatcher")).token;
    const random = mulberry32(110);

    // One home per community, from the first devices.
    const homes = new Map<number, { deviceId: string } & LatLng>();
    for (let n = 1; homes.size < PLAN.length && n <= CITY.residents; n++) {
      const deviceId = `BJ-${String(n).padStart(5, "0")}`;
      const home = await residentOf(app, deviceId);
      if (!homes.has(home.communityId))
        homes.set(home.communityId, { deviceId, lat: home.lat, lng: home.lng });
    }
    const spots = [...homes.values()];

    // The phones are caregivers; the responders free around the city are volunteers without first
    // aid, who may take meals and baths but never an SOS: each SOS with a phone near it goes to it.
    const seeded = new Map(
      (await api<ResponderSummary[]>(app.httpUrl, staff, "GET", "/api/responders")).body.map((r) => [
        r.id,
        r,
      ]),
    );
    const summaryOf = async (username: string) =>
      seeded.get((await login(app.httpUrl, username)).user.responderId!);
    const free: string[] = [];
    for (let n = 1; free.length < 60; n++) {
      const username = `volunteer${String(n).padStart(3, "0")}`;
      if (!(await summaryOf(username))?.skills.includes("first_aid")) free.push(username);
    }

    // Responders free on duty across the city, a kilometre or two from those homes.
    await allOffDuty(app);
    for (const [i, username] of free.entries()) {
      const home = spots[i % spots.length]!;
      const metres = 300 + 2000 * random();
      const angle = 2 * Math.PI * random();
      idle.push(
        await onDutyAt(app, username, offsetMeters(home, metres * Math.cos(angle), metres * Math.sin(angle))),
      );
    }

    say(`${idle.length} responders on duty`);
    for (const [i, step] of PLAN.entries()) {
      const home = spots[i % spots.length]!;
      let phone: SimResponder | null = null;
      if (step.phone) {
        // A caregiver's phone near this home: the nearest, so the offer goes to it.
        const angle = 2 * Math.PI * random();
        phone = new SimResponder({
          apiUrl: app.httpUrl,
          username: `caregiver${String(phones.length + 1).padStart(3, "0")}`,
          password: TEST_PASSWORD,
          startAt: offsetMeters(
            home,
            step.phone.metres * Math.cos(angle),
            step.phone.metres * Math.sin(angle),
          ),
          acceptDelayMs: 800,
          speedMps: step.phone.speedMps,
          tickMs: 1000,
          stayMs: 3_600_000,
          logger: quiet,
        });
        await phone.start();
        phones.push(phone);
      }
      const device = new SimDevice({
        brokerUrl: app.mqttUrl,
        deviceId: home.deviceId,
        secret: TEST_DEVICE_SECRET,
        heartbeatSeconds: 0,
        logger: quiet,
      });
      devices.push(device);
      await device.connect();
      const onIt = phone?.becomes(step.phone!.metres < 100 ? "on_scene" : "en_route");
      const pressed = await device.press(step.type, {
        ...(step.service ? { service: step.service } : {}),
        ...(step.type === "low_battery" ? { battery: 12 } : {}),
      });
      say(`${home.deviceId} pressed ${step.service ?? step.type}: case #${pressed.ack.caseId}`);
      if (onIt) {
        await onIt;
        say(`  ${phone!.username} is ${phone!.activity}`);
        // The dispatcher has seen the cases someone is on; only the others still flash.
        await api(app.httpUrl, staff, "POST", `/api/cases/${pressed.ack.caseId}/ack`);
      }
    }

    const context = await newContext(browser, app.httpUrl, { viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    await logInToConsole(page);
    say("console open");
    await page.waitForFunction(
      (n) => document.querySelectorAll("[data-testid^='case-marker-']").length >= n,
      PLAN.length,
    );
    // The responder layer has drawn its clusters and the lines from phones to their cases.
    await page.locator(".leaflet-marker-pane .responder-cluster").first().waitFor();
    await page.locator(".leaflet-overlay-pane path.line-en_route").first().waitFor();
    await page.evaluate(() => document.fonts.ready.then(() => undefined));
    await page.screenshot({ path: OUT });
    console.log(`wrote ${OUT}`);
    await context.close();
  } finally {
    await Promise.all(phones.map((p) => p.stop()));
    for (const r of idle) r.socket.close();
    await Promise.all(devices.map((d) => d.close()));
    await browser.close();
    await app.close();
    rmSync(consoleDir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
