// Turns aedes events into log lines and counters. aedes reports failures as events
// (clientError, connectionError, error) instead of throwing; an EventEmitter 'error' without a
// listener would crash the process, so one is always attached here.
import type { EventEmitter } from "node:events";
import type { Aedes } from "aedes";
import type { Logger } from "pino";
import { remoteAddressOf } from "./remote-address.ts";
import type { BrokerMetrics } from "./types.ts";

const ROUTINE_NETWORK_ERRORS = new Set(["ECONNRESET", "EPIPE", "ETIMEDOUT"]);

export function observe(aedes: Aedes, metrics: BrokerMetrics, logger: Logger): void {
  aedes.on("client", (client) => {
    metrics.connects++;
    logger.debug({ clientId: client.id }, "mqtt client connected");
  });
  aedes.on("clientDisconnect", (client) => logger.debug({ clientId: client.id }, "mqtt client disconnected"));
  aedes.on("keepaliveTimeout", (client) => logger.info({ clientId: client.id }, "mqtt keepalive timeout"));

  aedes.on("clientError", (client, err) => {
    // A refused CONNECT also ends here; authenticate.ts has already logged it with its reason.
    // Dropped mobile links are routine in a fleet of cellular buttons, not worth a warning.
    const routine =
      "errorCode" in err || ROUTINE_NETWORK_ERRORS.has((err as NodeJS.ErrnoException).code ?? "");
    const fields = { clientId: client.id, err: err.message };
    if (routine) logger.debug(fields, "mqtt client error");
    else logger.warn(fields, "mqtt client error");
  });
  // Errors before a CONNECT was read: not MQTT, CONNECT timeout, frame limit.
  aedes.on("connectionError", (client, err) => {
    logger.warn({ remoteAddress: remoteAddressOf(client.conn), err: err.message }, "mqtt connection error");
  });
  // Not in aedes' typed event list, but emitted (e.g. a failing persistence).
  (aedes as EventEmitter).on("error", (err: Error) =>
    logger.error({ err: err.message }, "mqtt broker error"),
  );
}
