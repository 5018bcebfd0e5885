// Configuration of the stand-alone broker (broker/main.ts): the one place it reads the
// environment. Variable names match the dispatcher's, so one .env serves both.
import { z } from "zod";
import { loadSettings } from "../protocol/process.ts";
import { DatabaseUrlSchema } from "../dispatcher/db/url.ts";
import { TlsEnv, tlsFilesPaired } from "./tls.ts";

export { ConfigError } from "../protocol/process.ts";

const port = z.coerce.number().int().min(0).max(65535);

const EnvSchema = z
  .object({
    HOST: z.string().min(1).default("0.0.0.0"),
    MQTT_PORT: port.default(1883),
    /** A port, or "off" for no WebSocket listener. */
    MQTT_WS_PORT: z
      .union([z.literal("off"), port])
      .default(8083)
      .transform((v) => (v === "off" ? null : v)),
    DATABASE_URL: DatabaseUrlSchema,
    BROKER_SERVICE_USER: z.string().min(1).default("dispatcher"),
    /** Required: the dispatcher, started separately, must know it too. */
    BROKER_SERVICE_PASSWORD: z.string().min(8),
    LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
    /** Join the broker cluster of the dispatchers that share this Redis (docs/scale-out.md). */
    REDIS_URL: z.url({ protocol: /^rediss?$/ }).optional(),
    ...TlsEnv,
  })
  .refine(tlsFilesPaired.check, tlsFilesPaired.message);

export type BrokerConfig = z.infer<typeof EnvSchema>;

/** Parses an environment; throws a ConfigError that names every bad variable. */
export function loadBrokerConfig(env: Record<string, string | undefined> = process.env): BrokerConfig {
  return loadSettings(EnvSchema, env, { title: "Invalid broker configuration" });
}
