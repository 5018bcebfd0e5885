// Device & responder simulator: brings the demo city alive.
//
//   npm run sim                                   200 devices, 20 phones, ~1 press a minute
//   npm run sim -- --scenario burst --count 500 --seconds 5
//   npm run sim -- --scenario fall                one fall, followed until the case closes
//   npm run sim -- --scenario cancel              sos, then cancelled 3 s later
//   npm run sim -- --scenario flaky --rate 60     connections drop while pressing
//   npm run sim -- --scenario offline --count 10  devices vanish (Last Will)
//   npm run sim -- --scenario sensors --count 6   smoke, gas, water, door, motion, a GPS pendant outdoors
//   npm run sim -- --help                         every option
//
// Prints a live line every 5 s and a summary table at the end (Ctrl-C, --duration, or when the
// scenario is done). Exit code 0 when every press was acknowledged, 1 when any was lost.
import pino from "pino";
import { ConfigError, loadConfig, USAGE, type SimConfig } from "./config.ts";
import { DeviceFleet, deviceIds } from "./fleet.ts";
import type { Logger } from "./logger.ts";
import { liveLine, summaryTable } from "./report.ts";
import { SimResponder } from "./responders.ts";
import { ApiClient } from "./api-client.ts";
import { startLocalPushService, type LocalPushService } from "./push-receiver.ts";
import { PushKeySchema } from "../protocol/api.ts";
import { aborted, pause, runScenario } from "./scenarios.ts";

const print = (line: string) => process.stdout.write(`${line}\n`);

function responderNames(n: number): string[] {
  const caregivers = Math.ceil(n / 2);
  const pad = (i: number) => String(i).padStart(3, "0");
  return [
    ...Array.from({ length: caregivers }, (_, i) => `caregiver${pad(i + 1)}`),
    ...Array.from({ length: n - caregivers }, (_, i) => `volunteer${pad(i + 1)}`),
  ];
}

/**
 * The phones' push service, checking pushes against the platform's VAPID key. The platform sends
 * to it only if PUSH_ENDPOINT_ORIGINS allows http://127.0.0.1:*; otherwise phones use the socket.
 */
async function startPushService(config: SimConfig, username: string): Promise<LocalPushService | null> {
  const client = new ApiClient(config.api);
  try {
    await client.login(username, config.password);
    const { publicKey } = PushKeySchema.parse(await client.call("GET", "/api/responder/push"));
    return await startLocalPushService(() => publicKey);
  } catch (err) {
    print(`  no push service for the phones (${(err as Error).message}); they use their sockets only`);
    return null;
  } finally {
    await client.call("POST", "/api/auth/logout").catch(() => undefined);
  }
}

async function startResponders(
  config: SimConfig,
  log: Logger,
): Promise<{ phones: SimResponder[]; push: LocalPushService | null }> {
  const names = responderNames(config.responders);
  const push = names[0] ? await startPushService(config, names[0]) : null;
  const phones = names.map(
    (username) =>
      new SimResponder({
        apiUrl: config.api,
        username,
        password: config.password,
        speedMps: config.speed,
        acceptDelayMs: config.acceptDelay,
        logger: log,
        ...(push ? { push } : {}),
      }),
  );
  const started = await Promise.allSettled(phones.map((p) => p.start()));
  const failed = started.flatMap((s) =>
    s.status === "rejected" ? [String((s.reason as Error)?.message ?? s.reason)] : [],
  );
  if (failed.length > 0)
    print(`  ${failed.length} of ${phones.length} responder phones could not start: ${failed[0]}`);
  return { phones: phones.filter((_, i) => started[i]?.status === "fulfilled"), push };
}

async function main(): Promise<number> {
  let config: SimConfig;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      return 2;
    }
    throw err;
  }
  if (config.help) {
    print(USAGE);
    return 0;
  }
  const log = pino({ level: config.logLevel, base: { component: "device-sim" } }, pino.destination(2));
  const stop = new AbortController();
  const hurry = new AbortController();
  process.on("SIGINT", () => {
    if (stop.signal.aborted) {
      print("  second Ctrl-C: not waiting for outstanding acks");
      hurry.abort();
      return;
    }
    print("  stopping… (Ctrl-C again to skip waiting for outstanding acks)");
    stop.abort();
  });
  process.on("SIGTERM", () => {
    stop.abort();
    hurry.abort();
  });

  const started = Date.now();
  const elapsed = () => (Date.now() - started) / 1000;
  if (config.duration !== undefined) setTimeout(() => stop.abort(), config.duration * 1000).unref();

  print(
    `device-sim: scenario ${config.scenario}, ${config.devices} devices on ${config.broker}, ${config.responders} phones on ${config.api}`,
  );
  const fleet = new DeviceFleet({
    brokerUrl: config.broker,
    deviceIds: deviceIds(config.devices, config.from),
    secret: config.secret,
    heartbeatSeconds: config.heartbeat,
    connectTimeoutMs: 15_000,
    logger: log,
  });
  const connecting = fleet.connect().catch((err: Error) => print(`  ${err.message}`));
  await Promise.race([connecting, aborted(stop.signal)]);
  print(`  ${fleet.online()}/${config.devices} devices connected in ${elapsed().toFixed(1)} s`);

  let responders: SimResponder[] = [];
  let push: LocalPushService | null = null;
  if (!stop.signal.aborted && config.responders > 0) {
    ({ phones: responders, push } = await startResponders(config, log));
    print(`  ${responders.length} responder phones on duty`);
  }

  const ticker = setInterval(() => {
    print(liveLine(elapsed(), fleet.online(), config.devices, fleet.summary(), responders));
  }, 5000);
  if (!stop.signal.aborted && fleet.online() > 0) {
    await runScenario({ config, fleet, log, signal: stop.signal, print }, config.scenario);
  }
  stop.abort();

  // Give outstanding presses a chance to be acknowledged before counting them as lost.
  const drainUntil = Date.now() + config.drain * 1000;
  while (fleet.summary().lost > 0 && Date.now() < drainUntil && !hurry.signal.aborted) {
    await pause(200, hurry.signal);
  }
  clearInterval(ticker);
  const summary = fleet.summary();
  await Promise.all([fleet.close(), ...responders.map((r) => r.stop())]);
  await push?.close();
  print(summaryTable(summary, elapsed()));
  return summary.lost === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(
      `device-sim failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
    );
    process.exit(1);
  },
);
