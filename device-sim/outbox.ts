// Events a device has sent but the platform has not acknowledged yet. Each one is resent with
// the same eventId, with backoff, until an ack carrying that eventId settles it.
import { performance } from "node:perf_hooks";
import type { DeviceAck, DeviceEvent, DeviceEventType } from "../protocol/mqtt.ts";
import { realTimers, resendDelay, type ResendPolicy, type Timers } from "./backoff.ts";

export interface PressResult {
  eventId: string;
  type: DeviceEventType;
  /** Epoch ms when press() was called (the moment the resident pressed). */
  sentAt: number;
  /** Epoch ms when the matching ack arrived. */
  ackedAt: number;
  /** Press → ack, measured with a monotonic clock. */
  latencyMs: number;
  /** Copies of the event actually published. */
  attempts: number;
  ack: DeviceAck;
}

interface Entry {
  event: DeviceEvent;
  payload: string;
  sentAt: number;
  startedAt: number;
  attempts: number;
  timer: unknown;
  resolve(result: PressResult): void;
  reject(error: Error): void;
}

/** `send` publishes one copy and returns false when it could not (offline): that is no attempt. */
export type SendCopy = (payload: string) => boolean;

export class Outbox {
  private readonly entries = new Map<string, Entry>();
  private readonly settled: PressResult[] = [];
  private stopped = false;

  constructor(
    private readonly policy: ResendPolicy,
    private readonly send: SendCopy,
    private readonly timers: Timers = realTimers,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  has(eventId: string): boolean {
    return this.entries.has(eventId);
  }

  results(): PressResult[] {
    return [...this.settled];
  }

  /** Sends the first copy now and keeps resending until settle() or abort(). */
  add(event: DeviceEvent): Promise<PressResult> {
    const promise = new Promise<PressResult>((resolve, reject) => {
      const entry: Entry = {
        event,
        payload: JSON.stringify(event),
        sentAt: Date.now(),
        startedAt: performance.now(),
        attempts: 0,
        timer: null,
        resolve,
        reject,
      };
      this.entries.set(event.eventId, entry);
      this.sendCopy(entry);
      this.arm(entry);
    });
    // A caller that drops the promise must not crash the process when abort() rejects it.
    promise.catch(() => undefined);
    return promise;
  }

  /** After a reconnect: do not wait for the backoff, resend everything pending right away. */
  resendAll(): void {
    for (const entry of this.entries.values()) {
      if (entry.timer !== null) this.timers.clearTimeout(entry.timer);
      this.sendCopy(entry);
      this.arm(entry);
    }
  }

  /** Settles the press this ack answers; null when it answers none that is pending. */
  settle(ack: DeviceAck): PressResult | null {
    const entry = this.entries.get(ack.eventId);
    if (!entry) return null;
    if (entry.timer !== null) this.timers.clearTimeout(entry.timer);
    this.entries.delete(ack.eventId);
    const result: PressResult = {
      eventId: ack.eventId,
      type: entry.event.type,
      sentAt: entry.sentAt,
      ackedAt: Date.now(),
      latencyMs: Math.round((performance.now() - entry.startedAt) * 100) / 100,
      attempts: entry.attempts,
      ack,
    };
    this.settled.push(result);
    entry.resolve(result);
    return result;
  }

  /** Stops resending and rejects every pending press; they stay counted in `size`. */
  abort(reason: string): void {
    this.stopped = true;
    for (const entry of this.entries.values()) {
      if (entry.timer !== null) this.timers.clearTimeout(entry.timer);
      entry.timer = null;
      entry.reject(new Error(`${reason} before ${entry.event.eventId} was acknowledged`));
    }
  }

  private sendCopy(entry: Entry): void {
    if (this.stopped) return;
    if (this.send(entry.payload)) entry.attempts += 1;
  }

  private arm(entry: Entry): void {
    if (this.stopped) return;
    entry.timer = this.timers.setTimeout(
      () => {
        entry.timer = null;
        if (this.stopped || this.entries.get(entry.event.eventId) !== entry) return;
        this.sendCopy(entry);
        this.arm(entry);
      },
      resendDelay(Math.max(1, entry.attempts), this.policy),
    );
  }
}
