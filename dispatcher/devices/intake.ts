// Device events → cases, with group commit: events arriving within a few milliseconds share one
// durable transaction, and each is acknowledged to its device only after that commit.
// Idempotent on (deviceId, eventId): a resend gets the same answer and changes nothing.
import type { Database, Statement } from "better-sqlite3";
import type { Logger } from "pino";
import type { AckStatus, CaseType, DeviceAck, DeviceEvent } from "../../protocol/index.ts";
import { DomainError } from "../errors.ts";
import type { CaseService, Outcome } from "../cases/service.ts";
import type { Clock } from "../clock.ts";

export interface IngestStats {
  received: number;
  accepted: number;
  duplicates: number;
  invalid: number;
  unknownDevice: number;
  batches: number;
}

type EventOutcome = "created" | "joined" | "cancelled" | "logged" | "rejected";

const ACK_FOR: Record<EventOutcome, AckStatus> = {
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

export interface DeviceEventIngestDeps {
  db: Database;
  cases: CaseService;
  clock: Clock;
  logger: Logger;
  ackDevice(deviceId: string, ack: DeviceAck): void;
  /** Collect events for at most this long before committing them together. */
  groupCommitMs?: number;
  maxBatch?: number;
}

export class DeviceEventIngest {
  readonly stats: IngestStats = {
    received: 0,
    accepted: 0,
    duplicates: 0,
    invalid: 0,
    unknownDevice: 0,
    batches: 0,
  };
  private queue: Pending[] = [];
  private timer: NodeJS.Timeout | null = null;
  private readonly stmt: Record<string, Statement>;

  constructor(private readonly deps: DeviceEventIngestDeps) {
    const { db } = deps;
    this.stmt = {
      seen: db.prepare(`SELECT outcome, caseId FROM "DeviceEvent" WHERE deviceId = ? AND eventId = ?`),
      device: db.prepare(
        `SELECT d.id, d.residentId, r.communityId FROM "Device" d JOIN "Resident" r ON r.id = d.residentId WHERE d.id = ?`,
      ),
      record: db.prepare(
        `INSERT INTO "DeviceEvent" (deviceId, eventId, type, deviceAt, receivedAt, caseId, outcome) VALUES (?, ?, ?, ?, ?, ?, ?)`,
      ),
      touch: db.prepare(
        `UPDATE "Device" SET lastSeenAt = ?, online = 1, battery = COALESCE(?, battery) WHERE id = ?`,
      ),
      tested: db.prepare(`UPDATE "Device" SET lastTestAt = ? WHERE id = ?`),
    };
  }

  /** Called for every valid event; the ack follows the commit. */
  push(deviceId: string, event: DeviceEvent): void {
    this.stats.received++;
    this.queue.push({ deviceId, event });
    if (this.queue.length >= (this.deps.maxBatch ?? 500)) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), this.deps.groupCommitMs ?? 4);
  }

  invalid(deviceId: string | null, reason: string): void {
    this.stats.invalid++;
    this.deps.logger.warn({ deviceId, reason }, "device event dropped");
  }

  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const batch = this.queue;
    this.queue = [];
    if (batch.length === 0) return;
    const acks: { deviceId: string; ack: DeviceAck }[] = [];
    const outcomes: Outcome[] = [];
    const { db } = this.deps;
    db.transaction(() => {
      for (const item of batch) {
        try {
          // A savepoint per event: one bad event cannot poison the batch.
          db.transaction(() => this.handle(item, acks, outcomes))();
        } catch (err) {
          this.deps.logger.error(
            { err, deviceId: item.deviceId, eventId: item.event.eventId },
            "device event failed",
          );
        }
      }
    })();
    this.stats.batches++;
    for (const a of acks) this.deps.ackDevice(a.deviceId, a.ack);
    this.deps.cases.afterCommit(outcomes);
  }

  private handle(item: Pending, acks: { deviceId: string; ack: DeviceAck }[], outcomes: Outcome[]): void {
    const { deviceId, event } = item;
    const now = this.deps.clock.now();
    const ack = (outcome: EventOutcome, caseId: number | null, reason?: string): void => {
      acks.push({
        deviceId,
        ack: {
          eventId: event.eventId,
          status: ACK_FOR[outcome],
          ...(caseId !== null ? { caseId } : {}),
          ...(reason ? { reason } : {}),
          at: new Date(now).toISOString(),
        },
      });
    };

    const seen = this.stmt.seen!.get(deviceId, event.eventId) as
      { outcome: EventOutcome; caseId: number | null } | undefined;
    if (seen) {
      this.stats.duplicates++;
      ack(seen.outcome, seen.caseId);
      return;
    }
    const device = this.stmt.device!.get(deviceId) as
      { id: string; residentId: number; communityId: number } | undefined;
    if (!device) {
      this.stats.unknownDevice++;
      this.deps.logger.warn({ deviceId, eventId: event.eventId }, "event from unknown device dropped");
      return;
    }

    const { cases } = this.deps;
    const actor = { type: "device" as const, id: deviceId, name: null };
    const open = (type: CaseType): Outcome =>
      cases.createTx({
        type,
        service: event.service ?? null,
        residentId: device.residentId,
        communityId: device.communityId,
        deviceId,
        openingEventId: event.eventId,
        actor,
      });

    let outcome: EventOutcome;
    let caseId: number | null = null;
    let reason: string | undefined;
    switch (event.type) {
      case "sos":
      case "fall":
      case "service_request": {
        const kind = event.type === "service_request" ? "service" : "emergency";
        const active = cases.repo.activeCaseFor(device.residentId, kind);
        const result =
          active !== null
            ? cases.commandTx(active, { type: "press", actor, eventType: event.type })
            : open(event.type);
        outcomes.push(result);
        outcome = active !== null ? "joined" : "created";
        caseId = result.caseId;
        break;
      }
      case "cancel": {
        const active =
          cases.repo.activeCaseFor(device.residentId, "emergency") ??
          cases.repo.activeCaseFor(device.residentId, "service");
        if (active === null) {
          outcome = "logged";
          reason = "no open case to cancel";
          break;
        }
        caseId = active;
        try {
          // commandTx validates before it writes, so a refused cancel leaves nothing behind.
          outcomes.push(
            cases.commandTx(active, {
              type: "cancel",
              actor,
              reason: "cancelled by the resident on the device",
            }),
          );
          outcome = "cancelled";
        } catch (err) {
          if (!(err instanceof DomainError)) throw err;
          outcome = "rejected";
          reason = err.message;
        }
        break;
      }
      case "test":
        this.stmt.tested!.run(now, deviceId);
        outcome = "logged";
        break;
      case "low_battery": {
        const active = cases.repo.activeCaseFor(device.residentId, "technical");
        if (active === null) {
          const result = open("low_battery");
          outcomes.push(result);
          caseId = result.caseId;
        } else caseId = active;
        outcome = "logged";
        break;
      }
    }
    this.stmt.record!.run(deviceId, event.eventId, event.type, Date.parse(event.at), now, caseId, outcome);
    this.stmt.touch!.run(now, event.battery ?? null, deviceId);
    this.stats.accepted++;
    ack(outcome, caseId, reason);
  }
}
