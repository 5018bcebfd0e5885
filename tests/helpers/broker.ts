// Real aedes brokers on free local ports and real mqtt.js clients talking to them, for the broker
// tests. Device credentials come from an in-memory map of hashed secrets: the database seam.
import mqtt, { type IClientOptions, type MqttClient } from "mqtt";
import pino from "pino";
import { createBroker, type BrokerOptions, type RunningBroker } from "../../broker/broker.ts";
import { hashDeviceSecret } from "../../broker/device-secret.ts";

/** The service account every test broker accepts. */
export const SERVICE = { username: "dispatcher", password: "service-password-1" };

/** The secret a test device is registered with. */
export const secretOf = (id: string) => `secret-of-${id}`;

/** Connect options for device `id`: its own client id, username and secret, unless `opts` says otherwise. */
export const asDevice = (id: string, opts: IClientOptions = {}): IClientOptions => ({
  clientId: id,
  username: id,
  password: secretOf(id),
  ...opts,
});

/** An SOS event payload as a device publishes it. */
export const eventPayload = (eventId: string) =>
  JSON.stringify({ eventId, type: "sos", at: "2025-01-01T08:00:00+08:00" });

export interface TestBroker {
  broker: RunningBroker;
  /** mqtt:// address of its TCP listener. */
  url: string;
  /** How many times the credentials of each device id were looked up. */
  lookups: Map<string, number>;
}

/**
 * Starts brokers and connects clients for one test file; `cleanup()` (for `afterEach`) ends every
 * client and then stops every broker started since the last cleanup.
 */
export function testBrokers() {
  let brokers: RunningBroker[] = [];
  let clients: MqttClient[] = [];

  /**
   * A silent broker on 127.0.0.1, TCP on a free port and no WebSocket unless `extra` says
   * otherwise, that knows the devices `deviceIds` (secret: `secretOf(id)`) and the SERVICE user.
   */
  async function start(
    deviceIds: readonly string[],
    extra: Partial<BrokerOptions> = {},
  ): Promise<TestBroker> {
    const hashes = new Map(deviceIds.map((id) => [id, hashDeviceSecret(secretOf(id))]));
    const lookups = new Map<string, number>();
    const broker = await createBroker({
      port: 0,
      wsPort: null,
      host: "127.0.0.1",
      serviceUsers: [SERVICE],
      logger: pino({ level: "silent" }),
      lookupDevice: (id) => {
        lookups.set(id, (lookups.get(id) ?? 0) + 1);
        const secretHash = hashes.get(id);
        return Promise.resolve(secretHash ? { secretHash } : null);
      },
      ...extra,
    });
    brokers.push(broker);
    return { broker, lookups, url: `mqtt://127.0.0.1:${broker.port}` };
  }

  /** Connects without retrying: resolves once connected, rejects on a refused CONNECT. */
  async function connect(url: string, opts: IClientOptions): Promise<MqttClient> {
    return track(await mqtt.connectAsync(url, { reconnectPeriod: 0, connectTimeout: 5000, ...opts }));
  }

  /** Ends `client` at cleanup too (for clients connected some other way). */
  function track(client: MqttClient): MqttClient {
    clients.push(client);
    return client;
  }

  async function cleanup(): Promise<void> {
    await Promise.all(clients.map((c) => c.endAsync(true)));
    clients = [];
    for (const b of brokers) await b.stop();
    brokers = [];
  }

  return { start, connect, track, cleanup };
}
