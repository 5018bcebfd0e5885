// The TCP and WebSocket listeners in front of aedes. Each accepted connection is metered on
// the wire (packets in/out, PUBLISHes in) and inbound packets over the frame limit close it
// before the MQTT parser buffers them. Connections are tracked so stop() can end even those
// that never finished CONNECT, which aedes.close() does not know about.
import {
  createServer as createNetServer,
  type Server as NetServer,
  type AddressInfo,
  type Socket,
} from "node:net";
import { createServer as createHttpServer, type IncomingMessage, type RequestListener } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import { createServer as createTlsServer, type Server as TlsServer } from "node:tls";
import type { Duplex } from "node:stream";
import type { EventEmitter } from "node:events";
import type { Aedes, Client } from "aedes";
import type { Logger } from "pino";
import { WebSocketServer, createWebSocketStream, type RawData, type WebSocket } from "ws";
import { DROPPED_TOPIC } from "./acl.ts";
import { Connection } from "./connection.ts";
import type { FrameMeter } from "./frame-meter.ts";
import { errorMessage } from "./authenticate.ts";
import { rememberRemoteAddress } from "./remote-address.ts";
import type { TlsOptions } from "./tls.ts";
import type { BrokerMetrics } from "./types.ts";

export interface ListenerOptions {
  port: number;
  wsPort: number | null;
  host: string;
  /** Largest packet before the client is authenticated (CONNECT and what it queues). */
  maxPacketBytes: number;
  /** Largest packet of an authenticated client: generous, so an oversized publish is answered
   * (acknowledged and dropped or shortened by the ACL) instead of closing the connection, which a
   * QoS 1 client would answer by resending the same packet after every reconnect. */
  maxAuthenticatedPacketBytes: number;
  /** With a certificate: MQTT over TLS on tlsPort, and the WebSocket listener speaks wss. */
  tls: { options: TlsOptions; port: number } | null;
}

export interface ListenerDeps {
  aedes: Aedes;
  metrics: BrokerMetrics;
  logger: Logger;
}

export interface Listeners {
  port: number;
  wsPort: number | null;
  /** MQTT over TLS, when a certificate is configured. */
  tlsPort: number | null;
  /** Stops accepting; resolves once every server has closed (after destroyAll()). */
  stopAccepting(): Promise<void>;
  /** Ends every connection still open, authenticated or not. */
  destroyAll(): void;
}

/** WebSocket subprotocols of MQTT, in order of preference: "mqtt" for 3.1.1 and 5
 * [MQTT-6.0.0-3], "mqttv3.1" as mqtt.js offers it to MQTT 3.1 (MQIsdp) clients. */
const MQTT_SUBPROTOCOLS = ["mqtt", "mqttv3.1"];

/** Receiver error ws raises for a message above maxPayload (it then closes with 1009). */
const WS_MESSAGE_TOO_LARGE = "WS_ERR_UNSUPPORTED_MESSAGE_LENGTH";

