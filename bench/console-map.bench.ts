// Does the console map stay responsive with a whole city on it? 2,000 residents, ~600 responders
// on duty and moving (phones posting their positions over REST at a steady rate), 200 open cases
// from real MQTT presses. Measured in real Chromium, in the page: frame times (requestAnimationFrame)
// and long tasks, plus press → queue row / map marker latency for fresh presses. The peer is the
// same page in the same run with nobody moving. Prints figures and ratios (and writes them to
// bench/results/console-map.json); asserts nothing.
// Run: npx tsx bench/console-map.bench.ts   (BENCH_RATE=100 BENCH_SECONDS=10 BENCH_OPEN_CASES=200)
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { format, resolveConfig } from "prettier";
import type { Page } from "playwright-core";
import { DeviceFleet, deviceIds } from "../device-sim/fleet.ts";
import type { CaseSummary, DeviceEventType, ResponderSummary, ServiceKind } from "../protocol/index.ts";
import { offsetMeters } from "../protocol/geo.ts";
import {
  allOffDuty,
  api,
  login,
  startTestApp,
  TEST_DEVICE_SECRET,
  type TestApp,
} from "../tests/helpers/app.ts";
import {
  buildConsole,
  firstSeen,
  launchChromium,
  logInToConsole,
  newContext,
  recordFirstSeen,
} from "../tests/e2e/browser.ts";

const RESULTS = fileURLToPath(new URL("./results/console-map.json", import.meta.url));
const envNumber = (name: string, fallback: number) => {
  const v = Number(process.env[name]);
  return Number.isFinite(v) && v > 0 ? v : fallback;
};
const RESIDENTS = 2000;
const CAREGIVERS = 100;
const VOLUNTEERS = 500;
const OPEN_CASES = envNumber("BENCH_OPEN_CASES", 200);
/** Location updates per second across all moving responders. */
const RATE = envNumber("BENCH_RATE", 100);
const SECONDS = envNumber("BENCH_SECONDS", 10);
/** Fresh presses per phase whose way to the screen is timed. */
const PROBES = 8;
/** A responder on an e-bike covers about this much between two fixes at 100 updates/s (6 s). */
const SPEED_MPS = 4;
/** Positions stay inside the demo city. */
const CITY = { south: 34.33, north: 34.4, west: 107.11, east: 107.28 };

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const quantile = (sorted: number[], q: number) =>
  sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
const median = (xs: number[]) =>
  quantile(
    [...xs].sort((a, b) => a - b),
    0.5,
  );

async function pool<T>(items: T[], concurrency: number, fn: (item: T, i: number) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) {
        const i = next++;
        await fn(items[i]!, i);
      }
    }),
  );
}

interface Walker {
  token: string;
  lat: number;
  lng: number;
  heading: number;
}

/** Moves responders one step each, round-robin, `rate` REST location updates per second. */
function startMoving(app: TestApp, walkers: Walker[], rate: number) {
  const stats = { sent: 0, ok: 0, failed: 0, skipped: 0, latencies: [] as number[] };
  if (rate <= 0) return { stats, stop: () => Promise.resolve(stats) };
  const stepMetres = SPEED_MPS * (walkers.length / rate);
  const started = performance.now();
  let cursor = 0;
  let inFlight = 0;
  const flights = new Set<Promise<void>>();
  const timer = setInterval(() => {
    const due = Math.floor(((performance.now() - started) / 1000) * rate) - stats.sent - stats.skipped;
    for (let i = 0; i < due; i++) {
      // A platform that cannot keep up shows as skipped updates, not as an ever-growing queue.
      if (inFlight >= 64) {
        stats.skipped++;
        continue;
      }
      const w = walkers[cursor++ % walkers.length]!;
      w.heading += (Math.random() - 0.5) * 0.8;
      Object.assign(w, offsetMeters(w, stepMetres * Math.cos(w.heading), stepMetres * Math.sin(w.heading)));
      if (w.lat < CITY.south || w.lat > CITY.north || w.lng < CITY.west || w.lng > CITY.east) {
        w.heading += Math.PI; // turn back into the city
        w.lat = Math.min(CITY.north, Math.max(CITY.south, w.lat));
        w.lng = Math.min(CITY.east, Math.max(CITY.west, w.lng));
      }
      stats.sent++;
      inFlight++;
      const t0 = performance.now();
      const flight = api(app.httpUrl, w.token, "POST", "/api/responder/location", { lat: w.lat, lng: w.lng })
        .then((r) => {
          if (r.status === 204) stats.ok++;
          else stats.failed++;
          stats.latencies.push(performance.now() - t0);
        })
        .catch(() => void stats.failed++)
        .finally(() => {
          inFlight--;
          flights.delete(flight);
        });
      flights.add(flight);
    }
  }, 10);
  return {
    stats,
    stop: async () => {
      clearInterval(timer);
      await Promise.all([...flights]);
      return stats;
    },
  };
}

