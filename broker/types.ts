// Public shapes of the broker; re-exported by broker.ts.

/** The database seam: a device's stored secret hash, or null when the id is unknown. */
export interface DeviceCredentialLookup {
  (deviceId: string): Promise<{ secretHash: string } | null>;
}

export interface BrokerMetrics {
  /** Authenticated sessions open now. */
  connectedClients: number;
  /** Successful CONNECTs since start. */
  connects: number;
  /** CONNECTs refused by authentication (bad credentials, identifier rejected, lookup failure). */
  authFailures: number;
  /** Device CONNECTs answered "server unavailable" after waiting too long for a turn (connect-gate.ts). */
  connectsDeferred: number;
  /** Publishes dropped and subscriptions refused by the ACL. */
  aclDenials: number;
  /** Device payloads over the limit, plus packets over the transport frame limit. */
  oversizedDropped: number;
  /** PUBLISHes to a topic aedes would refuse (empty, wildcards, too deep): acknowledged and dropped. */
  invalidTopics: number;
  /** MQTT packets received / sent, all types, counted on the wire. */
  packetsIn: number;
  packetsOut: number;
  /** PUBLISH packets received from clients, accepted or not. */
  publishesIn: number;
  /** Device publishes held back by flow control right now, and since start. */
  heldPublishes: number;
  publishesHeld: number;
}

export function emptyMetrics(): BrokerMetrics {
  return {
    connectedClients: 0,
    connects: 0,
    authFailures: 0,
    connectsDeferred: 0,
    aclDenials: 0,
    oversizedDropped: 0,
    invalidTopics: 0,
    packetsIn: 0,
    packetsOut: 0,
    publishesIn: 0,
    heldPublishes: 0,
    publishesHeld: 0,
  };
}
