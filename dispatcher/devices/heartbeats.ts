// Heartbeats and Last Will: buffered per device and written once a second in one transaction,
// so 50,000 devices beating every few minutes stay a few hundred rows per write, not a storm.
// A periodic sweep marks devices offline when they miss their supervision window.
import type { Database, Statement } from "better-sqlite3";
import type { Logger } from "pino";
import {
  DeviceKindSchema,
  LOW_BATTERY_PERCENT,
  type DeviceStatus,
  type DeviceSummary,
} from "../../protocol/index.ts";
import type { Clock } from "../clock.ts";

interface Beat {
  online: boolean;
  battery: number | null;
  signal: number | null;
  at: number;
}

export interface DeviceStatusIngestDeps {
  db: Database;
  clock: Clock;
  logger: Logger;
  /** Only for changes staff care about (online ↔ offline, low battery). */
  deviceChanged(d: DeviceSummary): void;
  /** A device needs a person to look at it: opens a technical case (apart from emergencies). */
  technicalIssue?(deviceId: string, type: "device_offline" | "low_battery"): void;
  flushEveryMs?: number;
}

const SUMMARY_SELECT = `SELECT d.id, d.residentId, r.name AS residentName, c.name AS communityName, d.kind, d.online,
  d.battery, d.signal, d.lastSeenAt, d.lastTestAt
  FROM "Device" d JOIN "Resident" r ON r.id = d.residentId JOIN "Community" c ON c.id = r.communityId`;

export class DeviceStatusIngest {
  private buffer = new Map<string, Beat>();
  private readonly timer: NodeJS.Timeout;
  private readonly stmt: Record<string, Statement>;
  beats = 0;
  writes = 0;
  /** Transactions used for all those writes. */
  flushes = 0;

  constructor(private readonly deps: DeviceStatusIngestDeps) {
    const { db } = deps;
    this.stmt = {
      before: db.prepare(`SELECT online, battery FROM "Device" WHERE id = ?`),
      update: db.prepare(
        `UPDATE "Device" SET online = ?, battery = COALESCE(?, battery), signal = COALESCE(?, signal),
         lastSeenAt = CASE WHEN ? = 1 THEN ? ELSE lastSeenAt END WHERE id = ?`,
      ),
      summary: db.prepare(`${SUMMARY_SELECT} WHERE d.id = ?`),
      // Silent past its supervision window; `reported` once this outage already has its case.
      stale: db.prepare(
        `SELECT d.id, d.online, EXISTS (
           SELECT 1 FROM "Case" c WHERE c.residentId = d.residentId AND c.type = 'device_offline' AND c.createdAt >= d.lastSeenAt
         ) AS reported
         FROM "Device" d
         WHERE d.lastSeenAt IS NOT NULL AND d.lastSeenAt < ? - d.heartbeatSeconds * d.missedBeatsOffline * 1000`,
      ),
      markOffline: db.prepare(`UPDATE "Device" SET online = 0 WHERE id = ?`),
    };
    this.timer = setInterval(() => this.flush(), deps.flushEveryMs ?? 1000);
    this.timer.unref();
  }

  push(deviceId: string, status: DeviceStatus): void {
    this.beats++;
    this.buffer.set(deviceId, {
      online: status.state === "online",
      battery: status.battery ?? null,
      signal: status.signal ?? null,
      at: this.deps.clock.now(),
    });
  }

  flush(): void {
    if (this.buffer.size === 0) return;
    const batch = this.buffer;
    this.buffer = new Map();
    const changed: string[] = [];
    const low: string[] = [];
    this.flushes++;
    this.deps.db.transaction(() => {
      for (const [id, beat] of batch) {
        const before = this.stmt.before!.get(id) as { online: number; battery: number | null } | undefined;
        if (!before) continue; // unknown device: the broker should never have let it in
        const info = this.stmt.update!.run(
          beat.online ? 1 : 0,
          beat.battery,
          beat.signal,
          beat.online ? 1 : 0,
          beat.at,
          id,
        );
        this.writes += info.changes;
        const wentLow =
          beat.battery !== null &&
          beat.battery < LOW_BATTERY_PERCENT &&
          (before.battery ?? 100) >= LOW_BATTERY_PERCENT;
        if ((before.online === 1) !== beat.online || wentLow) changed.push(id);
        if (wentLow) low.push(id);
      }
    })();
    for (const id of changed) {
      const d = this.summary(id);
      if (d) this.deps.deviceChanged(d);
    }
    for (const id of low) this.deps.technicalIssue?.(id, "low_battery");
  }

  /**
   * Devices silent past their supervision window (heartbeat × missed beats) go offline, also those
   * that never sent a Last Will (power loss), and each outage becomes one technical case.
   */
  sweep(): string[] {
    const stale = this.stmt.stale!.all(this.deps.clock.now()) as {
      id: string;
      online: number;
      reported: number;
    }[];
    const wentOffline = stale.filter((d) => d.online === 1).map((d) => d.id);
    if (wentOffline.length > 0) {
      this.deps.db.transaction(() => wentOffline.forEach((id) => this.stmt.markOffline!.run(id)))();
      for (const id of wentOffline) {
        const d = this.summary(id);
        if (d) this.deps.deviceChanged(d);
      }
    }
    const unreported = stale.filter((d) => d.reported === 0).map((d) => d.id);
    for (const id of unreported) this.deps.technicalIssue?.(id, "device_offline");
    if (unreported.length > 0)
      this.deps.logger.info({ count: unreported.length }, "devices missed their heartbeats");
    return unreported;
  }

  summary(id: string): DeviceSummary | null {
    const row = this.stmt.summary!.get(id) as DeviceRow | undefined;
    return row ? toDeviceSummary(row) : null;
  }

  stop(): void {
    clearInterval(this.timer);
    this.flush();
  }
}

export interface DeviceRow {
  id: string;
  residentId: number;
  residentName: string;
  communityName: string;
  kind: string;
  online: number;
  battery: number | null;
  signal: number | null;
  lastSeenAt: number | null;
  lastTestAt: number | null;
}

export const DEVICE_SUMMARY_SELECT = SUMMARY_SELECT;

export function toDeviceSummary(r: DeviceRow): DeviceSummary {
  const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
  return {
    id: r.id,
    residentId: r.residentId,
    residentName: r.residentName,
    communityName: r.communityName,
    kind: DeviceKindSchema.parse(r.kind),
    online: r.online === 1,
    battery: r.battery,
    signal: r.signal,
    lastSeenAt: iso(r.lastSeenAt),
    lastTestAt: iso(r.lastTestAt),
  };
}
