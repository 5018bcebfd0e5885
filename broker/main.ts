// Runs the broker alone: `npx tsx broker/main.ts`. The dispatcher then connects to it with
// BROKER_URL and the same BROKER_SERVICE_USER / BROKER_SERVICE_PASSWORD. Devices authenticate
// against the dispatcher's database, read only: the dispatcher owns the schema.
import pino from "pino";
import { openDatabase } from "../dispatcher/db/open.ts";
import { DeviceService } from "../dispatcher/devices/service.ts";
import { createBroker } from "./broker.ts";
import { redisBrokerCluster } from "./cluster.ts";
import { tlsOf } from "./tls.ts";
import { stopOnSignals } from "../protocol/process.ts";
import { ConfigError, loadBrokerConfig } from "./config.ts";

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
  const db = await openDatabase(config.DATABASE_URL, {
    readOnly: true,
    onIdleError: (err) => logger.warn({ err }, "database connection lost; the pool opens a new one"),
  }).catch((err: unknown) => {
    throw new Error(
      `cannot open the device database (start the dispatcher once to create it): ${String(err)}`,
    );
  });
  const devices = new DeviceService(db);
  // Fail now if the table is missing, rather than at the first CONNECT.
  await devices.credentialOf("").catch((err: unknown) => {
    throw new Error(`the device database has no usable "Device" table: ${String(err)}`);
  });
  const broker = await createBroker({
    port: config.MQTT_PORT,
    wsPort: config.MQTT_WS_PORT,
    host: config.HOST,
    tls: tlsOf(config),
    lookupDevice: (id) => devices.credentialOf(id),
    serviceUsers: [{ username: config.BROKER_SERVICE_USER, password: config.BROKER_SERVICE_PASSWORD }],
    logger,
    ...(config.REDIS_URL ? { cluster: redisBrokerCluster(config.REDIS_URL) } : {}),
  });

  stopOnSignals(async (signal) => {
    logger.info({ signal, metrics: broker.metrics() }, "shutting down");
    await broker.stop();
    await db.close();
  }, logger);
} catch (err) {
  logger.fatal({ err: err instanceof Error ? err.message : String(err) }, "broker failed to start");
  process.exit(1);
}
