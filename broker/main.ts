// Runs the broker alone: `npx tsx broker/main.ts`. The dispatcher then connects to it with
// BROKER_URL and the same BROKER_SERVICE_USER / BROKER_SERVICE_PASSWORD.
import pino from "pino";
import { createBroker } from "./broker.ts";
import { ConfigError, loadBrokerConfig } from "./config.ts";
import { openSqliteDeviceLookup } from "./sqlite-device-lookup.ts";

let config;
try {
  config = loadBrokerConfig();
} catch (err) {
  if (err instanceof ConfigError) {
    console.error(err.message);
    process.exit(1);
  }
  throw err;
}
const logger = pino({ level: config.LOG_LEVEL, name: "broker" });

try {
  const devices = openSqliteDeviceLookup(config.DATABASE_URL);
  const broker = await createBroker({
    port: config.MQTT_PORT,
    wsPort: config.MQTT_WS_PORT,
    host: config.HOST,
    lookupDevice: devices.lookup,
    serviceUsers: [{ username: config.BROKER_SERVICE_USER, password: config.BROKER_SERVICE_PASSWORD }],
    logger,
  });

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal, metrics: broker.metrics() }, "shutting down");
    broker.stop().then(
      () => {
        devices.close();
        process.exit(0);
      },
      (err: unknown) => {
        logger.error({ err }, "shutdown failed");
        process.exit(1);
      },
    );
  };
  process.on("SIGINT", () => shutdown("SIGINT"));
  process.on("SIGTERM", () => shutdown("SIGTERM"));
} catch (err) {
  logger.fatal({ err: err instanceof Error ? err.message : String(err) }, "broker failed to start");
  process.exit(1);
}
