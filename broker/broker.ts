// The MQTT broker: aedes with device authentication, a per-device ACL, payload and frame
// limits, TCP and WebSocket listeners, metrics. Runs embedded in the dispatcher or alone
// (broker/main.ts). Failures are logged events, never crashes.
import { Aedes } from "aedes";
import pino, { type Logger } from "pino";
import { MAX_DEVICE_PAYLOAD_BYTES } from "../protocol/mqtt.ts";
import { createAuthorizePublish, createAuthorizeSubscribe } from "./acl.ts";
import type { DeviceAccounts } from "./accounts.ts";
import { createAuthenticate } from "./authenticate.ts";
import { CredentialCache } from "./credential-cache.ts";
import { createEmbeddedAccounts } from "./embedded-accounts.ts";
import { ServiceUsers, type IdentityMap } from "./identity.ts";
import { startListeners, type Listeners } from "./listeners.ts";
import type { TlsOptions } from "./tls.ts";
import { observe } from "./observe.ts";
import { createPreConnect } from "./pre-connect.ts";
import { emptyMetrics, type BrokerMetrics, type DeviceCredentialLookup } from "./types.ts";

export type { BrokerMetrics, DeviceCredentialLookup } from "./types.ts";
export type { DeviceAccounts } from "./accounts.ts";

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
  logger?: Logger;
  /** Clock of the credential cache (tests move it instead of waiting). */
  now?: () => number;
}

export interface RunningBroker {
  port: number;
  wsPort: number | null;
  /** MQTT over TLS, null when no certificate is configured. */
  tlsPort: number | null;
  /** Tells the broker about a device enrolled, given a new secret, or retired (accounts.ts). */
  accounts: DeviceAccounts;
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

  const aedes = await Aedes.createBroker({
    // Device ids may be up to 64 characters; aedes applies its 23-character default only to
    // MQTT 3.1 clients (3.1.1 lets the server accept longer ids, §3.1.3.1).
    maxClientsIdLength: 64,
    preConnect: createPreConnect({ serviceUsers, maxPayloadBytes, metrics, logger }),
    authenticate: createAuthenticate({ serviceUsers, credentials, identities, metrics, logger }),
    authorizePublish: createAuthorizePublish({ identities, maxPayloadBytes, metrics, logger }),
    authorizeSubscribe: createAuthorizeSubscribe({ identities, metrics, logger }),
  });
  observe(aedes, metrics, logger);
  const accounts = createEmbeddedAccounts({ aedes, credentials, identities, logger, now: opts.now });

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
    metrics: () => ({ ...metrics, connectedClients: aedes.connectedClients }),
    stop() {
      stopping ??= (async () => {
        const serversClosed = listeners.stopAccepting();
        // Closes every registered client (publishing their wills) and the message router.
        await new Promise<void>((resolve) => aedes.close(() => resolve()));
        listeners.destroyAll();
        await serversClosed;
        logger.info("mqtt broker stopped");
      })();
      return stopping;
    },
  };
}
