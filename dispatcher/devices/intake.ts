// Device events → one commit per batch → announcements at once, acks once the commit is on disk.
// Group commit: the events that arrive while a commit runs (and within GROUP_COMMIT_MS, if set)
// share the next write transaction, each in its own savepoint so one bad event cannot sink the
// others. One batch is committed at a time; what arrives meanwhile is the next batch (committed
// while the previous one's flush still runs, so flushes are shared too), and a resend of an event
// still waiting is not handled again (it is answered with the first). So a storm of resends (after
// a failover, devices resend every second or two) makes bigger batches, not a queue of small ones
// in front of the timers' turns.
// Each event is acknowledged only after its commit is durable; the consoles and phones hear of
// the cases as soon as it is committed (docs/decisions/0019-the-log-flushed-off-the-event-loop.md).
// Idempotent on (deviceId, eventId): a resend gets the same answer and changes nothing.
// What an event means for cases is the cases feature's business (its press rule).
// When the database cannot commit or flush, nothing is acknowledged: the batch is held and retried
// with backoff (and the devices resend meanwhile), so every press is stored once storage recovers.
import type { Logger } from "pino";
import type {
  AckStatus,
  DeviceAck,
  DeviceEventType,
  DeviceFault,
  EventRejectReason,
} from "../../protocol/index.ts";
import { isDeviceEventOutcome, type DeviceEventOutcome, type PressContext } from "../cases/press-rule.ts";
import type { CaseService, CaseStep, DeviceEventResult } from "../cases/service.ts";
import { Backoff } from "../backoff.ts";
import type { Clock } from "../clock.ts";
import { isStorageError, type Committed, type SqlDatabase, type Tx } from "../db/sql.ts";
import type { Notifier } from "../notifier.ts";
import type { TaskReporter } from "../platform-health.ts";
import { contentHash, readDeviceEvent, type IncomingEvent } from "./event-reader.ts";
import * as repo from "./repository.ts";

export interface IntakeStats {
  received: number;
  accepted: number;
  /** Accepted with a tolerated fault (a bad battery field, a reused eventId…). */
  faulty: number;
  duplicates: number;
  /** Unusable events, acknowledged `rejected` when they had an eventId. */
  rejected: number;
  unknownDevice: number;
  /** Events of retired devices or residents: stored and answered `rejected`, no case. */
  retired: number;
  /** Committed batches. */
  batches: number;
  /** Batches whose commit failed: nothing was acknowledged; they are retried and devices resend. */
  failedBatches: number;
  /** Events that failed on their own (not storage): not acknowledged, so their devices resend. */
  failedEvents: number;
  /** Events waiting for storage to recover, now. */
  held: number;
}

export interface IntakeOptions {
  /**
   * Collect events for at most this long before committing them together; 0 = at once (what
   * arrives while a commit runs still shares the next one).
   */
  groupCommitMs?: number;
  /** Commit at once when this many are waiting. */
  maxBatch?: number;
  /** Events kept for a retry while storage is down; beyond it the oldest wait for their resend. */
  maxHeld?: number;
}

const DEFAULTS: Required<IntakeOptions> = { groupCommitMs: 0, maxBatch: 500, maxHeld: 20_000 };

const RETIRED = "the device or its resident is retired";

const ACK_FOR: Record<DeviceEventOutcome, AckStatus> = {
  created: "received",
  joined: "received",
  cancelled: "cancelled",
  logged: "logged",
  rejected: "rejected",
};

type Pending = (
  | { deviceId: string; event: IncomingEvent }
  | { deviceId: string; rejected: { eventId: string | null; reason: EventRejectReason } }
) & {
  /** Copies of this event received while it waited: each gets the answer (docs/protocol.md). */
  copies: number;
};

type Handled =
  | {
      kind: "accepted" | "duplicate";
      deviceId: string;
      ack: DeviceAck;
      step?: CaseStep;
      faulty?: boolean;
      afterCommit?: () => Promise<void>;
    }
  | { kind: "rejected"; deviceId: string; ack: DeviceAck | null }
  | { kind: "unknown_device" };

