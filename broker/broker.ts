// The MQTT broker: aedes with device authentication, a per-device ACL, payload and frame
// limits, TCP and WebSocket listeners, metrics. Runs embedded in the dispatcher or alone
// (broker/main.ts). Failures are logged events, never crashes.
import { Aedes } from "aedes";
import pino, { type Logger } from "pino";
import { MAX_DEVICE_PAYLOAD_BYTES } from "../protocol/mqtt.ts";
import { createAuthorizePublish, createAuthorizeSubscribe } from "./acl.ts";
import type { DeviceAccounts } from "./accounts.ts";
import { createAuthenticate } from "./authenticate.ts";
import type { BrokerCluster } from "./cluster.ts";
import { ConnectGate } from "./connect-gate.ts";
import { CredentialCache } from "./credential-cache.ts";
import { createEmbeddedAccounts } from "./embedded-accounts.ts";
import { EmbeddedPersistence } from "./embedded-persistence.ts";
import { createFlowControl, type FlowControl, type FlowLimits } from "./flow-control.ts";
import { ServiceUsers, type IdentityMap } from "./identity.ts";
import { startListeners, type Listeners } from "./listeners.ts";
import type { TlsOptions } from "./tls.ts";
import { observe } from "./observe.ts";
import { createLocalClient, type LocalClient } from "./local-client.ts";
import { createPreConnect } from "./pre-connect.ts";
import { emptyMetrics, type BrokerMetrics, type DeviceCredentialLookup } from "./types.ts";

export type { BrokerMetrics, DeviceCredentialLookup } from "./types.ts";
export type { DeviceAccounts } from "./accounts.ts";
export type { LocalClient } from "./local-client.ts";

export interface BrokerOptions {
  /** TCP port, 0 = any free port. */
  port: number;
  /** MQTT over WebSocket, 0 = any free port, null = off. */
  wsPort: number | null;
  /** Default "0.0.0.0". */
  host?: string;
  /** MQTT over TLS on its own port (0 = any free port) and wss on wsPort; default off. */
  tls?: { options: TlsOptions; port: number } | null;
  lookupDevice: DeviceCredentialLookup;
  /** Full rights (the dispatcher). */
  serviceUsers: { username: string; password: string }[];
  /** Largest payload a device may publish; larger ones are dropped. Service users are exempt. */
  maxPayloadBytes?: number;
  /** How long device lookups (found or not) are cached. Default 60 s. */
  authCacheTtlMs?: number;
  /** When device publishes are held back (flow-control.ts). Default 250 per turn of the event
   * loop, router backlog 1,000 / 500. */
  flow?: FlowLimits;
  /** Device handshakes run at once, and how long one may wait for a turn before it is told to
   * come back later (connect-gate.ts). Default 200 / 8,000 ms. */
  connectGate?: { maxInProgress: number; maxWaitMs: number };
  logger?: Logger;
  /** Clock of the credential cache (tests move it instead of waiting). */
  now?: () => number;
  /** One node of a broker cluster (broker/cluster.ts): messages and sessions go through Redis. */
  cluster?: BrokerCluster;
}

export interface RunningBroker {
  port: number;
  wsPort: number | null;
  /** MQTT over TLS, null when no certificate is configured. */
  tlsPort: number | null;
  /** Tell the broker about a device created, given a new secret, or retired (accounts.ts). */
  accounts: DeviceAccounts;
  /** The embedding process's own in-process client (local-client.ts). */
  local: LocalClient;
  metrics(): BrokerMetrics;
  stop(): Promise<void>;
}

/** Floor of the transport frame limit before a client is authenticated: far above any CONNECT
 * of this protocol, far below what could hurt memory per connection. */
export const MIN_FRAME_LIMIT_BYTES = 64 * 1024;
/** Frame limit of an authenticated client: a publish up to this size is answered (acknowledged,
 * shortened or dropped), so a device that sent one is not locked in a reconnect loop. Only larger
 * packets close the connection (docs/protocol.md, "Limits"). */
export const AUTHENTICATED_FRAME_LIMIT_BYTES = 1024 * 1024;

/** A backlog of 1,000 messages is about a tenth of a second of the router's work on a small
 * machine: enough to keep it busy, too little to hold an alarm up noticeably. */
const DEFAULT_FLOW: FlowLimits = { perTurn: 250, high: 1000, low: 500 };

/** A turn for 200 handshakes keeps the broker busy; 8 s in line is inside the 10–30 s a device
 * waits for its CONNACK, so a deferred one hears back before it gives up. */
