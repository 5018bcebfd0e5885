// The dispatcher's configuration: the one place that reads process.env.
import { z } from "zod";
import { loadSettings } from "../protocol/process.ts";
import { DatabaseUrlSchema } from "./db/url.ts";
import { TlsEnv, tlsFilesPaired } from "../broker/tls.ts";

export { ConfigError } from "../protocol/process.ts";

const port = z.coerce.number().int().min(0).max(65535);
const seconds = z.coerce.number().int().positive();

const EnvSchema = z
  .object({
    PORT: port.default(3000),
    HOST: z.string().min(1).default("0.0.0.0"),
    MQTT_PORT: port.default(1883),
    MQTT_WS_PORT: port.default(8083),
    DATABASE_URL: DatabaseUrlSchema,
    BROKER_URL: z.url({ protocol: /^(mqtts?|wss?|tcp)$/ }).optional(),
    BROKER_SERVICE_USER: z.string().min(1).default("dispatcher"),
    /** Required with BROKER_URL; for the embedded broker a random one is made per start. */
    BROKER_SERVICE_PASSWORD: z.string().min(8).optional(),
    LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
    DEMO_PASSWORD: z.string().min(4).default("demo1234"),
    DEMO_DEVICE_SECRET: z.string().min(1).default("demo"),
    SEED_DEMO: z.enum(["true", "false"]).default("true"),
    OFFER_TIMEOUT_SECONDS: seconds.default(60),
    ESCALATION_SECONDS: seconds.default(180),
    /** Emergencies: at most this many offers pending at once (phased: the best ETA first). */
    EMERGENCY_PARALLEL_OFFERS: z.coerce.number().int().min(1).max(10).default(2),
    SESSION_HOURS: seconds.default(24 * 14),
    /**
     * Behind a reverse proxy (TLS termination): Express's "trust proxy" setting, e.g. "loopback" or
     * "1", so the login guard and the audit log see the client's address, not the proxy's.
     */
    TRUST_PROXY: z.string().min(1).optional(),
    /** Device events arriving within this many ms share one durable commit; 0 = commit each alone. */
    GROUP_COMMIT_MS: z.coerce.number().int().min(0).max(50).default(4),
    /**
     * The SMS gateway's webhook (docs/family.md, "SMS gateway"): family notices and sign-in codes
     * are POSTed there as JSON. Unset: no SMS; staff read invitation codes out on the phone.
     */
    SMS_WEBHOOK_URL: z.url({ protocol: /^https?$/ }).optional(),
    /** Signs each webhook request (HMAC-SHA256 of the body, header X-Eldercare-Signature). */
    SMS_WEBHOOK_SECRET: z.string().min(16).optional(),
    ...TlsEnv,
  })
  .refine(tlsFilesPaired.check, tlsFilesPaired.message)
  .refine((c) => !c.BROKER_URL || c.BROKER_SERVICE_PASSWORD, {
    message: "required when BROKER_URL is set",
    path: ["BROKER_SERVICE_PASSWORD"],
  })
  .refine((c) => !c.SMS_WEBHOOK_URL || c.SMS_WEBHOOK_SECRET, {
    message: "required when SMS_WEBHOOK_URL is set",
    path: ["SMS_WEBHOOK_SECRET"],
  });

export type Config = z.infer<typeof EnvSchema>;

/** Parses an environment; throws a ConfigError that names every bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  return loadSettings(EnvSchema, env);
}
