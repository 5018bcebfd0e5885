// Device events → one durable commit per batch → acks. Group commit: events arriving within a
// few milliseconds share one write transaction (one fsync), each in its own savepoint so one bad
// event cannot sink the others, and each is acknowledged only after that commit.
// Idempotent on (deviceId, eventId): a resend gets the same answer and changes nothing.
// What an event means for cases is the cases feature's business (its press rule).
import type { Logger } from "pino";
import type { AckStatus, DeviceAck, DeviceEvent } from "../../protocol/index.ts";
import { isDeviceEventOutcome, type DeviceEventOutcome } from "../cases/press-rule.ts";
import type { CaseService, CaseStep, DeviceEventResult } from "../cases/service.ts";
import type { Clock } from "../clock.ts";
import type { SqlDatabase, Tx } from "../db/sql.ts";
import type { Notifier } from "../notifier.ts";
import * as repo from "./repository.ts";

export interface IntakeStats {
  received: number;
  accepted: number;
  duplicates: number;
  invalid: number;
  unknownDevice: number;
  /** Events of retired devices or residents: stored and answered `rejected`, no case. */
  retired: number;
  /** Committed batches. */
  batches: number;
  /** Batches whose commit failed: nothing was acknowledged, so their devices resend. */
  failedBatches: number;
}

export interface IntakeOptions {
  /** Collect events for at most this long before committing them together; 0 = at once. */
  groupCommitMs?: number;
  /** Commit at once when this many are waiting. */
  maxBatch?: number;
}

const DEFAULTS: Required<IntakeOptions> = { groupCommitMs: 4, maxBatch: 500 };

const RETIRED = "the device or its resident is retired";

const ACK_FOR: Record<DeviceEventOutcome, AckStatus> = {
  created: "received",
  joined: "received",
  cancelled: "cancelled",
  logged: "logged",
  rejected: "rejected",
};

interface Pending {
  deviceId: string;
  event: DeviceEvent;
}

type Handled =
  | { kind: "accepted" | "duplicate"; deviceId: string; ack: DeviceAck; step?: CaseStep }
  | { kind: "unknown_device" };

export interface DeviceIntakeDeps {
  db: SqlDatabase;
  cases: Pick<CaseService, "takeDeviceEvent" | "afterCommit">;
  notifier: Pick<Notifier, "ackDevice">;
  clock: Clock;
  logger: Logger;
}

export class DeviceIntake {
  readonly stats: IntakeStats = {
    received: 0,
    accepted: 0,
    duplicates: 0,
    invalid: 0,
    unknownDevice: 0,
    retired: 0,
    batches: 0,
    failedBatches: 0,
  };
  private readonly options: Required<IntakeOptions>;
  private queue: Pending[] = [];
  private timer: NodeJS.Timeout | null = null;
  private readonly flushing = new Set<Promise<void>>();

  constructor(
    private readonly deps: DeviceIntakeDeps,
    options: IntakeOptions = {},
  ) {
    this.options = { ...DEFAULTS, ...options };
  }

  /** Every valid event; the ack follows the commit. */
  push(deviceId: string, event: DeviceEvent): void {
    this.stats.received++;
    this.queue.push({ deviceId, event });
    if (this.queue.length >= this.options.maxBatch || this.options.groupCommitMs === 0) void this.flush();
    else this.timer ??= setTimeout(() => void this.flush(), this.options.groupCommitMs);
  }

  invalid(deviceId: string | null, reason: string): void {
    this.stats.invalid++;
    this.deps.logger.warn({ deviceId, reason }, "device event dropped");
  }

  /** Commits what is waiting, then acknowledges it. Never rejects: a failed commit acks nothing. */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const batch = this.queue;
    this.queue = [];
    if (batch.length === 0) return Promise.resolve();
    const done = this.commit(batch);
    this.flushing.add(done);
    void done.then(() => this.flushing.delete(done));
    return done;
  }

  /** Commits and acknowledges everything received so far (before the MQTT link closes). */
  async drain(): Promise<void> {
    await this.flush();
    await Promise.all(this.flushing);
  }

  private async commit(batch: Pending[]): Promise<void> {
    let handled: Handled[];
    try {
      handled = await this.deps.db.write(async (tx) => {
        const results: Handled[] = [];
        for (const item of batch) {
          try {
            results.push(await tx.savepoint((sp) => this.handle(sp, item)));
          } catch (err) {
            this.deps.logger.error(
              { err, deviceId: item.deviceId, eventId: item.event.eventId },
              "device event failed",
            );
          }
        }
        return results;
      });
    } catch (err) {
      this.stats.failedBatches++;
      this.deps.logger.error({ err, events: batch.length }, "device events not stored; devices will resend");
      return;
    }
    this.stats.batches++;
    const steps: CaseStep[] = [];
    for (const h of handled) {
      if (h.kind === "unknown_device") {
        this.stats.unknownDevice++;
        continue;
      }
      this.stats[h.kind === "accepted" ? "accepted" : "duplicates"]++;
      this.deps.notifier.ackDevice(h.deviceId, h.ack);
      if (h.step) steps.push(h.step);
    }
    await this.deps.cases.afterCommit(steps);
  }

  private async handle(tx: Tx, { deviceId, event }: Pending): Promise<Handled> {
    const now = this.deps.clock.now();
    const ack = (outcome: DeviceEventOutcome, caseId: number | null, reason?: string): DeviceAck => ({
      eventId: event.eventId,
      status: ACK_FOR[outcome],
      ...(caseId !== null ? { caseId } : {}),
      ...(reason ? { reason } : {}),
      at: new Date(now).toISOString(),
    });

    const seen = await repo.findEvent(tx, deviceId, event.eventId);
    if (seen) {
      // Answer a resend as the first copy was answered.
      const outcome = isDeviceEventOutcome(seen.outcome) ? seen.outcome : "logged";
      return { kind: "duplicate", deviceId, ack: ack(outcome, seen.caseId) };
    }
    const home = await repo.findHome(tx, deviceId);
    if (!home) {
      this.deps.logger.warn({ deviceId, eventId: event.eventId }, "event from unknown device dropped");
      return { kind: "unknown_device" };
    }
    // The broker refuses retired devices, but an event may be under way while one is retired:
    // it opens nothing, and the ack stops the device from resending it.
    const result: DeviceEventResult = home.retired
      ? { outcome: "rejected", caseId: null, reason: RETIRED, tested: false }
      : await this.deps.cases.takeDeviceEvent(tx, home, event);
    if (home.retired) {
      this.stats.retired++;
      this.deps.logger.warn({ deviceId, eventId: event.eventId, reason: RETIRED }, "device event rejected");
    }
    await repo.recordEvent(tx, {
      deviceId,
      eventId: event.eventId,
      type: event.type,
      deviceAt: Date.parse(event.at),
      receivedAt: now,
      caseId: result.caseId,
      outcome: result.outcome,
    });
    await repo.touch(tx, deviceId, now, event.battery ?? null, result.tested);
    return {
      kind: "accepted",
      deviceId,
      ack: ack(result.outcome, result.caseId, result.reason),
      ...(result.step ? { step: result.step } : {}),
    };
  }
}
