// Messages between a benchmark and its fleet worker processes (fleet.ts ↔ fleet-worker.ts).
// Times are epoch milliseconds with sub-millisecond precision (performance.timeOrigin + now()),
// comparable across processes on one machine.

export interface ConnectRequest {
  op: "connect";
  brokerUrl: string;
  ids: string[];
  secret: string;
  /** Handshakes in flight at once; Infinity = all at once. */
  concurrency: number;
  heartbeatSeconds: number;
}

export interface PlannedPress {
  deviceId: string;
  /** Epoch ms at which to press. */
  at: number;
}

export type Request =
  | ConnectRequest
  /** Cut every connection without DISCONNECT; answers when every device has seen it. */
  | { op: "drop" }
  /** Answers when every device that is away is ready again. now: every one of them reconnects at
   * once, skipping its backoff (the worst storm); otherwise each comes back on its own jittered
   * backoff schedule, as after a real outage. */
  | { op: "reconnect"; timeoutMs: number; now: boolean }
  /** Every device sends QoS 1 statuses back to back (the next after the PUBACK) until `until`;
   * acks that arrive from `countFrom` until then are also counted apart (after a warm-up). */
  | { op: "flood"; until: number; countFrom: number }
  | { op: "press"; plan: PlannedPress[]; timeoutMs: number }
  /** How many devices are connected right now. */
  | { op: "count" }
  | { op: "close" };

export interface PressOutcome {
  deviceId: string;
  eventId: string;
  /** Epoch ms of the press. */
  pressedAt: number;
  /** Press → ack; null when no ack came in time (lost). */
  ackMs: number | null;
  attempts: number;
}

export type Reply =
  | { op: "connect"; readyAt: number[]; failed: string[] }
  | { op: "drop"; offlineAt: number[] }
  /** attempts: connection attempts the devices made during the storm (≥ one each). */
  | { op: "reconnect"; readyAt: number[]; notReady: number; attempts: number }
  | { op: "flood"; sent: number; acked: number; ackedInWindow: number }
  | { op: "press"; outcomes: PressOutcome[] }
  /** offline: the ids of the devices not connected right now. */
  | { op: "count"; online: number; offline: string[] }
  | { op: "close" };

export interface Envelope<T> {
  id: number;
  body: T;
  error?: string;
}

export const now = (): number => performance.timeOrigin + performance.now();
