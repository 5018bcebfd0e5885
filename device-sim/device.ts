// One simulated call device (wall button, wristband or pendant) speaking the MQTT contract of
// protocol/mqtt.ts. Its core promise is the no-loss guarantee: an event is resent with the same
// eventId, with backoff, until the platform acknowledges that eventId — across disconnects,
// broker restarts and dispatcher restarts. A lost connection is retried with jittered
// exponential backoff, except while an event waits for its ack: then every resend tries at once.
import { EventEmitter } from "node:events";
import mqtt, { type IClientOptions, type MqttClient } from "mqtt";
import {
  DeviceAckSchema,
  parsePayload,
  topics,
  type DeviceAck,
  type DeviceEvent,
  type DeviceEventType,
  type DeviceLocation,
  type DeviceStatus,
} from "../protocol/mqtt.ts";
import type { ServiceKind } from "../protocol/domain.ts";
import { DEFAULT_RESEND, type ResendPolicy, type Timers } from "./backoff.ts";
import { defaultLogger, type Logger } from "./logger.ts";
import { Outbox, type PressResult } from "./outbox.ts";
import { DEFAULT_RECONNECT, reconnectDelay, type ReconnectPolicy } from "./reconnect.ts";

export type { PressResult };

export interface SimDeviceOptions {
  /** mqtt://host:port or ws://host:port/path */
  brokerUrl: string;
  /** mqtt:// brokers tried in turn after brokerUrl when the connection is lost (a cluster's other nodes). */
  fallbackBrokerUrls?: string[];
  deviceId: string;
  secret: string;
  /** Interval of the status heartbeat; default 300, 0 = none. */
  heartbeatSeconds?: number;
  /** Resend backoff; default 1000 → 8000 ms, exponential with ±20 % jitter. */
  resend?: ResendPolicy;
  /** Waits between reconnect attempts; default 1–2 s doubling up to 30–60 s, jittered. */
  reconnect?: ReconnectPolicy;
  /** The clock resends are scheduled on; default the real one. */
  resendTimers?: Timers;
  /** How long connect() waits for the first CONNACK; default 30 000 ms. */
  connectTimeoutMs?: number;
  /** Battery level reported in status and events; default a random 60–100. */
  battery?: number;
  logger?: Logger;
}

export interface PressExtra {
  service?: ServiceKind;
  battery?: number;
  eventId?: string;
  /** A mobile device's fix (a GPS pendant outdoors). */
  location?: DeviceLocation;
}

function toServer(url: string): { host: string; port: number; protocol: "mqtt" | "mqtts" } {
  const u = new URL(url);
  if (u.protocol !== "mqtt:" && u.protocol !== "mqtts:")
    throw new Error(`fallback brokers must be mqtt(s)://, got ${url}`);
  const protocol = u.protocol === "mqtts:" ? "mqtts" : "mqtt";
  return { host: u.hostname, port: Number(u.port || (protocol === "mqtts" ? 8883 : 1883)), protocol };
}

/** CONNACK 3, "server unavailable" (MQTT 3.1.1 §3.2.2.3): come back later, after the backoff. */
const SERVER_UNAVAILABLE = 3;

/** A CONNACK refusal that retrying cannot fix (bad credentials, identifier rejected, …). Errors
 * carried by a refusal have a numeric return code; socket errors a string code. */
function isRefusal(err: Error): boolean {
  const code = (err as { code?: unknown }).code;
  return typeof code === "number" && code !== SERVER_UNAVAILABLE;
}

/**
 * Events: "ack" (DeviceAck) for every valid ack, including later assigned/arrived/closed ones;
 * "online" and "offline" when the connection comes and goes; "ready" once, after each connect,
 * the ack subscription is confirmed and the status sent. Never emits "error".
 */
export class SimDevice extends EventEmitter {
  readonly deviceId: string;
  private readonly opts: SimDeviceOptions;
  private readonly log: Logger;
  private client: MqttClient | null = null;
  private heartbeat: NodeJS.Timeout | null = null;
  private readonly outbox: Outbox;
  private readonly received: DeviceAck[] = [];
  private counter = 0;
  private closed = false;
  private wasOnline = false;
  private cancelConnect: ((err: Error) => void) | null = null;
  private battery: number;
  /** Reconnect attempts since the connection was last up. */
  private attempts = 0;
  /** Connection attempts since start: the first, and every reconnect. */
  connectAttempts = 0;
  private retry: NodeJS.Timeout | null = null;

  constructor(opts: SimDeviceOptions) {
    super();
    this.opts = opts;
    this.deviceId = opts.deviceId;
    this.outbox = new Outbox(
      opts.resend ?? DEFAULT_RESEND,
      (payload) => this.publishEvent(payload),
      opts.resendTimers,
    );
    this.log = (opts.logger ?? defaultLogger).child({ deviceId: opts.deviceId });
    this.battery = opts.battery ?? 60 + Math.floor(Math.random() * 41);
  }

