// The embedding process's own client of its broker: it subscribes and publishes through aedes'
// router in-process — no socket, no MQTT encoding or parsing, no session. The dispatcher leading
// a single instance uses it instead of a loopback connection, whose persistent session had every
// device message copied into its outgoing queue and that queue searched twice per message
// (aedes-persistence), on top of a socket and two parsers (docs/performance.md, "Fan-in").
// Nothing is lost by having no session: broker and dispatcher live and die together here, and a
// device resends a press until the dispatcher acknowledges it.
import type { Aedes, AedesPublishPacket } from "aedes";

export type LocalMessageHandler = (topic: string, payload: Buffer) => void;

export interface LocalClient {
  /** Every message on `topic` (wildcards allowed), as it is routed. */
  subscribe(topic: string, onMessage: LocalMessageHandler): Promise<void>;
  /** Drops every subscription made here. */
  unsubscribeAll(): Promise<void>;
  /** Routed like a client's publish: QoS 1 is queued for a subscriber whose session is offline. */
  publish(topic: string, payload: string, qos: 0 | 1, done: (err?: Error) => void): void;
}

type Deliver = (packet: AedesPublishPacket, done: () => void) => void;

export function createLocalClient(aedes: Aedes): LocalClient {
  const subscriptions: { topic: string; deliver: Deliver }[] = [];
  return {
    subscribe(topic, onMessage) {
      const deliver: Deliver = (packet, done) => {
        const { payload } = packet;
        onMessage(packet.topic, Buffer.isBuffer(payload) ? payload : Buffer.from(payload));
        done();
      };
      subscriptions.push({ topic, deliver });
      return new Promise((resolve) => aedes.subscribe(topic, deliver, () => resolve()));
    },
    async unsubscribeAll() {
      for (const { topic, deliver } of subscriptions.splice(0)) {
        await new Promise<void>((resolve) => aedes.unsubscribe(topic, deliver, () => resolve()));
      }
    },
    publish(topic, payload, qos, done) {
      aedes.publish(
        { cmd: "publish", topic, payload: Buffer.from(payload), qos, retain: false, dup: false },
        (err) => done(err ?? undefined),
      );
    },
  };
}
