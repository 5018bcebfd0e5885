// Building blocks for dispatch scenarios: responders on duty at chosen spots, a device that presses.
import { EventEmitter } from "node:events";
import mqtt, { type IClientOptions, type MqttClient } from "mqtt";
import {
  DeviceAckSchema,
  topics,
  type DeviceAck,
  type DeviceStatus,
  type ResponderSummary,
} from "../../protocol/index.ts";
import { api, connectSocket, login, TEST_DEVICE_SECRET, type ClientSocket } from "./app.ts";
import type { App } from "../../dispatcher/app.ts";
export { until } from "./wait.ts";
import { offsetMeters } from "../../protocol/geo.ts";

export interface TestResponder {
  username: string;
  id: number;
  /** As the platform shows it to staff. */
  name: string;
  phone: string;
  token: string;
  socket: ClientSocket;
}

/** A point `north` and `east` metres away from (lat, lng). */
export function offset(lat: number, lng: number, north: number, east: number): { lat: number; lng: number } {
  return offsetMeters({ lat, lng }, north, east);
}

export async function residentOf(
  app: Pick<App, "db">,
  deviceId: string,
): Promise<{ residentId: number; lat: number; lng: number; communityId: number }> {
  const home = await app.db.get<{ residentId: number; lat: number; lng: number; communityId: number }>(
    `SELECT r.id AS "residentId", r.lat, r.lng, r."communityId"
     FROM "Device" d JOIN "Resident" r ON r.id = d."residentId" WHERE d.id = ?`,
    [deviceId],
  );
  if (!home) throw new Error(`no device ${deviceId}`);
  return home;
}

/** Logs a responder in over HTTP, opens its socket, puts it on duty at a position. */
export async function onDutyAt(
  app: Pick<App, "httpUrl">,
  username: string,
  at: { lat: number; lng: number },
): Promise<TestResponder> {
  const { token, user } = await login(app.httpUrl, username);
  const socket = await connectSocket(app.httpUrl, token);
  const duty = await api<ResponderSummary>(app.httpUrl, token, "POST", "/api/responder/duty", {
    onDuty: true,
  });
  if (duty.status !== 200) throw new Error(`duty failed: ${duty.status}`);
  const loc = await api(app.httpUrl, token, "POST", "/api/responder/location", at);
  if (loc.status !== 204) throw new Error(`location failed: ${loc.status}`);
  return { username, id: user.responderId!, name: duty.body.name, phone: duty.body.phone, token, socket };
}

export interface TestDevice {
  id: string;
  client: MqttClient;
  acks: DeviceAck[];
  press(eventId: string, type?: string): Promise<void>;
  /** The first ack, already received or still to come, that `match` accepts. */
  ack(match: (a: DeviceAck) => boolean, ms?: number): Promise<DeviceAck>;
  /** Retained status message, as the device's heartbeat. */
  heartbeat(status: DeviceStatus): Promise<void>;
  close(): Promise<void>;
}

export async function connectDevice(
  app: Pick<App, "mqttUrl">,
  id: string,
  secret = TEST_DEVICE_SECRET,
  options: Pick<IClientOptions, "will" | "ca"> = {},
): Promise<TestDevice> {
  const client = await mqtt.connectAsync(app.mqttUrl, {
    clientId: id,
    username: id,
    password: secret,
    reconnectPeriod: 0,
    ...options,
  });
  const acks: DeviceAck[] = [];
  const arrived = new EventEmitter();
  client.on("message", (_t, payload) => {
    const r = DeviceAckSchema.safeParse(JSON.parse(payload.toString()));
    if (!r.success) return;
    acks.push(r.data);
    arrived.emit("ack", r.data);
  });
  await client.subscribeAsync(topics.ack(id), { qos: 1 });
  return {
    id,
    client,
    acks,
    press: async (eventId, type = "sos") => {
      await client.publishAsync(
        topics.events(id),
        JSON.stringify({ eventId, type, at: new Date().toISOString() }),
        { qos: 1 },
      );
    },
    ack: (match, ms = 5000) => {
      const held = acks.find(match);
      if (held) return Promise.resolve(held);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          arrived.off("ack", listener);
          reject(new Error(`${id}: no matching ack within ${ms} ms`));
        }, ms);
        const listener = (a: DeviceAck) => {
          if (!match(a)) return;
          clearTimeout(timer);
          arrived.off("ack", listener);
          resolve(a);
        };
        arrived.on("ack", listener);
      });
    },
    heartbeat: async (status) => {
      await client.publishAsync(topics.status(id), JSON.stringify(status), { qos: 1, retain: true });
    },
    close: async () => {
      await client.endAsync();
    },
  };
}
