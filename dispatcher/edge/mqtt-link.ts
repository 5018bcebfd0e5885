// The dispatcher's own MQTT client: a persistent QoS 1 session subscribed to every device's
// events and status; it publishes the acks. Validation happens here, at the boundary.
import mqtt, { type MqttClient } from "mqtt";
import type { Logger } from "pino";
import {
  DeviceEventSchema,
  DeviceStatusSchema,
  parseDeviceTopic,
  parsePayload,
  topics,
  type DeviceAck,
} from "../../protocol/index.ts";
import type { DeviceEventIngest } from "../devices/intake.ts";
import type { DeviceStatusIngest } from "../devices/heartbeats.ts";

export interface MqttLinkOptions {
  url: string;
  username: string;
  password: string;
  clientId?: string;
  logger: Logger;
  events: DeviceEventIngest;
  statuses: DeviceStatusIngest;
}

export interface MqttLink {
  connected(): boolean;
  ackDevice(deviceId: string, ack: DeviceAck): void;
  close(): Promise<void>;
}

export async function connectMqttLink(o: MqttLinkOptions): Promise<MqttLink> {
  const client: MqttClient = mqtt.connect(o.url, {
    clientId: o.clientId ?? "eldercare-dispatcher",
    username: o.username,
    password: o.password,
    clean: false, // persistent session: QoS 1 events queued while we restart are delivered after
    keepalive: 30,
    reconnectPeriod: 1000,
    connectTimeout: 10_000,
  });
  client.on("error", (err) => o.logger.error({ err: err.message }, "mqtt link error"));
  // Acks are tiny and latency-critical: don't let Nagle hold them back (~40 ms per hop otherwise).
  client.on("connect", () => (client.stream as { setNoDelay?: (on: boolean) => void }).setNoDelay?.(true));
  client.on("offline", () => o.logger.warn("mqtt link offline"));
  client.on("reconnect", () => o.logger.info("mqtt link reconnecting"));
  client.on("message", (topic, payload) => {
    const parsed = parseDeviceTopic(topic);
    if (!parsed) return;
    if (parsed.kind === "events") {
      const r = parsePayload(DeviceEventSchema, payload);
      if (r.ok) o.events.push(parsed.deviceId, r.value);
      else o.events.invalid(parsed.deviceId, r.reason);
    } else if (parsed.kind === "status") {
      const r = parsePayload(DeviceStatusSchema, payload);
      if (r.ok) o.statuses.push(parsed.deviceId, r.value);
      else o.logger.warn({ deviceId: parsed.deviceId, reason: r.reason }, "device status dropped");
    }
  });
  await new Promise<void>((resolve, reject) => {
    const fail = (err: Error) =>
      reject(new Error(`cannot connect to MQTT broker at ${o.url}: ${err.message}`));
    client.once("error", fail);
    client.once("connect", () => {
      client.off("error", fail);
      resolve();
    });
  });
  await client.subscribeAsync([topics.allEvents, topics.allStatus], { qos: 1 });
  return {
    connected: () => client.connected,
    ackDevice(deviceId, ack) {
      client.publish(topics.ack(deviceId), JSON.stringify(ack), { qos: 1 }, (err) => {
        if (err) o.logger.error({ deviceId, eventId: ack.eventId, err: err.message }, "ack publish failed");
      });
    },
    close: () => client.endAsync(),
  };
}