const DEFAULT_CONNECT_GATE = { maxInProgress: 200, maxWaitMs: 8000 };

const DEFAULTS = {
  host: "0.0.0.0",
  maxPayloadBytes: MAX_DEVICE_PAYLOAD_BYTES,
  authCacheTtlMs: 60_000,
  now: Date.now,
} as const;

export async function createBroker(options: BrokerOptions): Promise<RunningBroker> {
  const opts = { ...DEFAULTS, ...options };
  const logger = opts.logger ?? pino({ name: "broker" });
  const { maxPayloadBytes } = opts;
  if (!Number.isInteger(maxPayloadBytes) || maxPayloadBytes < 0) {
    throw new RangeError(`maxPayloadBytes must be a non-negative integer, got ${maxPayloadBytes}`);
  }
  const metrics = emptyMetrics();
  const identities: IdentityMap = new WeakMap();
  const serviceUsers = new ServiceUsers(opts.serviceUsers);
  const credentials = new CredentialCache({
    lookup: opts.lookupDevice,
    ttlMs: opts.authCacheTtlMs,
    now: opts.now,
  });

  let flow: FlowControl | null = null;
  const gate = new ConnectGate(opts.connectGate ?? DEFAULT_CONNECT_GATE);
  const aedes = await Aedes.createBroker({
    // Device ids may be up to 64 characters; aedes applies its 23-character default only to
    // MQTT 3.1 clients (3.1.1 lets the server accept longer ids, §3.1.3.1).
    maxClientsIdLength: 64,
    ...(opts.cluster
      ? { mq: opts.cluster.mq, persistence: opts.cluster.persistence }
      : { persistence: new EmbeddedPersistence() }),
    // No cap on messages the router delivers at once (aedes' default is 100): above the cap
    // mqemitter queues in an array it shifts per message, which under a heartbeat flood took a
    // fifth of the broker's CPU and delayed every delivery behind it. Flow control bounds the
    // router instead, by pushing back on the publishing devices.
    concurrency: 0,
    preConnect: createPreConnect({ serviceUsers, maxPayloadBytes, metrics, logger }),
    authenticate: createAuthenticate({ serviceUsers, credentials, identities, gate, metrics, logger }),
    authorizePublish: createAuthorizePublish({
      identities,
      maxPayloadBytes,
      metrics,
      logger,
      admit: (proceed) => (flow ? flow.admit(proceed) : proceed()),
    }),
    authorizeSubscribe: createAuthorizeSubscribe({ identities, metrics, logger }),
  });
  flow = createFlowControl(aedes, opts.flow ?? DEFAULT_FLOW, metrics);
  // A handshake's turn ends when it is answered or fails (a closed connection fails it).
  aedes.on("connackSent", (_packet, client) => gate.leave(client));
  aedes.on("clientError", (client) => gate.leave(client));
  aedes.on("connectionError", (client) => gate.leave(client));
  observe(aedes, metrics, logger);
  const accounts = createEmbeddedAccounts({ aedes, credentials, identities, logger });

  let listeners: Listeners;
  try {
    listeners = await startListeners(
      {
        port: opts.port,
        wsPort: opts.wsPort,
        host: opts.host,
        tls: opts.tls ?? null,
        maxPacketBytes: Math.max(MIN_FRAME_LIMIT_BYTES, maxPayloadBytes + 4096),
        maxAuthenticatedPacketBytes: Math.max(AUTHENTICATED_FRAME_LIMIT_BYTES, maxPayloadBytes + 4096),
      },
      { aedes, metrics, logger },
    );
  } catch (err) {
    await new Promise<void>((resolve) => aedes.close(() => resolve()));
    await opts.cluster?.close();
    throw err;
  }
  logger.info(
    { port: listeners.port, wsPort: listeners.wsPort, tlsPort: listeners.tlsPort },
    "mqtt broker listening",
  );

  let stopping: Promise<void> | null = null;
  return {
    port: listeners.port,
    wsPort: listeners.wsPort,
    tlsPort: listeners.tlsPort,
    accounts,
    local: createLocalClient(aedes),
    metrics: () => ({ ...metrics, connectedClients: aedes.connectedClients, heldPublishes: flow.held }),
    stop() {
      stopping ??= (async () => {
        const serversClosed = listeners.stopAccepting();
        gate.close();
        // Closes every registered client (publishing their wills) and the message router.
        await new Promise<void>((resolve) => aedes.close(() => resolve()));
        listeners.destroyAll();
        await serversClosed;
        await opts.cluster?.close();
        logger.info("mqtt broker stopped");
      })();
      return stopping;
    },
  };
}
