// `npm start`: the whole platform in one process.
import pino from "pino";
import { ConfigError, loadConfig } from "./config.ts";
import { startApp } from "./app.ts";
import { DEMO_LOGINS } from "../prisma/seed.ts";
import { stopOnSignals } from "../protocol/process.ts";

let config;
try {
  config = loadConfig();
} catch (err) {
  if (err instanceof ConfigError) {
    console.error(err.message);
    process.exit(1);
  }
  throw err;
}
const logger = pino({ level: config.LOG_LEVEL });
// A promise nobody awaited must not take the alarm platform down; it is a bug to log and fix.
process.on("unhandledRejection", (err) => logger.error({ err }, "unhandled rejection"));

try {
  const app = await startApp({
    config,
    logger,
    // Another instance leads now: end, so the supervisor starts this one again as a follower.
    onLeaseLost: () => void app.stop().finally(() => process.exit(1)),
  });
  const seeded = app.seed?.seeded
    ? ` (new demo city: ${app.seed.counts.residents} residents, ${app.seed.counts.responders} responders)`
    : "";
  const lines = [
    "",
    `  居家养老"110" is running${seeded}`,
    `  Console:      ${app.httpUrl}/`,
    `  Phone app:    ${app.httpUrl}/responder`,
    `  MQTT:         ${app.mqttUrl}${app.mqttWsPort ? `  (WebSocket on port ${app.mqttWsPort})` : ""}`,
    ...(app.mqttTlsPort ? [`  MQTT (TLS):   port ${app.mqttTlsPort} (and wss on the WebSocket port)`] : []),
    `  Health:       ${app.httpUrl}/healthz`,
    ...(app.cluster
      ? [`  Cluster:      instance ${app.cluster.instance}, ${app.cluster.leading() ? "leader" : "follower"}`]
      : []),
    "",
    `  Demo logins (password "${config.DEMO_PASSWORD}", demo only — change DEMO_PASSWORD):`,
    ...DEMO_LOGINS.map((l) => `    ${l.username.padEnd(14)} ${l.note}`),
    `  Demo devices BJ-00001 … BJ-02000 authenticate with secret "${config.DEMO_DEVICE_SECRET}" (demo only).`,
    `  Bring the city alive:  npm run sim`,
    "",
    `  In production run it supervised, so a crash costs seconds, not the service:`,
    `    systemd unit deploy/eldercare-110.service (Restart=always) — docs/operator-guide.md, "Running supervised"`,
    "",
  ];
  console.log(lines.join("\n"));
  stopOnSignals((signal) => {
    logger.info({ signal }, "shutting down");
    return app.stop();
  }, logger);
} catch (err) {
  console.error(`Failed to start: ${(err as Error).message}`);
  process.exit(1);
}
