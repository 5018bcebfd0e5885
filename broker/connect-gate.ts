// Admission control for CONNECT: at most `maxInProgress` device handshakes run at once, the
// rest wait in arrival order, and one that waited longer than `maxWaitMs` is refused with
// "server unavailable" (MQTT 3.1.1 §3.2.2.3, return code 3). Without it, a reconnect storm
// interleaves every handshake with every other, so each takes as long as all of them together:
// 19,000 devices cut off at once waited past their connect timeout, gave up and tried again,
// 2.6 attempts each, and the fleet was back after more than a minute. With the gate the first
// devices are back at once, and the refused ones retry after their jittered backoff instead of
// after a timeout (docs/protocol.md, "Reconnecting").
import type { Duplex } from "node:stream";
import type { Client } from "aedes";

export interface ConnectGateOptions {
  maxInProgress: number;
  maxWaitMs: number;
  now?: () => number;
}

interface Waiting {
  client: Client;
  since: number;
  proceed(): void;
  refuse(): void;
}

export class ConnectGate {
  private readonly running = new Set<Client>();
  private queue: Waiting[] = [];
  private head = 0;
  private sweeper: NodeJS.Timeout | null = null;
  private readonly now: () => number;
  /** One listener for every connection: a handshake whose connection closes loses its turn.
   * aedes links each connection to its client (`conn.client`, lib/client.js). */
  private readonly closed: (this: Duplex) => void;
  refused = 0;

  constructor(private readonly opts: ConnectGateOptions) {
    if (!(opts.maxInProgress >= 1 && opts.maxWaitMs >= 0)) {
      throw new RangeError(`connect gate needs maxInProgress >= 1 and maxWaitMs >= 0`);
    }
    this.now = opts.now ?? Date.now;
    const leave = (client: Client) => this.leave(client);
    this.closed = function (this: Duplex) {
      const client = (this as Duplex & { client?: Client }).client;
      if (client) leave(client);
    };
  }

  /** Handshakes waiting for a turn. */
  get waiting(): number {
    return this.queue.length - this.head;
  }

  /** Calls `proceed` now or when a turn frees up, or `refuse` once it waited too long. */
  enter(client: Client, proceed: () => void, refuse: () => void): void {
    client.conn.once("close", this.closed);
    if (this.running.size < this.opts.maxInProgress && this.waiting === 0) {
      this.running.add(client);
      return proceed();
    }
    this.queue.push({ client, since: this.now(), proceed, refuse });
    this.sweeper ??= setInterval(() => this.sweep(), Math.max(50, this.opts.maxWaitMs / 4));
    this.sweeper.unref();
  }

  /** The handshake of `client` is over (answered, failed, or its connection closed). */
  leave(client: Client): void {
    if (!this.running.delete(client)) return;
    this.next();
  }

  private next(): void {
    while (this.running.size < this.opts.maxInProgress && this.waiting > 0) {
      const w = this.take();
      if (w.client.conn.destroyed) continue; // gave up while waiting
      if (this.now() - w.since > this.opts.maxWaitMs) {
        this.refuse(w);
        continue;
      }
      this.running.add(w.client);
      w.proceed();
    }
  }

  private sweep(): void {
    const t = this.now();
    while (this.waiting > 0 && t - this.queue[this.head]!.since > this.opts.maxWaitMs)
      this.refuse(this.take());
    if (this.waiting === 0 && this.sweeper) {
      clearInterval(this.sweeper);
      this.sweeper = null;
    }
  }

  private refuse(w: Waiting): void {
    if (w.client.conn.destroyed) return;
    this.refused++;
    w.refuse();
  }

  private take(): Waiting {
    const w = this.queue[this.head++]!;
    // Drop the consumed front now and then rather than shifting on every take.
    if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
    return w;
  }

  close(): void {
    if (this.sweeper) clearInterval(this.sweeper);
    this.sweeper = null;
  }
}
