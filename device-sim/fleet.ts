// A fleet of simulated call devices: bounded-concurrency connect, press bursts and statistics.
import type { DeviceEventType } from "../protocol/mqtt.ts";
import type { ResendPolicy } from "./backoff.ts";
import { SimDevice, type PressResult } from "./device.ts";
import type { Logger } from "./logger.ts";
import type { ReconnectPolicy } from "./reconnect.ts";
import { summarize, type FleetSummary } from "./summary.ts";

export { summarize, type FleetSummary };

export interface FleetOptions {
  brokerUrl: string;
  /** Other nodes of the same broker cluster, tried in turn when a device loses its connection. */
  fallbackBrokerUrls?: string[];
  deviceIds: string[];
  /** One secret shared by every device (the demo seed gives all devices the same one). */
  secret: string;
  heartbeatSeconds?: number;
  /** Connections opened at once; default 200. */
  connectConcurrency?: number;
  resend?: ResendPolicy;
  reconnect?: ReconnectPolicy;
  connectTimeoutMs?: number;
  logger?: Logger;
}

export interface BurstOptions {
  /** Stop waiting after this long; unacked presses then stay pending and count as lost. */
  timeoutMs?: number;
}

/** The seeded demo device ids: "BJ-00001", "BJ-00002", … (5 digits). */
export function deviceIds(count: number, from = 1): string[] {
  return Array.from({ length: Math.max(0, count) }, (_, i) => `BJ-${String(from + i).padStart(5, "0")}`);
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class DeviceFleet {
  readonly devices: SimDevice[];
  private readonly concurrency: number;
  private cursor = 0;

  constructor(opts: FleetOptions) {
    this.concurrency = Math.max(1, opts.connectConcurrency ?? 200);
    this.devices = opts.deviceIds.map(
      (deviceId) =>
        new SimDevice({
          brokerUrl: opts.brokerUrl,
          ...(opts.fallbackBrokerUrls ? { fallbackBrokerUrls: opts.fallbackBrokerUrls } : {}),
          deviceId,
          secret: opts.secret,
          ...(opts.heartbeatSeconds !== undefined ? { heartbeatSeconds: opts.heartbeatSeconds } : {}),
          ...(opts.resend ? { resend: opts.resend } : {}),
          ...(opts.reconnect ? { reconnect: opts.reconnect } : {}),
          ...(opts.connectTimeoutMs !== undefined ? { connectTimeoutMs: opts.connectTimeoutMs } : {}),
          ...(opts.logger ? { logger: opts.logger } : {}),
        }),
    );
  }

  /** Connects every device, at most `connectConcurrency` handshakes at a time. Rejects if any failed. */
  async connect(): Promise<void> {
    const failures: Error[] = [];
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < this.devices.length) {
        const device = this.devices[next++]!;
        try {
          await device.connect();
        } catch (err) {
          failures.push(err as Error);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.concurrency, this.devices.length) }, worker));
    if (failures.length > 0) {
      throw new AggregateError(
        failures,
        `${failures.length} of ${this.devices.length} devices failed to connect: ${failures[0]!.message}`,
      );
    }
  }

  /** Cuts every connection without DISCONNECT, as a network outage would. */
  drop(): void {
    for (const d of this.devices) d.drop();
  }

  /** Every disconnected device tries at once, skipping its backoff: the worst reconnect storm. */
  reconnectNow(): void {
    for (const d of this.devices) d.reconnectNow();
  }

  /** Devices whose MQTT connection is up right now. */
  online(): number {
    return this.devices.reduce((n, d) => n + (d.connected ? 1 : 0), 0);
  }

  /**
   * `count` presses spread uniformly over `withinMs`, each from the next device in turn
   * (round-robin when count exceeds the fleet). Resolves with the acked presses, in press order.
   */
  async burst(
    count: number,
    withinMs: number,
    type: DeviceEventType = "sos",
    opts: BurstOptions = {},
  ): Promise<PressResult[]> {
    if (this.devices.length === 0 || count <= 0) return [];
    const gap = withinMs / count;
    const started = Date.now();
    const presses: Promise<PressResult>[] = [];
    for (let i = 0; i < count; i++) {
      const wait = started + i * gap - Date.now();
      if (wait >= 1) await sleep(wait);
      const device = this.devices[this.cursor++ % this.devices.length]!;
      presses.push(device.press(type));
    }
    if (opts.timeoutMs === undefined) return Promise.all(presses);
    const acked: (PressResult | undefined)[] = [];
    const all = Promise.all(
      presses.map((p, i) =>
        p.then(
          (r) => void (acked[i] = r),
          () => undefined,
        ),
      ),
    );
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([all, new Promise<void>((resolve) => (timer = setTimeout(resolve, opts.timeoutMs)))]);
    clearTimeout(timer);
    return acked.filter((r): r is PressResult => r !== undefined);
  }

  /** Statistics over every press made by any device of the fleet (burst or direct). */
  summary(): FleetSummary {
    const results = this.devices.flatMap((d) => d.results());
    const pending = this.devices.reduce((n, d) => n + d.pending(), 0);
    return summarize(results, pending);
  }

  async close(opts: { force?: boolean } = {}): Promise<void> {
    await Promise.all(this.devices.map((d) => d.close(opts)));
  }
}
