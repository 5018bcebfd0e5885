// aedes `authorizePublish` and `authorizeSubscribe` hooks: a device may publish only to its
// own events and status topics and subscribe only to its own ack topic; service users may do
// anything.
//
// Denied PUBLISH from a device: MQTT 3.1.1 gives the server no way to refuse a
// publish; it "MUST either make a positive acknowledgement, according to the normal QoS rules,
// or close the Network Connection" [MQTT-3.3.5-2]. We acknowledge and drop. Closing would be
// stricter but dangerous here: the client resends its unacknowledged QoS 1 publish after every
// reconnect (§4.4), so one bad message would lock a device into a reconnect loop in which
// its real SOS presses might never get through. The drop is counted and logged instead.
// An oversized event is acknowledged too, and passed on shortened to the fields that identify it,
// so the platform answers it (a case for an SOS, `rejected` otherwise) and the device stops
// resending it at the application level as well.
//
// aedes closes the connection whenever this hook reports an error, so a drop is done by
// authorizing a rewritten packet: the topic moves to a sink no client may subscribe to, the
// payload is emptied and the retain flag cleared (so no retained message is touched).
// Retain is cleared on every device publish, accepted or not (see below).
import type { Client, PublishPacket, Subscription } from "aedes";
import type { Logger } from "pino";
import { shortenOversizedEvent, topics } from "../protocol/mqtt.ts";
import type { Identity, IdentityMap } from "./identity.ts";
import type { BrokerMetrics } from "./types.ts";

/** Where dropped publishes go. '$' topics never match filters that start with a wildcard
 * [MQTT-4.7.2-1], and filters under this root are refused to everyone, so nothing reaches it. */
const SINK_ROOT = "$eldercare";
export const DROPPED_TOPIC = `${SINK_ROOT}/dropped`;
const EMPTY = Buffer.alloc(0);
/** After this many denials on one connection, further ones are logged at debug level only. */
const LOUD_DENIALS = 5;

export interface AclDeps {
  identities: IdentityMap;
  maxPayloadBytes: number;
  metrics: BrokerMetrics;
  logger: Logger;
  /** Lets a device's accepted publish on now or later (flow control); default: at once. */
  admit?: (proceed: () => void) => void;
}

export function payloadBytes(payload: Buffer | string | undefined): number {
  if (payload === undefined) return 0;
  return typeof payload === "string" ? Buffer.byteLength(payload) : payload.length;
}

export function createAuthorizePublish(deps: AclDeps) {
  const { identities, maxPayloadBytes, metrics, logger, admit } = deps;

  return function authorizePublish(
    client: Client | null,
    packet: PublishPacket,
    callback: (error?: Error | null) => void,
  ): void {
    // No client: aedes publishing the stored will of a broker that died. Wills were checked
    // at CONNECT (pre-connect.ts), so they are let through.
    if (client === null) return callback(null);
    const who = identities.get(client);
    if (!who) return callback(new Error("publish before authentication"));

    if (who.kind === "service") {
      // aedes' default rule, kept: clients never publish into $SYS (aedes issue #597).
      if (packet.topic.startsWith("$SYS/")) return callback(new Error("$SYS topic is reserved"));
      return callback(null);
    }

    // Compared with the device's own topics, built once at CONNECT: no parsing per message.
    if (packet.topic !== who.events && packet.topic !== who.status) {
      metrics.aclDenials++;
      report(logger, client, who, packet, "publish outside the device's own events/status topics");
      return drop(packet, callback);
    }
    const size = payloadBytes(packet.payload);
    if (size > maxPayloadBytes) {
      metrics.oversizedDropped++;
      report(logger, client, who, packet, `payload of ${size} bytes exceeds ${maxPayloadBytes}`);
      if (packet.topic !== who.events) return drop(packet, callback);
      // An event goes on shortened to what identifies it, so the platform can still answer it
      // (a case for an SOS, `rejected` otherwise) and the device stops resending it.
      packet.payload = shortenOversizedEvent(packet.payload);
      packet.retain = false;
      return callback(null);
    }
    // Nothing a device publishes is retained. A retained event would replay an old alarm to
    // every new subscriber. A retained status made every SUBSCRIBE scan every device's stored
    // status (aedes' memory persistence has no topic index), so connecting grew with the square
    // of the fleet, and a replayed stale "online" would look like a fresh heartbeat; last-seen
    // and battery are stored by the platform instead. MQTT 3.1.1 §3.3.1.3 says a server MUST
    // store a retained message [MQTT-3.3.1-5]; we deliberately deliver it as an ordinary one,
    // so that firmware that still sets the flag cannot bring the cost back.
    packet.retain = false;
    if (admit) admit(() => callback(null));
    else callback(null);
  };
}

export function createAuthorizeSubscribe(deps: Omit<AclDeps, "maxPayloadBytes">) {
  const { identities, metrics, logger } = deps;

  return function authorizeSubscribe(
    client: Client,
    sub: Subscription,
    callback: (error: Error | null, subscription?: Subscription | null) => void,
  ): void {
    const who = identities.get(client);
    if (!who) return callback(new Error("subscribe before authentication"));
    const allowed =
      !sub.topic.startsWith(SINK_ROOT) && (who.kind === "service" || sub.topic === topics.ack(who.deviceId));
    if (allowed) return callback(null, sub);
    metrics.aclDenials++;
    report(logger, client, who, { topic: sub.topic }, "subscription refused");
    // A null subscription makes aedes answer 0x80 (Failure) for this topic in the SUBACK
    // (§3.9.3) while keeping the connection; an error here would close it.
    callback(null, null);
  };
}

function drop(packet: PublishPacket, callback: (error?: Error | null) => void): void {
  packet.topic = DROPPED_TOPIC;
  packet.payload = EMPTY;
  packet.retain = false;
  callback(null);
}

function report(
  logger: Logger,
  client: Client,
  who: Identity,
  packet: { topic: string },
  reason: string,
): void {
  const fields = { clientId: client.id, topic: packet.topic, reason };
  if (who.kind === "device" && ++who.denials > LOUD_DENIALS) logger.debug(fields, "mqtt acl denial");
  else logger.warn(fields, "mqtt acl denial");
}
