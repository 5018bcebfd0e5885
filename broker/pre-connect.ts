// aedes `preConnect` hook: a device's Last Will must be its own "offline" status, not retained.
//
// The will is the only packet a client gets published without sending a PUBLISH, so it is
// checked here, where aedes lets us edit the CONNECT packet, against the username the device
// claims (authentication then proves the claim and that the client id equals it). A will on
// any other topic, or with a payload over the device limit, is removed and the CONNECT goes
// on: refusing it would leave a misconfigured alarm button unable to call for help, whereas
// without a will the platform still notices the device going silent through its missed
// heartbeats. aedes checks the will again with authorizePublish when it fires.
import type { Client, ConnectPacket } from "aedes";
import type { Logger } from "pino";
import { topics } from "../protocol/mqtt.ts";
import { payloadBytes } from "./acl.ts";
import type { ServiceUsers } from "./identity.ts";
import type { BrokerMetrics } from "./types.ts";

export interface PreConnectDeps {
  serviceUsers: ServiceUsers;
  maxPayloadBytes: number;
  metrics: BrokerMetrics;
  logger: Logger;
}

export function createPreConnect(deps: PreConnectDeps) {
  const { serviceUsers, maxPayloadBytes, metrics, logger } = deps;

  return function preConnect(
    _client: Client,
    packet: ConnectPacket,
    callback: (error: Error | null, success: boolean) => void,
  ): void {
    const will = packet.will;
    if (will && !serviceUsers.has(packet.username)) {
      const deviceId = packet.username;
      const problem =
        deviceId === undefined || will.topic !== topics.status(deviceId)
          ? "will topic is not the device's own status topic"
          : payloadBytes(will.payload) > maxPayloadBytes
            ? `will payload exceeds ${maxPayloadBytes} bytes`
            : null;
      if (problem) {
        metrics.aclDenials++;
        logger.warn({ clientId: packet.clientId, topic: will.topic, reason: problem }, "mqtt will removed");
        delete packet.will;
      } else {
        // Device status is never retained (acl.ts): MQTT 3.1.1 §3.1.2.7 would have the will
        // stored as a retained message when Will Retain is 1 [MQTT-3.1.2-17]; a stored
        // "offline" would be replayed to every later subscriber long after the device is back.
        will.retain = false;
      }
    }
    callback(null, true);
  };
}