export async function startListeners(opts: ListenerOptions, deps: ListenerDeps): Promise<Listeners> {
  const { aedes, metrics, logger } = deps;
  const open = new Map<Duplex, Connection>();
  aedes.on("client", (client) => {
    const c = open.get(client.conn as Duplex);
    if (c) c.authenticated = true;
  });
  // One listener for every stream: 'close' is emitted with the stream as `this`.
  function closed(this: Duplex): void {
    open.delete(this);
  }
  const sanitize = topicSanitizer(metrics);

  function accept(c: Connection, address: string | undefined, req?: IncomingMessage): void {
    rememberRemoteAddress(c.conn, address);
    open.set(c.conn, c);
    c.conn.once("close", closed);
    sanitizeTopics(aedes.handle(c.conn, req), sanitize);
  }

  /** A TCP stream, plain or decrypted TLS. */
  function acceptStream(socket: Socket): void {
    const c = new Connection(socket, metrics, opts);
    accept(c, socket.remoteAddress);
    // aedes reads in paused mode ('readable'); a 'data' listener then sees exactly the chunks
    // aedes reads, just before it parses them, without switching the socket to flowing mode.
    socket.on("data", c.onData);
  }

  const tcp = createNetServer({ noDelay: true }, acceptStream);
  const tcpPort = await listen(tcp, opts.port, opts.host);
  tcp.on("error", (err) => logger.error({ err: err.message }, "mqtt tcp listener error"));

  let secure: TlsServer | null = null;
  let tlsPort: number | null = null;
  if (opts.tls) {
    secure = createTlsServer({ ...opts.tls.options, noDelay: true }, acceptStream);
    // A failed handshake (a plain client, an untrusted certificate) is the client's problem: logged.
    secure.on("tlsClientError", (err, socket) => {
      logger.debug({ err: err.message, address: socket.remoteAddress }, "mqtt tls handshake failed");
    });
    secure.on("error", (err) => logger.error({ err: err.message }, "mqtt tls listener error"));
    try {
      tlsPort = await listen(secure, opts.tls.port, opts.host);
    } catch (err) {
      await closeServer(tcp);
      throw err;
    }
  }

  let http: ReturnType<typeof createHttpServer> | null = null;
  let wss: WebSocketServer | null = null;
  let wsPort: number | null = null;
  if (opts.wsPort !== null) {
    const upgradeRequired: RequestListener = (_req, res) => {
      res
        .writeHead(426, { "content-type": "text/plain", upgrade: "websocket" })
        .end("MQTT over WebSocket only\n");
    };
    // An https.Server is an http.Server to ws and to the code below.
    http = opts.tls
      ? createHttpsServer(opts.tls.options, upgradeRequired)
      : createHttpServer(upgradeRequired);
    wss = new WebSocketServer({
      server: http,
      // Compression would only cost memory per connection for payloads of a few hundred bytes.
      perMessageDeflate: false,
      // Bounds one WebSocket message. MQTT packets need not align with messages
      // [MQTT-6.0.0-2], so the frame meter below still enforces the packet limit.
      maxPayload: opts.maxAuthenticatedPacketBytes,
      // Only called when the client offers subprotocols. Returning false completes the
      // handshake without one, which clients that asked for a subprotocol refuse; clients
      // that offered none are still served.
      handleProtocols: (offered) => MQTT_SUBPROTOCOLS.find((p) => offered.has(p)) ?? false,
    });
    // Also receives the HTTP server's own errors, which ws re-emits.
    wss.on("error", (err: Error) => logger.error({ err: err.message }, "mqtt websocket listener error"));
    wss.on("connection", (ws: WebSocket, req: IncomingMessage) => {
      // Registered before createWebSocketStream() so each message is metered before it is
      // pushed to the stream: a packet over the limit is refused before aedes can read any of it
      // (a push after destroy() is discarded).
      let c: Connection | null = null;
      ws.on("message", (data: RawData) => {
        if (c) feedWsMessage(c.inbound, data);
      });
      // Errors also reach aedes through the stream (ws destroys it with the same error), where
      // they are logged; this listener only counts a message over maxPayload, which ws refuses
      // before emitting it, so the frame meter never sees it.
      ws.on("error", (err: Error & { code?: string }) => {
        if (err.code === WS_MESSAGE_TOO_LARGE) metrics.oversizedDropped++;
      });
      // A byte stream, whatever the frame type: text frames are passed on as their bytes.
      const stream = createWebSocketStream(ws);
      c = new Connection(stream, metrics, opts, ws);
      accept(c, req.socket.remoteAddress, req);
    });
    try {
      wsPort = await listen(http, opts.wsPort, opts.host);
    } catch (err) {
      wss.close();
      await Promise.all([closeServer(tcp), secure ? closeServer(secure) : Promise.resolve()]);
      throw err;
    }
  }

  let stopped: Promise<void> | null = null;
  return {
    port: tcpPort,
    wsPort,
    tlsPort,
    stopAccepting() {
      stopped ??= Promise.all([
        closeServer(tcp),
        secure ? closeServer(secure) : Promise.resolve(),
        http ? closeServer(http) : Promise.resolve(),
        wss ? new Promise<void>((resolve) => wss.close(() => resolve())) : Promise.resolve(),
      ]).then(() => undefined);
      http?.closeIdleConnections();
      return stopped;
    },
    destroyAll() {
      for (const c of open.values()) {
        try {
          c.kill();
        } catch (err) {
          logger.warn({ err: errorMessage(err) }, "error while closing an mqtt connection");
        }
      }
      open.clear();
      // Every WebSocket is in `open`; this also covers one that failed before it got there.
      for (const ws of wss?.clients ?? []) ws.terminate();
      http?.closeAllConnections();
    },
  };
}

/** Deepest topic aedes routes (its matcher's limit); a deeper one makes aedes close the connection. */
const MAX_TOPIC_LEVELS = 100;

/**
 * aedes closes the connection for a PUBLISH whose topic it refuses (empty, a wildcard, more than
 * 100 levels) before any hook sees it; the client would resend it after every reconnect
 * (§4.4) and be locked out. Such a topic is moved to the drop sink before aedes looks, so the
 * ACL acknowledges and drops it like any other forbidden publish [MQTT-3.3.5-2].
 */
function sanitizeTopics(client: Client, sanitize: (packet: ParsedPacket) => void): void {
  const parser = (client as unknown as { _parser?: EventEmitter })._parser;
  parser?.prependListener("packet", sanitize);
}

interface ParsedPacket {
  cmd?: string;
  topic?: unknown;
}

/** One listener shared by every connection's parser. */
function topicSanitizer(metrics: BrokerMetrics): (packet: ParsedPacket) => void {
  return (packet) => {
    if (packet.cmd !== "publish" || typeof packet.topic !== "string") return;
    const t = packet.topic;
    // Only a topic of 100 characters or more can have more than 100 levels: no split per message.
    const shallow = t.length < MAX_TOPIC_LEVELS || t.split("/").length <= MAX_TOPIC_LEVELS;
    if (t.length > 0 && !/[#+]/.test(t) && shallow) return;
    metrics.invalidTopics++;
    packet.topic = DROPPED_TOPIC;
  };
}

/** With the default binaryType ("nodebuffer") ws delivers every message, binary or text, as
 * one Buffer; the other shapes of RawData are handled for completeness. */
function feedWsMessage(meter: FrameMeter, data: RawData): void {
  if (Array.isArray(data)) for (const part of data) meter.feed(part);
  else if (data instanceof ArrayBuffer) meter.feed(new Uint8Array(data));
  else meter.feed(data);
}

function listen(server: NetServer, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function closeServer(server: NetServer): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}
