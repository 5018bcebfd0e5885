// One accepted connection, as the listeners see it: the wire metered in both directions, and a
// way to end it. Written as classes with methods rather than per-connection closures: under tsx
// every closure stored in an object property also gets a property table of its own (esbuild's
// keepNames), about 250 bytes each, which for 19,000 idle devices is memory for nothing.
import type { Duplex } from "node:stream";
import { FrameMeter, PACKET_TYPE_PUBLISH, type FrameMeterOptions } from "./frame-meter.ts";
import type { BrokerMetrics } from "./types.ts";

type Write = (chunk: unknown, encoding?: unknown, cb?: unknown) => boolean;

/** Largest inbound packet before and after the client is authenticated; one object per listener. */
export interface PacketLimits {
  maxPacketBytes: number;
  maxAuthenticatedPacketBytes: number;
}

export class Connection implements FrameMeterOptions {
  readonly inbound: FrameMeter;
  /** `inbound.feed`, bound once for the stream's 'data' event. */
  readonly onData: (chunk: Uint8Array) => void;
  private readonly outbound: FrameMeter;
  /** The stream's own write, under the metered one. */
  private readonly send: Write;
  /** Set once aedes has accepted the CONNECT: the larger packet limit applies from then on. */
  authenticated = false;

  constructor(
    readonly conn: Duplex,
    private readonly metrics: BrokerMetrics,
    private readonly limits: PacketLimits,
    /** Ends the transport under the stream too (a WebSocket under its byte stream). */
    private readonly under?: { terminate(): void },
  ) {
    this.inbound = new FrameMeter(this);
    this.onData = this.inbound.feed.bind(this.inbound);
    this.outbound = new FrameMeter(packetsOut(metrics));
    this.send = conn.write.bind(conn) as Write;
    conn.write = this.write.bind(this) as Duplex["write"];
  }

  get maxPacketBytes(): number {
    return this.authenticated ? this.limits.maxAuthenticatedPacketBytes : this.limits.maxPacketBytes;
  }

  onFrame(type: number): void {
    this.metrics.packetsIn++;
    if (type === PACKET_TYPE_PUBLISH) this.metrics.publishesIn++;
  }

  onViolation(kind: "too-large" | "malformed", message: string): void {
    if (kind === "too-large") this.metrics.oversizedDropped++;
    // Surfaces in aedes as clientError / connectionError, where it is logged.
    this.conn.destroy(new Error(`inbound ${message}`));
    this.kill();
  }

  kill(): void {
    this.conn.destroy();
    this.under?.terminate();
  }

  /** Every chunk of every packet sent passes here: fixed arity, no rest/spread. */
  private write(chunk: unknown, encoding?: unknown, cb?: unknown): boolean {
    if (typeof chunk === "string")
      this.outbound.feed(chunk, typeof encoding === "string" ? (encoding as BufferEncoding) : "utf8");
    else if (chunk instanceof Uint8Array) this.outbound.feed(chunk);
    return this.send(chunk, encoding, cb);
  }
}

/** Counts outbound MQTT packets (mqtt-packet writes each packet as several chunks); one per broker. */
class PacketsOut implements FrameMeterOptions {
  constructor(private readonly metrics: BrokerMetrics) {}
  onFrame(): void {
    this.metrics.packetsOut++;
  }
}

const sinks = new WeakMap<BrokerMetrics, PacketsOut>();

function packetsOut(metrics: BrokerMetrics): PacketsOut {
  let sink = sinks.get(metrics);
  if (!sink) sinks.set(metrics, (sink = new PacketsOut(metrics)));
  return sink;
}