  /** True while the MQTT connection is up. */
  get connected(): boolean {
    return this.client?.connected ?? false;
  }

  connect(): Promise<void> {
    if (this.client) return Promise.reject(new Error(`${this.deviceId}: connect() called twice`));
    if (this.closed) return Promise.reject(new Error(`${this.deviceId}: device is closed`));
    const id = this.deviceId;
    const options: IClientOptions = {
      clientId: id,
      username: id,
      password: this.opts.secret,
      clean: false,
      keepalive: 60,
      // mqtt.js retries at a fixed period; this device schedules its own attempts (scheduleRetry).
      reconnectPeriod: 0,
      connectTimeout: 10_000,
      // Each (re)connection attempt goes to the next of these (mqtt.js rotates through them).
      ...(this.opts.fallbackBrokerUrls?.length
        ? { servers: [this.opts.brokerUrl, ...this.opts.fallbackBrokerUrls].map(toServer) }
        : {}),
      // Not retained: the platform stores last-seen and battery, and the broker would drop the
      // flag anyway (docs/protocol.md, "Status is not retained").
      will: {
        topic: topics.status(id),
        payload: Buffer.from(JSON.stringify({ state: "offline" } satisfies DeviceStatus)),
        qos: 1,
        retain: false,
      },
    };
    const client = mqtt.connect(this.opts.brokerUrl, options);
    this.connectAttempts++;
    this.client = client;

    return new Promise<void>((resolve, reject) => {
      let settled = false;
      const timeoutMs = this.opts.connectTimeoutMs ?? 30_000;
      const timer = setTimeout(
        () => fail(new Error(`${id}: not connected within ${timeoutMs} ms`)),
        timeoutMs,
      );
      const fail = (err: Error): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        this.closed = true;
        this.outbox.abort(`${id}: connect failed`);
        client.end(true);
        reject(err);
      };
      this.cancelConnect = fail;

      client.on("connect", (connack) => {
        // Small request/response packets: without this, Nagle's algorithm adds ~40 ms per hop.
        const stream = client.stream as { setNoDelay?: (on: boolean) => unknown } | undefined;
        stream?.setNoDelay?.(true);
        this.attempts = 0;
        this.wasOnline = true;
        this.emit("online");
        void this.onConnected(client, connack.sessionPresent).then((ready) => {
          if (!ready || settled) return;
          settled = true;
          clearTimeout(timer);
          this.cancelConnect = null;
          this.startHeartbeats();
          resolve();
        });
      });
      client.on("message", (topic, payload) => this.onMessage(topic, payload));
      client.on("close", () => {
        this.scheduleRetry(client);
        if (!this.wasOnline) return;
        this.wasOnline = false;
        this.emit("offline");
      });
      client.on("error", (err) => {
        if (!settled && isRefusal(err)) {
          fail(new Error(`${id}: connection refused: ${err.message}`));
          return;
        }
        // Expected while a broker restarts or is busy; the device tries again after its backoff.
        const code = (err as { code?: unknown }).code;
        const level = code === "ECONNREFUSED" || code === SERVER_UNAVAILABLE ? "debug" : "warn";
        this.log[level]({ err: err.message }, "mqtt error");
      });
    });
  }

  /** Presses a button. Resolves on the first ack carrying this press's eventId. */
  press(type: DeviceEventType, extra: PressExtra = {}): Promise<PressResult> {
    if (this.closed) return Promise.reject(new Error(`${this.deviceId}: device is closed`));
    const eventId = extra.eventId ?? `${this.deviceId}-${Date.now().toString(36)}-${++this.counter}`;
    if (this.outbox.has(eventId)) return Promise.reject(new Error(`${eventId} is already pending`));
    const event: DeviceEvent = {
      eventId,
      type,
      at: new Date().toISOString(),
      battery: extra.battery ?? this.battery,
    };
    const service = extra.service ?? (type === "service_request" ? "meal" : undefined);
    if (service !== undefined) event.service = service;
    if (extra.location) event.location = extra.location;
    return this.outbox.add(event);
  }

  /** Presses not yet acknowledged. */
  pending(): number {
    return this.outbox.size;
  }

  /** Every valid ack received, in arrival order. */
  acks(): DeviceAck[] {
    return [...this.received];
  }

  /** Every acknowledged press, in ack order. */
  results(): PressResult[] {
    return this.outbox.results();
  }

  /** Cuts the connection without DISCONNECT (the broker publishes the Last Will); the device
   * then reconnects on its backoff schedule. */
  drop(): void {
    if (this.closed) return;
    this.client?.stream?.destroy();
  }

  /** Skips the rest of the backoff wait and tries to connect now (no-op while connected or
   * while an attempt is under way). */
  reconnectNow(): void {
    const client = this.client;
    if (this.closed || !client || !this.retry) return;
    clearTimeout(this.retry);
    this.retry = null;
    this.connectAttempts++;
    client.reconnect();
  }

  /** Changes the battery level reported from now on (and publishes a status if connected). */
  setBattery(level: number): void {
    this.battery = Math.max(0, Math.min(100, Math.round(level)));
    this.publishStatus();
  }

  /**
   * Stops the device. Pending presses are rejected but still count in pending().
   * force: drop the connection without DISCONNECT, so the broker publishes the Last Will.
   */
  async close(opts: { force?: boolean } = {}): Promise<void> {
    if (this.closed && !this.client) return;
    const cancel = this.cancelConnect;
    this.cancelConnect = null;
    cancel?.(new Error(`${this.deviceId}: closed while connecting`));
    this.closed = true;
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = null;
    if (this.retry) clearTimeout(this.retry);
    this.retry = null;
    this.outbox.abort(`${this.deviceId}: closed`);
    const client = this.client;
    this.client = null;
    if (!client) return;
    const force = opts.force === true || !client.connected;
    await new Promise<void>((resolve) => {
      // A graceful end waits for in-flight publishes; never let that hang a shutdown.
      const fallback = setTimeout(() => {
        client.stream?.destroy();
        resolve();
      }, 2000);
      client.end(force, {}, () => {
        clearTimeout(fallback);
        resolve();
      });
    });
  }

  private async onConnected(client: MqttClient, sessionPresent: boolean): Promise<boolean> {
    // A session the broker kept still holds the subscription: subscribing again would only cost
    // the broker a write (to Redis, in a cluster) per device in a reconnect storm.
    if (!sessionPresent) {
      try {
        await client.subscribeAsync(topics.ack(this.deviceId), { qos: 1 });
      } catch (err) {
        this.log.debug({ err: (err as Error).message }, "subscribe failed; retrying on next connect");
        return false;
      }
    }
    this.publishStatus();
    this.outbox.resendAll();
    this.emit("ready");
    return true;
  }

  /** After every lost connection or failed attempt: the next attempt, after a jittered wait. */
  private scheduleRetry(client: MqttClient): void {
    if (this.closed || this.retry || client !== this.client) return;
    const wait = reconnectDelay(++this.attempts, this.opts.reconnect ?? DEFAULT_RECONNECT);
    this.retry = setTimeout(() => {
      this.retry = null;
      if (this.closed) return;
      this.connectAttempts++;
      client.reconnect();
    }, wait);
  }

  private publishEvent(payload: string): boolean {
    const client = this.client;
    if (this.closed) return false;
    if (!client?.connected) {
      // An alarm waiting for its ack does not wait out the backoff: every resend tries again.
      this.reconnectNow();
      return false;
    }
    client.publish(topics.events(this.deviceId), payload, { qos: 1 }, (err) => {
      if (err) this.log.debug({ err: err.message }, "event publish not completed");
    });
    return true;
  }

  private onMessage(topic: string, payload: Buffer): void {
    if (topic !== topics.ack(this.deviceId)) return;
    const parsed = parsePayload(DeviceAckSchema, payload);
    if (!parsed.ok) {
      this.log.warn({ reason: parsed.reason }, "ignored invalid ack");
      return;
    }
    const ack = parsed.value;
    this.received.push(ack);
    this.outbox.settle(ack);
    this.emit("ack", ack);
  }

  private startHeartbeats(): void {
    const seconds = this.opts.heartbeatSeconds ?? 300;
    if (seconds <= 0 || this.heartbeat) return;
    this.heartbeat = setInterval(() => this.publishStatus(), seconds * 1000);
    this.heartbeat.unref();
  }

  /** Sends one status now; resolves true once the broker acknowledged it (PUBACK), false when
   * the device is offline or the publish did not complete. */
  sendStatus(): Promise<boolean> {
    return new Promise((resolve) => {
      if (!this.publishStatus((err) => resolve(!err))) resolve(false);
    });
  }

  private publishStatus(done?: (err?: Error) => void): boolean {
    const client = this.client;
    if (!client?.connected) return false;
    const status: DeviceStatus = {
      state: "online",
      battery: this.battery,
      signal: 50 + Math.floor(Math.random() * 51),
      at: new Date().toISOString(),
    };
    client.publish(topics.status(this.deviceId), JSON.stringify(status), { qos: 1 }, (err) => {
      if (err) this.log.debug({ err: err.message }, "status not published");
      done?.(err);
    });
    return true;
  }
}
