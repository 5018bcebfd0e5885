// What the simulated fleet does in each CLI scenario. Every scenario returns when it is done or
// when the stop signal fires; the CLI then drains outstanding acks and prints the summary.
import type { DeviceAck, DeviceEventType } from "../protocol/mqtt.ts";
import type { ServiceKind } from "../protocol/domain.ts";
import { SERVICE_KINDS } from "../protocol/domain.ts";
import type { Scenario, SimConfig } from "./config.ts";
import type { SimDevice } from "./device.ts";
import type { DeviceFleet } from "./fleet.ts";
import type { Logger } from "./logger.ts";
import { scatter } from "../protocol/geo.ts";
import { COMMUNITIES } from "../prisma/demo-data.ts";
import { ackLine, pressLine } from "./report.ts";

export interface SimContext {
  config: SimConfig;
  fleet: DeviceFleet;
  log: Logger;
  /** Fires when the run should stop (Ctrl-C or --duration). */
  signal: AbortSignal;
  print(line: string): void;
}

/** Acks that end a story: nothing more will come for that eventId. */
const TERMINAL: ReadonlySet<DeviceAck["status"]> = new Set(["closed", "cancelled", "rejected"]);

/** Waits `ms`, or less if the signal fires. Never rejects. */
export function pause(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
  });
}

/** Resolves when the signal fires. */
export function aborted(signal: AbortSignal): Promise<null> {
  if (signal.aborted) return Promise.resolve(null);
  return new Promise((resolve) => signal.addEventListener("abort", () => resolve(null), { once: true }));
}

const pick = <T>(list: readonly T[]): T | undefined => list[Math.floor(Math.random() * list.length)];

/** Mostly sos, some falls, service requests and weekly test presses. */
function randomPress(): { type: DeviceEventType; service?: ServiceKind } {
  const r = Math.random();
  if (r < 0.6) return { type: "sos" };
  if (r < 0.75) return { type: "fall" };
  if (r < 0.9) return { type: "service_request", service: pick(SERVICE_KINDS) ?? "meal" };
  return { type: "test" };
}

/** A connected device with nothing pending, if one is found quickly. */
function idleDevice(devices: readonly SimDevice[]): SimDevice | undefined {
  for (let i = 0; i < 20; i++) {
    const d = pick(devices);
    if (d && d.connected && d.pending() === 0) return d;
  }
  return pick(devices);
}

function press(
  ctx: SimContext,
  device: SimDevice,
  type: DeviceEventType,
  service?: ServiceKind,
  verbose = true,
): Promise<string | null> {
  const pressed = device.press(type, service ? { service } : {});
  if (verbose) ctx.print(`  ${device.deviceId} presses ${type}${service ? ` (${service})` : ""}`);
  return pressed.then(
    (r) => {
      if (verbose) ctx.print(pressLine(device.deviceId, r));
      return r.eventId;
    },
    (err: Error) => {
      ctx.log.debug({ deviceId: device.deviceId, err: err.message }, "press abandoned");
      return null;
    },
  );
}

/** Prints the acks that follow the first one (assigned, arrived, closed …). */
function followAcks(ctx: SimContext): void {
  const answered = new Set<string>();
  for (const d of ctx.fleet.devices) {
    d.on("ack", (ack: DeviceAck) => {
      const key = `${d.deviceId}/${ack.eventId}`;
      if (!answered.has(key)) {
        answered.add(key); // the first ack is printed with its latency by press()
        return;
      }
      ctx.print(ackLine(d.deviceId, ack));
    });
  }
}

/** Random presses at --rate per minute (a Poisson process) from the given devices. */
async function pressAtRate(ctx: SimContext, devices: () => readonly SimDevice[]): Promise<void> {
  const perMinute = ctx.config.rate;
  while (!ctx.signal.aborted) {
    if (perMinute <= 0) {
      await pause(1000, ctx.signal);
      continue;
    }
    await pause(-Math.log(1 - Math.random()) * (60_000 / perMinute), ctx.signal);
    if (ctx.signal.aborted) break;
    const device = idleDevice(devices());
    if (!device) continue;
    const { type, service } = randomPress();
    void press(ctx, device, type, service);
  }
}

function waitForAck(
  device: SimDevice,
  eventId: string,
  signal: AbortSignal,
  accept: (a: DeviceAck) => boolean,
): Promise<void> {
  return new Promise((resolve) => {
    const onAck = (a: DeviceAck) => {
      if (a.eventId === eventId && accept(a)) done();
    };
    const done = () => {
      device.off("ack", onAck);
      signal.removeEventListener("abort", done);
      resolve();
    };
    device.on("ack", onAck);
    signal.addEventListener("abort", done, { once: true });
  });
}

