// The dispatcher's configuration: the one place that reads process.env.
import { z } from "zod";
import { PLATFORM_TIME_ZONE } from "../protocol/domain.ts";
import { loadSettings } from "../protocol/process.ts";
import { DatabaseUrlSchema, dialectOf } from "./db/url.ts";
import { TlsEnv, tlsFilesPaired } from "../broker/tls.ts";
import { parseOriginPatterns } from "./push/endpoint-policy.ts";

export { ConfigError } from "../protocol/process.ts";

const port = z.coerce.number().int().min(0).max(65535);
const seconds = z.coerce.number().int().positive();

/** An IANA zone this runtime knows ("Asia/Shanghai"). */
const timeZone = z.string().refine(
  (zone) => {
    try {
      new Intl.DateTimeFormat("en-US", { timeZone: zone });
      return true;
    } catch {
      return false;
    }
  },
  { message: "must be an IANA time zone such as Asia/Shanghai" },
);

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
    /**
     * With BROKER_URL pointing at Mosquitto's dynamic-security plugin: the admin account through
     * which the platform provisions, re-keys and revokes device accounts as the register changes.
     */
    MOSQUITTO_ADMIN_USER: z.string().min(1).default("eldercare-admin"),
    MOSQUITTO_ADMIN_PASSWORD: z.string().min(12).optional(),
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
    GROUP_COMMIT_MS: z.coerce.number().int().min(0).max(50).default(0),
    /**
     * The SMS gateway's webhook (docs/family.md, "SMS gateway"): family notices and sign-in codes
     * are POSTed there as JSON. Unset: no SMS; staff read invitation codes out on the phone.
     */
    SMS_WEBHOOK_URL: z.url({ protocol: /^https?$/ }).optional(),
    /** Signs each webhook request (HMAC-SHA256 of the body, header X-Eldercare-Signature). */
    SMS_WEBHOOK_SECRET: z.string().min(16).optional(),
    /** A phone silent this long (no heartbeat, no live connection) is unreachable: offered nothing. */
    RESPONDER_PRESENCE_SECONDS: seconds.default(120),
    /** Silent this long, a responder with no job in hand is taken off duty (audited). */
    RESPONDER_OFF_DUTY_SECONDS: seconds.default(30 * 60),
    /** Web Push (VAPID) contact: a mailto: or https: URL push services may use to reach the operator. */
    PUSH_VAPID_SUBJECT: z
      .string()
      .regex(/^(mailto:.+|https:\/\/.+)$/, "must be a mailto: or https: URL")
      .default("mailto:dispatch@eldercare.invalid"),
    /**
     * Push endpoints the platform will send to (comma-separated origins, `*.` for subdomains, `:*`
     * for any port): the browsers' push services. Anything else is refused at subscription, so a
     * phone cannot make the dispatcher post to an address of its choosing.
     */
    PUSH_ENDPOINT_ORIGINS: z
      .string()
      .default(
        "https://fcm.googleapis.com,https://updates.push.services.mozilla.com,https://*.push.apple.com,https://*.notify.windows.com",
      )
      .refine((v) => {
        try {
          return parseOriginPatterns(v).length > 0;
        } catch {
          return false;
        }
      }, "comma-separated origins such as https://fcm.googleapis.com or https://*.push.apple.com"),
    /** The duty desk's (值班室) phone number, for the responder app's call button. */
    DUTY_DESK_PHONE: z.string().trim().min(3).max(32).optional(),
    /** Times shown to people and "today" in reports are in this zone; CSV times carry its offset. */
    PLATFORM_TIME_ZONE: timeZone.default(PLATFORM_TIME_ZONE),
    /** The console sounds an unacknowledged alarm this many times more, then shows only its flag. */
    ALARM_REPEATS: z.coerce.number().int().min(0).max(10).default(1),
    ALARM_REPEAT_SECONDS: seconds.default(30),
    /** A follow-up call nobody answered is due again after this many minutes. */
    FOLLOW_UP_RETRY_MINUTES: seconds.default(30),
    ...TlsEnv,
    /**
     * Cluster mode (docs/scale-out.md): Socket.IO and the embedded brokers share this Redis, and
     * the instances elect one leader through a lease in PostgreSQL (decision 0017).
     */
    REDIS_URL: z.url({ protocol: /^rediss?$/ }).optional(),
    /** This instance's name in the cluster (logs, /healthz, the lease row); default host-pid. */
    INSTANCE_ID: z.string().min(1).max(64).optional(),
    /** Where the other instances reach this one's HTTP port; default http://HOST:PORT. */
    ADVERTISE_URL: z.url({ protocol: /^https?$/ }).optional(),
    /** How often a follower tries to take the lease, and the leader checks it still holds it. */
    LEASE_CHECK_MS: z.coerce.number().int().min(100).max(10_000).default(1000),
  })
  .refine((c) => !c.REDIS_URL || dialectOf(c.DATABASE_URL) === "postgres", {
    message: "cluster mode needs a database every instance shares: set DATABASE_URL=postgresql://…",
    path: ["REDIS_URL"],
  })
  .refine(tlsFilesPaired.check, tlsFilesPaired.message)
  .refine((c) => !c.BROKER_URL || c.BROKER_SERVICE_PASSWORD, {
    message: "required when BROKER_URL is set",
    path: ["BROKER_SERVICE_PASSWORD"],
  })
  .refine((c) => !c.SMS_WEBHOOK_URL || c.SMS_WEBHOOK_SECRET, {
    message: "required when SMS_WEBHOOK_URL is set",
    path: ["SMS_WEBHOOK_SECRET"],
  })
  .refine((c) => c.RESPONDER_OFF_DUTY_SECONDS > c.RESPONDER_PRESENCE_SECONDS, {
    message: "must be longer than RESPONDER_PRESENCE_SECONDS",
    path: ["RESPONDER_OFF_DUTY_SECONDS"],
  });

export type Config = z.infer<typeof EnvSchema>;

/** Parses an environment; throws a ConfigError that names every bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  return loadSettings(EnvSchema, env);
}