/** What home sensors add to an event before the press rule (the door rule, signs of life). */
export interface SensorObserver {
  observe(tx: Tx, residentId: number, type: DeviceEventType): Promise<PressContext>;
}

export interface DeviceIntakeDeps {
  db: SqlDatabase;
  cases: Pick<CaseService, "takeDeviceEvent" | "settleTx" | "afterCommit" | "recordDeviceFaults">;
  sensors?: SensorObserver;
  notifier: Pick<Notifier, "ackDevice">;
  clock: Clock;
  logger: Logger;
  tasks: TaskReporter;
}

/** Two copies of one press share it; a reused eventId with another press does not. */
const keyOf = (p: Pending) =>
  "event" in p
    ? `${p.deviceId}\n${p.event.eventId}\n${p.event.type}\n${p.event.at}`
    : `${p.deviceId}\n${p.rejected.eventId}\n!${p.rejected.reason}`;

const eventIdOf = (p: Pending) => ("event" in p ? p.event.eventId : p.rejected.eventId);

/** The device clock a stored event had, as the reader gave it (null: none could be read). */
function storedAt(row: { deviceAt: number; faults: DeviceFault[] }): number | null {
  return row.faults.includes("missing_at") || row.faults.includes("bad_at") ? null : row.deviceAt;
}

export class DeviceIntake {
  readonly stats: IntakeStats = {
    received: 0,
    accepted: 0,
    faulty: 0,
    duplicates: 0,
    rejected: 0,
    unknownDevice: 0,
    retired: 0,
    batches: 0,
    failedBatches: 0,
    failedEvents: 0,
    held: 0,
  };
  private readonly options: Required<IntakeOptions>;
  /** Waiting for the next batch, by keyOf. */
  private queue = new Map<string, Pending>();
  private timer: NodeJS.Timeout | null = null;
  /** The batches being committed one after the other, until nothing waits. */
  private committing: Promise<void> | null = null;
  /** Events of failed commits, oldest first, until a commit takes them. */
  private readonly held = new Map<string, Pending>();
  private readonly retry = new Backoff({ initialMs: 100, maxMs: 5000 });
  private retryTimer: NodeJS.Timeout | null = null;
  /** Committed batches waiting for their commit to be on disk before they are acknowledged. */
  private readonly acking = new Set<Promise<void>>();

  constructor(
    private readonly deps: DeviceIntakeDeps,
    options: IntakeOptions = {},
  ) {
    this.options = { ...DEFAULTS, ...options };
  }

  /** Every payload a device published on its events topic; the ack follows the commit. */
  push(deviceId: string, payload: Buffer | string): void {
    this.stats.received++;
    const r = readDeviceEvent(payload);
    let item: Pending;
    if (r.ok) item = { deviceId, event: r.event, copies: 1 };
    else {
      this.deps.logger.warn({ deviceId, eventId: r.eventId, reason: r.reason }, "device event unusable");
      item = { deviceId, rejected: { eventId: r.eventId, reason: r.reason }, copies: 1 };
    }
    const key = keyOf(item);
    const waiting = this.queue.get(key);
    if (waiting) waiting.copies += 1;
    else this.queue.set(key, item);
    if (this.queue.size >= this.options.maxBatch || this.options.groupCommitMs === 0) void this.flush();
    else this.timer ??= setTimeout(() => void this.flush(), this.options.groupCommitMs);
  }