/** One incident per device: a fall, or an sos cancelled 3 s later; follows it to its end. */
async function stories(ctx: SimContext, kind: "fall" | "cancel"): Promise<void> {
  const count = Math.min(ctx.config.count ?? 1, ctx.fleet.devices.length);
  const chosen = [...ctx.fleet.devices].sort(() => Math.random() - 0.5).slice(0, count);
  await Promise.all(
    chosen.map(async (device) => {
      const pressed = press(ctx, device, kind === "fall" ? "fall" : "sos");
      if (kind === "cancel") {
        await pause(3000, ctx.signal);
        if (!ctx.signal.aborted) void press(ctx, device, "cancel");
      }
      const eventId = await Promise.race([pressed, aborted(ctx.signal)]);
      if (eventId) await waitForAck(device, eventId, ctx.signal, (a) => TERMINAL.has(a.status));
    }),
  );
}

/** Connections drop and come back while the fleet keeps pressing. */
async function flaky(ctx: SimContext): Promise<void> {
  const pressing = pressAtRate(ctx, () => ctx.fleet.devices);
  while (!ctx.signal.aborted) {
    await pause(2000, ctx.signal);
    if (ctx.signal.aborted) break;
    const n = Math.max(1, Math.round(ctx.fleet.devices.length * 0.01));
    const victims = new Set<SimDevice>();
    for (let i = 0; i < n; i++) {
      const d = pick(ctx.fleet.devices);
      if (d?.connected) victims.add(d);
    }
    for (const d of victims) d.drop();
    if (victims.size > 0)
      ctx.print(`  dropped ${victims.size} connection(s): ${[...victims].map((d) => d.deviceId).join(" ")}`);
  }
  await pressing;
}

/** Some devices vanish without DISCONNECT (the broker publishes their Last Will); the rest live on. */
async function offline(ctx: SimContext): Promise<void> {
  const all = ctx.fleet.devices;
  const count = Math.min(ctx.config.count ?? Math.max(1, Math.ceil(all.length * 0.05)), all.length);
  const leaving = new Set(all.slice(all.length - count));
  const staying = all.filter((d) => !leaving.has(d));
  const pressing = pressAtRate(ctx, () => staying);
  const gap = (ctx.config.seconds * 1000) / count;
  for (const device of leaving) {
    if (ctx.signal.aborted) break;
    await device.close({ force: true });
    ctx.print(`  ${device.deviceId} went offline (Last Will)`);
    await pause(gap, ctx.signal);
  }
  await pressing;
}

async function burst(ctx: SimContext): Promise<void> {
  const count = ctx.config.count ?? 100;
  ctx.print(`  burst: ${count} presses within ${ctx.config.seconds} s`);
  const results = ctx.fleet.burst(count, ctx.config.seconds * 1000, "sos").catch(() => []);
  await Promise.race([results, aborted(ctx.signal)]);
}

export async function runScenario(ctx: SimContext, scenario: Scenario): Promise<void> {
  if (scenario !== "burst") followAcks(ctx);
  switch (scenario) {
    case "live":
      return pressAtRate(ctx, () => ctx.fleet.devices);
    case "burst":
      return burst(ctx);
    case "fall":
    case "cancel":
      return stories(ctx, scenario);
    case "flaky":
      return flaky(ctx);
    case "offline":
      return offline(ctx);
    case "sensors":
      return sensors(ctx);
  }
}

/** What each simulated device plays in the sensors scenario, in turn. */
const SENSOR_ROLES = ["smoke", "gas", "water_leak", "door", "motion", "pendant"] as const;

/**
 * Home sensors and a GPS pendant: the fleet's devices take the roles in turn (the platform reads
 * each event by its type; a location counts from devices enrolled as pendants or wrist buttons).
 * Motion sensors report every few seconds (a no-motion report now and then); the alarms fire once.
 */
async function sensors(ctx: SimContext): Promise<void> {
  const count = Math.min(ctx.config.count ?? SENSOR_ROLES.length, ctx.fleet.devices.length);
  const cast = [...ctx.fleet.devices].slice(0, count).map((device, i) => ({
    device,
    role: SENSOR_ROLES[i % SENSOR_ROLES.length]!,
  }));
  const town = COMMUNITIES[0]!;
  await Promise.all(
    cast.map(async ({ device, role }) => {
      ctx.print(
        `  ${device.deviceId} plays a ${role === "door" ? "door sensor" : role === "pendant" ? "GPS pendant" : `${role} sensor`}`,
      );
      switch (role) {
        case "smoke":
        case "gas":
        case "water_leak":
          await press(ctx, device, role);
          return;
        case "door":
          await press(ctx, device, "door_open");
          return;
        case "pendant": {
          const fix = scatter(town, 2000);
          const location = {
            ...fix,
            accuracy: 15 + Math.round(Math.random() * 30),
            fixAt: new Date().toISOString(),
          };
          ctx.print(`  ${device.deviceId} falls outdoors at ${fix.lat.toFixed(5)},${fix.lng.toFixed(5)}`);
          await device.press("fall", { location }).then(
            (r) => ctx.print(pressLine(device.deviceId, r)),
            () => undefined,
          );
          return;
        }
        case "motion":
          for (let n = 0; !ctx.signal.aborted; n++) {
            await press(ctx, device, n % 5 === 4 ? "no_motion" : "motion", undefined, false);
            await pause(5000, ctx.signal);
          }
      }
    }),
  );
}
