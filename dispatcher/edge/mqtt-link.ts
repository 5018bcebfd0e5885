// The dispatcher's own MQTT client: a persistent session subscribed to every device's events
// (QoS 1) and status (QoS 0), validating each payload at this boundary; it publishes the device acks.
// The link exists before it connects, so the features can be wired to it first. Leading a single
// instance with its embedded broker, it goes through the broker's in-process client instead
// (broker/local-client.ts): same topics, same QoS to the devices, no loopback socket or session.
import mqtt from "mqtt";
import type { Logger } from "pino";
import type { LocalClient } from "../../broker/local-client.ts";
import {
  DeviceStatusSchema,
  parseDeviceTopic,
  parsePayload,
  topics,
  type DeviceAck,
  type DeviceStatus,
} from "../../protocol/index.ts";
import { redactUrl } from "../../protocol/process.ts";

/** Where the link delivers what devices send. */
export interface DeviceTraffic {
  /** The payload as published: the devices feature reads events leniently (never drops an SOS for a side field). */
  event(deviceId: string, payload: Buffer): void;
  status(deviceId: string, status: DeviceStatus): void;
}

export interface MqttLinkOptions {
  username: string;
  password: string;
  logger: Logger;
  clientId?: string;
  keepaliveSeconds?: number;
  reconnectMs?: number;
  connectTimeoutMs?: number;
  /** After start: told when the link to the broker goes down and comes back. */
  onConnection?: (connected: boolean) => void;
}

/**
 * Events (presses) at QoS 1, kept in the session while no dispatcher is connected. Statuses at
 * QoS 0: a heartbeat is worth nothing once the next one has come, and at QoS 1 every one was also
 * stored in the session, acknowledged and cleared (in Redis, in a cluster) — most of what the broker
 * did per status. One missed while no leader is connected is made up by the next, or by the
 * supervision sweep (docs/protocol.md, "Heartbeat"; decision 0018).
 */
const SUBSCRIPTIONS: [string, 0 | 1][] = [
  [topics.allEvents, 1],
  [topics.allStatus, 0],
];

/** CONNACK return codes (MQTT 3.1.1 §3.2.2.3) that no retry will change. */
const BAD_USERNAME_OR_PASSWORD = 4;
const NOT_AUTHORIZED = 5;

const DEFAULTS = {
  clientId: "eldercare-dispatcher",
  keepaliveSeconds: 30,
  reconnectMs: 1000,
  connectTimeoutMs: 10_000,
} as const;

export interface MqttLink {
  /** Must be called once, before start. */
  deliverTo(traffic: DeviceTraffic): void;
  /**
   * Connects and subscribes; resolves once both are done. Fails at the first connect error, or —
   * with `patienceMs` — only after trying again (every `reconnectMs`) for that long; refused
   * credentials fail at once either way.
   */
  start(url: string, patienceMs?: number): Promise<void>;
  /** Instead of start: subscribes through the embedded broker's in-process client. */
  startInProcess(local: LocalClient): Promise<void>;
  connected(): boolean;
  /** QoS 1; acks published before the link is up are sent once it is. */
  ackDevice(deviceId: string, ack: DeviceAck): void;
  stop(): Promise<void>;
}