  /**
   * Commits what is waiting (held events first), batch after batch until nothing waits or a
   * commit fails; each batch is acknowledged once its commit is on disk (see `drain`). Resolves
   * when the last batch is committed and announced; never rejects.
   */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.committing ??= this.commitWaiting().finally(() => (this.committing = null));
    return this.committing;
  }

  /** Commits and acknowledges everything received so far (before the MQTT link closes). */
  async drain(): Promise<void> {
    await this.flush();
    await Promise.all(this.acking);
  }

  private async commitWaiting(): Promise<void> {
    for (;;) {
      const batch = this.takeBatch();
      if (batch.length === 0) return;
      // A failed batch is held and retried after a backoff, not at once.
      if (!(await this.commit(batch))) return;
    }
  }

  /** Held events first (they are older), then the queue, at most maxBatch; a resend adds a copy. */
  private takeBatch(): Pending[] {
    const batch = new Map<string, Pending>();
    for (const source of [this.held, this.queue]) {
      for (const [key, item] of source) {
        if (batch.size >= this.options.maxBatch) break;
        source.delete(key);
        const taken = batch.get(key);
        if (taken) taken.copies += item.copies;
        else batch.set(key, item);
      }
    }
    this.stats.held = this.held.size;
    return [...batch.values()];
  }

  /** Keeps the events of a failed commit for a retry with backoff; nothing of them was acknowledged. */
  private hold(batch: Pending[]): void {
    for (const item of batch) this.held.set(keyOf(item), item);
    for (const key of this.held.keys()) {
      if (this.held.size <= this.options.maxHeld) break;
      this.held.delete(key); // the oldest: its device resends it
    }
    this.stats.held = this.held.size;
    if (!this.retryTimer) {
      this.retryTimer = setTimeout(() => void this.flush(), this.retry.next());
      this.retryTimer.unref();
    }
  }

  /**
   * False when the batch could not be committed (it is held). Resolves once it is committed and
   * announced; its acks follow when the commit is on disk, while the next batch is committed.
   */
  private async commit(batch: Pending[]): Promise<boolean> {
    let committed: Committed<readonly [{ h: Handled; copies: number }[], CaseStep[]]>;
    try {
      committed = await this.deps.db.commit(async (tx) => {
        const results: { h: Handled; copies: number }[] = [];
        for (const item of batch) {
          try {
            results.push({ h: await tx.savepoint((sp) => this.handle(sp, item)), copies: item.copies });
          } catch (err) {
            // Storage failing mid-batch fails the whole batch: it is held and retried.
            if (isStorageError(err)) throw err;
            this.stats.failedEvents++;
            this.deps.logger.error(
              { err, deviceId: item.deviceId, eventId: eventIdOf(item) },
              "device event failed",
            );
          }
        }
        // The first offers go out in the same commit as the presses: one transaction per batch.
        const taken = results.flatMap(({ h }) =>
          h.kind !== "unknown_device" && h.kind !== "rejected" && h.step ? [h.step] : [],
        );
        return [results, await this.deps.cases.settleTx(tx, taken)] as const;
      });
    } catch (err) {
      this.failed(batch, err);
      return false;
    }
    const {
      value: [handled, steps],
      durable,
    } = committed;
    // An ack promises the device its press is stored, so it waits for the disk; the consoles and
    // the phones hear of the cases now (docs/decisions/0019-the-log-flushed-off-the-event-loop.md).
    // Should the flush fail, the batch is held: its retry finds the events stored and answers them.
    const acking = durable.then(
      () => this.acknowledge(handled),
      (err: unknown) => this.failed(batch, err),
    );
    this.acking.add(acking);
    void acking.finally(() => this.acking.delete(acking));
    await this.announce(handled, steps);
    return true;
  }

  private failed(batch: Pending[], err: unknown): void {
    this.stats.failedBatches++;
    this.deps.tasks.taskFailed("ingest commit", err, { events: batch.length });
    this.hold(batch);
  }

  private acknowledge(handled: { h: Handled; copies: number }[]): void {
    this.retry.reset();
    this.deps.tasks.taskSucceeded("ingest commit");
    this.stats.batches++;
    for (const { h, copies } of handled) {
      if (h.kind === "unknown_device") {
        this.stats.unknownDevice += copies;
        continue;
      }
      const answer = (ack: DeviceAck) => {
        for (let i = 0; i < copies; i++) this.deps.notifier.ackDevice(h.deviceId, ack);
      };
      if (h.kind === "rejected") {
        this.stats.rejected += copies;
        if (h.ack) answer(h.ack);
        continue;
      }
      this.stats[h.kind === "accepted" ? "accepted" : "duplicates"]++;
      this.stats.duplicates += copies - 1;
      if (h.faulty) this.stats.faulty++;
      answer(h.ack);
    }
  }

  /** What follows the commit: the engine's steps (memory, offers, consoles), then announcements. */
  private async announce(handled: { h: Handled; copies: number }[], steps: CaseStep[]): Promise<void> {
    await this.deps.cases.afterCommit(steps);
    for (const { h } of handled) {
      if (h.kind !== "accepted" || !h.afterCommit) continue;
      // Messages only: the event is stored whatever happens here.
      await h
        .afterCommit()
        .catch((err: unknown) =>
          this.deps.logger.warn({ err, deviceId: h.deviceId, eventId: h.ack.eventId }, "announcement failed"),
        );
    }
  }

  private async handle(tx: Tx, item: Pending): Promise<Handled> {
    const now = this.deps.clock.now();
    const at = new Date(now).toISOString();
    const { deviceId } = item;
    const home = await repo.findHome(tx, deviceId);
    if (!home) {
      this.deps.logger.warn({ deviceId, eventId: eventIdOf(item) }, "event from unknown device dropped");
      return { kind: "unknown_device" };
    }
    if ("rejected" in item) {
      const { eventId, reason } = item.rejected;
      await repo.countRejected(tx, deviceId, now, reason);
      // Without an eventId there is nothing the device could match an answer to.
      const ack: DeviceAck | null =
        eventId === null ? null : { eventId, status: "rejected", reason: `unusable event: ${reason}`, at };
      return { kind: "rejected", deviceId, ack };
    }

    const { event } = item;
    const ack = (outcome: DeviceEventOutcome, caseId: number | null, reason?: string): DeviceAck => ({
      eventId: event.eventId,
      status: ACK_FOR[outcome],
      ...(caseId !== null ? { caseId } : {}),
      ...(reason ? { reason } : {}),
      at,
    });
    // Answer a resend as the first copy was answered: same eventId, same press (type and time).
    const same = (row: repo.StoredEvent) => row.type === event.type && storedAt(row) === event.at;
    const resent = (row: repo.StoredEvent): Handled => ({
      kind: "duplicate",
      deviceId,
      ack: ack(isDeviceEventOutcome(row.outcome) ? row.outcome : "logged", row.caseId),
    });
    let storeId = event.eventId;
    const faults = [...event.faults];
    const seen = await repo.findEvent(tx, deviceId, event.eventId);
    if (seen) {
      if (same(seen)) return resent(seen);
      // The eventId was used before for another press (a counter that restarted): a new event,
      // stored under an id derived from its content, so its own resends still find it.
      storeId = `${event.eventId}#${contentHash(event.type, event.at)}`;
      const again = await repo.findEvent(tx, deviceId, storeId);
      if (again) return resent(again);
      faults.push("event_id_reused");
      this.deps.logger.warn(
        { deviceId, eventId: event.eventId, storedAs: storeId, type: event.type },
        "device fault: eventId reused for a different press",
      );
    }

    // The broker refuses retired devices, but an event may be under way while one is retired:
    // it opens nothing, and the ack stops the device from resending it.
    const context = home.retired
      ? undefined
      : await this.deps.sensors?.observe(tx, home.residentId, event.type);
    const result: DeviceEventResult = home.retired
      ? { outcome: "rejected", caseId: null, reason: RETIRED, tested: false }
      : await this.deps.cases.takeDeviceEvent(tx, home, event, context);
    if (home.retired) {
      this.stats.retired++;
      this.deps.logger.warn({ deviceId, eventId: event.eventId, reason: RETIRED }, "device event rejected");
    }
    if (faults.length > 0 && result.caseId !== null) {
      await this.deps.cases.recordDeviceFaults(tx, result.caseId, deviceId, faults);
    }
    await repo.recordEvent(tx, {
      deviceId,
      eventId: storeId,
      type: event.type,
      deviceAt: event.at ?? now,
      receivedAt: now,
      caseId: result.caseId,
      serviceOrderId: result.orderId ?? null,
      outcome: result.outcome,
      faults,
    });
    await repo.touch(tx, deviceId, now, event.battery, result.tested);
    return {
      kind: "accepted",
      deviceId,
      ack: ack(result.outcome, result.caseId, result.reason),
      faulty: faults.length > 0,
      ...(result.step ? { step: result.step } : {}),
      ...(result.afterCommit ? { afterCommit: result.afterCommit } : {}),
    };
  }
}
