// The simulator CLI's configuration: the one place that reads argv and process.env.
import { parseArgs } from "node:util";
import { z } from "zod";
import { ConfigError, loadSettings } from "../protocol/process.ts";

export { ConfigError };

export const SCENARIOS = ["live", "burst", "fall", "cancel", "flaky", "offline", "sensors"] as const;
export type Scenario = (typeof SCENARIOS)[number];

const count = z.coerce.number().int();
const positive = z.coerce.number().positive();

const ConfigSchema = z.object({
  broker: z.url({ protocol: /^(mqtts?|wss?|tcp)$/ }),
  api: z.url({ protocol: /^https?$/ }),
  /** The per-process socket limit (~19 000) bounds one simulator process. */
  devices: count.min(0).max(19_000),
  /** Number of the first device id (BJ-00001 is 1). */
  from: count.min(1),
  secret: z.string().min(1),
  /** Presses per minute across the fleet (live, flaky, offline); by default what the phones can answer. */
  rate: z.coerce.number().min(0),
  responders: count.min(0).max(5000),
  password: z.string().min(1),
  scenario: z.enum(SCENARIOS),
  /** burst: presses; fall/cancel: incidents; offline: devices that drop off (default 5 %). */
  count: count.min(1).optional(),
  /** burst: spread presses over this many seconds; offline: spread the drop-offs. */
  seconds: positive,
  /** Stop after this many seconds; unset = until Ctrl-C (or the scenario ends on its own). */
  duration: positive.optional(),
  heartbeat: z.coerce.number().min(0),
  /** Seconds to wait for outstanding acks when stopping. */
  drain: z.coerce.number().min(0),
  speed: positive,
  acceptDelay: z.coerce.number().min(0),
  logLevel: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]),
  help: z.boolean(),
});

export type SimConfig = z.infer<typeof ConfigSchema>;

/**
 * The live city's default pace: one press a minute for every this many phones. Ten caregivers
 * (half the phones) spend some five minutes on a visit across town, so the city stays calm with
 * room for the burst scenario to stir it.
 */
export const PHONES_PER_PRESS_PER_MINUTE = 20;

export const USAGE = `Usage: npm run sim -- [options]

  --broker URL        MQTT broker (env BROKER_URL; default mqtt://localhost:1883)
  --api URL           dispatcher HTTP API (env API_URL; default http://localhost:3000)
  --devices N         simulated call devices BJ-00001… (default 200)
  --from N            number of the first device id (default 1)
  --secret S          device secret (env DEMO_DEVICE_SECRET; default "demo")
  --rate P            presses per minute across the fleet (default: one a minute per
                      ${PHONES_PER_PRESS_PER_MINUTE} phones, so the phones keep up; 0 phones → 0)
  --responders N      simulated responder phones, caregivers and volunteers (default 20)
  --password S        responder password (env DEMO_PASSWORD; default "demo1234")
  --scenario NAME     live | burst | fall | cancel | flaky | offline | sensors (default live)
  --count N           burst: presses (100); fall/cancel: incidents (1); offline: devices (5 %)
  --seconds T         burst/offline: spread over T seconds (default 10)
  --duration S        stop after S seconds (default: until Ctrl-C)
  --heartbeat S       device heartbeat interval, 0 = none (default 300)
  --drain S           wait up to S seconds for outstanding acks when stopping (default 15)
  --speed M           responder travel speed in m/s (default 5)
  --accept-delay MS   responder thinking time before accepting (default 3000)
  --log-level L       env LOG_LEVEL (default warn)
  --help`;

/** Parses argv (without node and script) and env; throws a ConfigError naming every bad value. */
export function loadConfig(
  argv: string[] = process.argv.slice(2),
  env: Record<string, string | undefined> = process.env,
): SimConfig {
  let values: Record<string, string | boolean | undefined>;
  try {
    values = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        broker: { type: "string" },
        api: { type: "string" },
        devices: { type: "string" },
        from: { type: "string" },
        secret: { type: "string" },
        rate: { type: "string" },
        responders: { type: "string" },
        password: { type: "string" },
        scenario: { type: "string" },
        count: { type: "string" },
        seconds: { type: "string" },
        duration: { type: "string" },
        heartbeat: { type: "string" },
        drain: { type: "string" },
        speed: { type: "string" },
        "accept-delay": { type: "string" },
        "log-level": { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    }).values;
  } catch (err) {
    throw new ConfigError(`${(err as Error).message}\n\n${USAGE}`);
  }
  const e = (name: string) => (env[name] === "" ? undefined : env[name]);
  const raw = {
    broker: values.broker ?? e("BROKER_URL") ?? "mqtt://localhost:1883",
    api: values.api ?? e("API_URL") ?? "http://localhost:3000",
    devices: values.devices ?? "200",
    from: values.from ?? "1",
    secret: values.secret ?? e("DEMO_DEVICE_SECRET") ?? "demo",
    rate: values.rate ?? String((Number(values.responders ?? "20") || 0) / PHONES_PER_PRESS_PER_MINUTE),
    responders: values.responders ?? "20",
    password: values.password ?? e("DEMO_PASSWORD") ?? "demo1234",
    scenario: values.scenario ?? "live",
    count: values.count,
    seconds: values.seconds ?? "10",
    duration: values.duration,
    heartbeat: values.heartbeat ?? "300",
    drain: values.drain ?? "15",
    speed: values.speed ?? "5",
    acceptDelay: values["accept-delay"] ?? "3000",
    logLevel: values["log-level"] ?? e("LOG_LEVEL") ?? "warn",
    help: values.help === true,
  };
  const kebab = (key: string) => `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
  try {
    return loadSettings(ConfigSchema, raw, { title: "Invalid options", label: kebab });
  } catch (err) {
    if (err instanceof ConfigError) throw new ConfigError(`${err.message}\n\n${USAGE}`);
    throw err;
  }
}