/** Frame deltas (rAF) and long tasks, collected in the page for `ms`. */
function measureFrames(page: Page, ms: number) {
  return page.evaluate(async (duration) => {
    const frames: number[] = [];
    const longTasks: number[] = [];
    const observer = new PerformanceObserver((list) => {
      for (const e of list.getEntries()) longTasks.push(e.duration);
    });
    observer.observe({ type: "longtask" });
    await new Promise<void>((resolve) => {
      let last = 0;
      let end = 0;
      const tick = (now: number) => {
        frames.push(now - last);
        last = now;
        if (now < end) requestAnimationFrame(tick);
        else resolve();
      };
      requestAnimationFrame((now) => {
        last = now;
        end = now + duration;
        requestAnimationFrame(tick);
      });
    });
    observer.disconnect();
    const memory = (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory;
    return {
      frames,
      longTasks,
      heapMb: memory ? memory.usedJSHeapSize / 1048576 : NaN,
      markers: document.querySelectorAll(".leaflet-marker-icon").length,
    };
  }, ms);
}

interface PhaseResult {
  phase: string;
  rate: number;
  fps: number;
  frameMedian: number;
  frameP95: number;
  frameMax: number;
  slowPct: number;
  longTasks: number;
  longTaskMs: number;
  rowMedian: number;
  rowMax: number;
  markerMedian: number;
  sent: number;
  achievedRate: number;
  restMedian: number;
  platformCpuPct: number;
  skipped: number;
  heapMb: number;
  markers: number;
}

async function main() {
  const setupStarted = performance.now();
  const consoleDir = mkdtempSync(join(tmpdir(), "eldercare-bench-console-"));
  await buildConsole(consoleDir);
  const [app, browser] = await Promise.all([
    startTestApp({
      consoleDir,
      seed: { residents: RESIDENTS, caregivers: CAREGIVERS, volunteers: VOLUNTEERS },
      // The scene holds still between phases: no retries, no expiring offers, no escalations.
      policy: { offerTimeoutMs: 3_600_000, escalationMs: 3_600_000 },
    }),
    launchChromium(),
  ]);
  const staff = (await login(app.httpUrl, "dispatcher")).token;
  const phases = [
    { phase: "idle (nobody moves)", rate: 0 },
    { phase: `moving, ${RATE} updates/s`, rate: RATE },
    { phase: `moving, ${RATE * 3} updates/s`, rate: RATE * 3 },
  ];

  // 1. The open cases: real presses with nobody on duty, so they all stay open and unassigned.
  await allOffDuty(app);
  const fleet = new DeviceFleet({
    brokerUrl: app.mqttUrl,
    deviceIds: [
      ...deviceIds(OPEN_CASES),
      ...deviceIds(PROBES * phases.length, RESIDENTS - PROBES * phases.length + 1),
    ],
    secret: TEST_DEVICE_SECRET,
    heartbeatSeconds: 0,
  });
  await fleet.connect();
  const kinds: [DeviceEventType, ServiceKind?][] = [
    ["sos"],
    ["fall"],
    ["sos"],
    ["service_request", "meal"],
    ["sos"],
    ["service_request", "bathing"],
  ];
  const opened = await Promise.all(
    fleet.devices.slice(0, OPEN_CASES).map((d, i) => {
      const [type, service] = kinds[i % kinds.length]!;
      return d.press(type, service ? { service } : {});
    }),
  );
  // A desk with 200 open cases has acknowledged them; only the fresh presses flash.
  await pool(opened, 8, async (r) => {
    await api(app.httpUrl, staff, "POST", `/api/cases/${r.ack.caseId}/ack`);
  });

  // 2. Every caregiver and volunteer logs in on a phone, goes on duty near one of those homes.
  const homes = (await api<CaseSummary[]>(app.httpUrl, staff, "GET", "/api/cases")).body;
  const usernames = [
    ...Array.from({ length: CAREGIVERS }, (_, i) => `caregiver${String(i + 1).padStart(3, "0")}`),
    ...Array.from({ length: VOLUNTEERS }, (_, i) => `volunteer${String(i + 1).padStart(3, "0")}`),
  ];
  const walkers: Walker[] = [];
  await pool(usernames, 8, async (username, i) => {
    const { token } = await login(app.httpUrl, username);
    const home = homes[(i * 7919) % homes.length]!;
    const w: Walker = {
      token,
      lat: home.lat + (Math.random() - 0.5) * 0.01,
      lng: home.lng + (Math.random() - 0.5) * 0.012,
      heading: Math.random() * 2 * Math.PI,
    };
    await api(app.httpUrl, token, "POST", "/api/responder/duty", { onDuty: true });
    await api(app.httpUrl, token, "POST", "/api/responder/location", { lat: w.lat, lng: w.lng });
    walkers.push(w);
  });
  const onDuty = (await api<ResponderSummary[]>(app.httpUrl, staff, "GET", "/api/responders")).body.filter(
    (r) => r.onDuty,
  ).length;

  // 3. The dispatcher's console, map view, 1440×900.
  const context = await newContext(browser, app.httpUrl);
  const page = await context.newPage();
  await logInToConsole(page);
  await page.waitForFunction(
    (n) => document.querySelectorAll("[data-testid^='case-marker-']").length >= n,
    OPEN_CASES,
    { timeout: 60_000 },
  );
  await recordFirstSeen(page);
  const setupSeconds = (performance.now() - setupStarted) / 1000;

  // 4. The phases, each: warm up, then measure frames while fresh presses arrive.
  const results: PhaseResult[] = [];
  let probe = OPEN_CASES;
  for (const { phase, rate } of phases) {
    const phaseStarted = performance.now();
    const cpuBefore = process.cpuUsage();
    const mover = startMoving(app, walkers, rate);
    await sleep(1500);
    const frames = measureFrames(page, SECONDS * 1000);
    const rows: number[] = [];
    const markers: number[] = [];
    const probeCases: number[] = [];
    for (let i = 0; i < PROBES; i++) {
      await sleep((SECONDS * 1000) / (PROBES + 1));
      const device = fleet.devices[probe++]!;
      const t0 = Date.now();
      const pressed = await device.press("sos");
      const id = pressed.ack.caseId!;
      probeCases.push(id);
      await page.getByTestId(`case-row-${id}`).waitFor({ timeout: 30_000 });
      await page.getByTestId(`case-marker-${id}`).waitFor({ timeout: 30_000 });
      rows.push((await firstSeen(page, `case-row-${id}`))! - t0);
      markers.push((await firstSeen(page, `case-marker-${id}`))! - t0);
    }
    const f = await frames;
    const moved = await mover.stop();
    const phaseSeconds = (performance.now() - phaseStarted) / 1000;
    const cpu = process.cpuUsage(cpuBefore);
    const sorted = [...f.frames].sort((a, b) => a - b);
    results.push({
      phase,
      rate,
      fps: f.frames.length / SECONDS,
      frameMedian: quantile(sorted, 0.5),
      frameP95: quantile(sorted, 0.95),
      frameMax: sorted[sorted.length - 1] ?? NaN,
      slowPct: (100 * sorted.filter((d) => d > 50).length) / Math.max(1, sorted.length),
      longTasks: f.longTasks.length,
      longTaskMs: f.longTasks.reduce((a, b) => a + b, 0),
      rowMedian: median(rows),
      rowMax: Math.max(...rows),
      markerMedian: median(markers),
      sent: moved.sent,
      achievedRate: moved.ok / phaseSeconds,
      platformCpuPct: (100 * (cpu.user + cpu.system)) / 1e6 / phaseSeconds,
      restMedian: median(moved.latencies),
      skipped: moved.skipped,
      heapMb: f.heapMb,
      markers: f.markers,
    });
    // The fresh cases are acknowledged so that only the next phase's presses flash.
    for (const id of probeCases) await api(app.httpUrl, staff, "POST", `/api/cases/${id}/ack`);
    await sleep(500);
  }

  // 5. Report.
  const fmt = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : "—");
  console.log(
    `\nConsole map, 1440×900, headless Chromium ${browser.version()} (software rendering), ${SECONDS} s per phase`,
  );
  console.log(
    `city: ${RESIDENTS} residents, ${onDuty} responders on duty, ${OPEN_CASES} open cases (+${PROBES} fresh presses per phase); setup ${fmt(setupSeconds)} s\n`,
  );
  const table = [
    [
      "phase",
      "fps",
      "frame median ms",
      "p95 ms",
      "max ms",
      "> 50 ms",
      "long tasks (total ms)",
      "press→row median / max ms",
      "press→marker median ms",
      "updates/s done (REST median ms)",
      "platform CPU",
      "markers in DOM",
      "JS heap MB",
    ],
    ...results.map((r) => [
      r.phase,
      fmt(r.fps),
      fmt(r.frameMedian),
      fmt(r.frameP95),
      fmt(r.frameMax, 0),
      `${fmt(r.slowPct)} %`,
      `${r.longTasks} (${fmt(r.longTaskMs, 0)})`,
      `${fmt(r.rowMedian, 0)} / ${fmt(r.rowMax, 0)}`,
      fmt(r.markerMedian, 0),
      r.rate === 0
        ? "—"
        : `${fmt(r.achievedRate, 0)}${r.skipped ? `, ${r.skipped} skipped` : ""} (${fmt(r.restMedian)})`,
      `${fmt(r.platformCpuPct, 0)} %`,
      String(r.markers),
      fmt(r.heapMb),
    ]),
  ];
  const widths = table[0]!.map((_, c) => Math.max(...table.map((row) => [...row[c]!].length)));
  for (const [i, row] of table.entries()) {
    console.log(row.map((cell, c) => cell.padEnd(widths[c]!)).join("  "));
    if (i === 0) console.log(widths.map((w) => "-".repeat(w)).join("  "));
  }
  const idle = results[0]!;
  const ratio = (a: number, b: number) =>
    Number.isFinite(a) && Number.isFinite(b) && b > 0 ? `${(a / b).toFixed(2)}×` : "—";
  console.log(
    "\nplatform CPU: this process (dispatcher, broker, SQLite and the simulated phones), % of one core;" +
      " the browser competes with it for the same cores.",
  );
  console.log("\nagainst the idle peer:");
  for (const r of results.slice(1)) {
    console.log(
      `  ${r.phase}: frame median ${ratio(r.frameMedian, idle.frameMedian)}, p95 ${ratio(r.frameP95, idle.frameP95)}, ` +
        `fps ${ratio(r.fps, idle.fps)}, press→row median ${ratio(r.rowMedian, idle.rowMedian)}, ` +
        `long-task time ${idle.longTaskMs > 0 ? ratio(r.longTaskMs, idle.longTaskMs) : `${fmt(r.longTaskMs, 0)} ms vs 0`}`,
    );
  }

  const against = (r: PhaseResult) => {
    const x = (a: number, b: number) => (Number.isFinite(a) && Number.isFinite(b) && b > 0 ? a / b : null);
    return {
      phase: r.phase,
      frameMedian: x(r.frameMedian, idle.frameMedian),
      frameP95: x(r.frameP95, idle.frameP95),
      fps: x(r.fps, idle.fps),
      pressToRowMedian: x(r.rowMedian, idle.rowMedian),
      longTaskMs: x(r.longTaskMs, idle.longTaskMs),
    };
  };
  const report = {
    bench: "console-map",
    at: new Date().toISOString(),
    chromium: browser.version(),
    city: { residents: RESIDENTS, onDuty, openCases: OPEN_CASES, probesPerPhase: PROBES },
    secondsPerPhase: SECONDS,
    setupSeconds,
    phases: results,
    againstIdle: results.slice(1).map(against),
  };
  mkdirSync(dirname(RESULTS), { recursive: true });
  const prettier = { ...(await resolveConfig(RESULTS)), parser: "json" };
  writeFileSync(RESULTS, await format(JSON.stringify(report), prettier));
  console.log(`\nwrote ${RESULTS}`);

  await context.close();
  await browser.close();
  await fleet.close();
  await app.close();
  rmSync(consoleDir, { recursive: true, force: true });
}

await main();