export function createMqttLink(options: MqttLinkOptions): MqttLink {
  const o = { ...DEFAULTS, ...options };
  const log = o.logger;
  let traffic: DeviceTraffic | null = null;
  let transport: Transport | null = null;
  const early: { deviceId: string; ack: DeviceAck }[] = [];

  const publish = (t: Transport, deviceId: string, ack: DeviceAck) =>
    t.publish(topics.ack(deviceId), JSON.stringify(ack), (err) => {
      if (err) log.error({ deviceId, eventId: ack.eventId, err: err.message }, "ack publish failed");
    });
  const subscribed = async (t: Transport, subscribe: (topic: string, qos: 0 | 1) => Promise<unknown>) => {
    // One SUBSCRIBE per topic: a broker cluster node (aedes with Redis) never answers a SUBSCRIBE
    // of several topics (decision 0017).
    for (const [topic, qos] of SUBSCRIPTIONS) await subscribe(topic, qos);
    for (const a of early.splice(0)) publish(t, a.deviceId, a.ack);
  };

  const onMessage = (topic: string, payload: Buffer) => {
    const parsed = parseDeviceTopic(topic);
    if (!parsed || !traffic) return;
    if (parsed.kind === "events") traffic.event(parsed.deviceId, payload);
    else if (parsed.kind === "status") {
      const r = parsePayload(DeviceStatusSchema, payload);
      if (r.ok) traffic.status(parsed.deviceId, r.value);
      else log.warn({ deviceId: parsed.deviceId, reason: r.reason }, "device status dropped");
    }
  };

  return {
    deliverTo(t) {
      traffic = t;
    },

    async start(url, patienceMs) {
      const c = mqtt.connect(url, {
        clientId: o.clientId,
        username: o.username,
        password: o.password,
        clean: false, // persistent session: QoS 1 events queued while we restart are delivered after
        keepalive: o.keepaliveSeconds,
        reconnectPeriod: o.reconnectMs,
        connectTimeout: o.connectTimeoutMs,
      });
      // Set at once: an ack from now on waits in the client's queue, and stop() ends a pending connect.
      const t: Transport = {
        publish: (topic, payload, done) => c.publish(topic, payload, { qos: 1 }, done),
        connected: () => c.connected,
        stop: () => c.endAsync(),
      };
      transport = t;
      c.on("error", (err) => log.error({ err: err.message }, "mqtt link error"));
      // Acks are tiny and latency-critical: don't let Nagle hold them back (~40 ms per hop otherwise).
      c.on("connect", () => (c.stream as { setNoDelay?: (on: boolean) => void }).setNoDelay?.(true));
      c.on("offline", () => {
        log.warn("mqtt link offline");
        o.onConnection?.(false);
      });
      c.on("reconnect", () => log.info("mqtt link reconnecting"));
      c.on("message", onMessage);
      const since = Date.now();
      await new Promise<void>((resolve, reject) => {
        const failed = (err: Error & { code?: unknown }) => {
          const refused = err.code === BAD_USERNAME_OR_PASSWORD || err.code === NOT_AUTHORIZED;
          if (!refused && patienceMs !== undefined && Date.now() - since < patienceMs) {
            log.warn({ err: err.message }, "mqtt link: not connected yet, trying again");
            return; // mqtt.js reconnects after reconnectMs
          }
          c.off("error", failed);
          c.end(true);
          reject(new Error(`cannot connect to MQTT broker at ${redactUrl(url)}: ${err.message}`));
        };
        c.on("error", failed);
        c.once("connect", () => {
          c.off("error", failed);
          resolve();
        });
      });
      c.on("connect", () => o.onConnection?.(true));
      await subscribed(t, (topic, qos) => c.subscribeAsync(topic, { qos }));
    },

    async startInProcess(local) {
      let up = false;
      const t: Transport = {
        publish: (topic, payload, done) => local.publish(topic, payload, 1, done),
        connected: () => up,
        stop: async () => {
          up = false;
          await local.unsubscribeAll();
        },
      };
      // Set at once, as a client connection is: no ack can fall between the flush and this.
      transport = t;
      await subscribed(t, (topic) => local.subscribe(topic, onMessage));
      up = true;
    },

    connected: () => transport?.connected() ?? false,

    ackDevice(deviceId, ack) {
      if (transport) publish(transport, deviceId, ack);
      else early.push({ deviceId, ack });
    },

    async stop() {
      await transport?.stop();
    },
  };
}

/** What the link needs of its way to the broker: a client connection, or the in-process client. */
interface Transport {
  publish(topic: string, payload: string, done: (err?: Error) => void): void;
  connected(): boolean;
  stop(): Promise<unknown>;
}
