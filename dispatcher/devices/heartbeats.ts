// Heartbeats and Last Wills, buffered per device and written once a second in one transaction,
// so 50,000 devices beating every few minutes stay a few hundred rows per write, not a storm.
// A periodic sweep marks devices offline when they miss their supervision window; an outage, a
// battery running low or a week without a test press becomes one technical case for staff.
import type { Logger } from "pino";
import {
  LOW_BATTERY_PERCENT,
  TEST_PRESS_INTERVAL_MS,
  type DeviceStatus,
  type TechnicalCaseType,
} from "../../protocol/index.ts";
import { startRepeating, type Repeating } from "../background.ts";
import type { DeviceHome } from "../cases/service.ts";
import type { Clock } from "../clock.ts";
import type { SqlDatabase } from "../db/sql.ts";
import type { Notifier } from "../notifier.ts";
import type { TaskReporter } from "../platform-health.ts";
import * as repo from "./repository.ts";

interface Beat {
  online: boolean;
  battery: number | null;
  signal: number | null;
  at: number;
}

export interface HeartbeatOptions {
  flushEveryMs?: number;
  sweepEveryMs?: number;
  /** How often devices are checked for a missed weekly test press. */
  testSweepEveryMs?: number;
}

const DEFAULTS: Required<HeartbeatOptions> = {
  flushEveryMs: 1000,
  sweepEveryMs: 5000,
  testSweepEveryMs: 60_000,
};

export interface DeviceHeartbeatsDeps {
  db: SqlDatabase;
  clock: Clock;
  logger: Logger;
  notifier: Pick<Notifier, "deviceChanged">;
  tasks: TaskReporter;
  /** Opens a technical case (apart from emergencies) unless the resident already has one. */
  cases: { openTechnical(home: DeviceHome, type: TechnicalCaseType): Promise<number | null> };
}

export class DeviceHeartbeats {
  private buffer = new Map<string, Beat>();
  /** Devices whose battery just ran low, until their technical case is opened. */
  private readonly lowBattery = new Set<string>();
  private readonly options: Required<HeartbeatOptions>;
  private tasks: Repeating[] = [];
  beats = 0;
  writes = 0;
  /** Transactions used for all those writes. */
  flushes = 0;
  failedFlushes = 0;

  constructor(
    private readonly deps: DeviceHeartbeatsDeps,
    options: HeartbeatOptions = {},
  ) {
    this.options = { ...DEFAULTS, ...options };
  }

  start(): void {
    const { tasks } = this.deps;
    this.tasks = [
      startRepeating("heartbeat flush", this.options.flushEveryMs, () => this.flush(), tasks),
      startRepeating("supervision sweep", this.options.sweepEveryMs, () => this.sweep(), tasks),
      startRepeating("weekly test sweep", this.options.testSweepEveryMs, () => this.sweepTests(), tasks),
    ];
  }

  async stop(): Promise<void> {
    await Promise.all(this.tasks.map((t) => t.stop()));
    this.tasks = [];
    await this.flush();
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

  /** Writes the buffered beats; on failure they stay buffered (unless a newer beat came) and throw. */
  async flush(): Promise<void> {
    if (this.buffer.size === 0) return this.reportLowBattery();
    const batch = this.buffer;
    this.buffer = new Map();
    let changed: { id: string; low: boolean }[];
    let writes = 0;
    try {
      changed = await this.deps.db.write(async (tx) => {
        const out: { id: string; low: boolean }[] = [];
        writes = 0;
        for (const [id, beat] of batch) {
          const before = await repo.findHealth(tx, id);
          if (!before) continue; // unknown device: the broker should never have let it in
          writes += await repo.saveStatus(tx, id, beat);
          const low =
            beat.battery !== null &&
            beat.battery < LOW_BATTERY_PERCENT &&
            (before.battery ?? 100) >= LOW_BATTERY_PERCENT;
          if ((before.online === 1) !== beat.online || low) out.push({ id, low });
        }
        return out;
      });
    } catch (err) {
      this.failedFlushes++;
      for (const [id, beat] of batch) if (!this.buffer.has(id)) this.buffer.set(id, beat);
      throw err;
    }
    this.flushes++;
    this.writes += writes;
    for (const c of changed) if (c.low) this.lowBattery.add(c.id);
    for (const { id } of changed) await this.announce(id);
    await this.reportLowBattery();
  }

  /** The battery is stored as low already: its case must still be opened, however long that takes. */
  private async reportLowBattery(): Promise<void> {
    for (const id of [...this.lowBattery]) {
      await this.reportProblem(id, "low_battery");
      this.lowBattery.delete(id);
    }
  }

  /**
   * Devices silent past their supervision window (heartbeat × missed beats) go offline, also those
   * that never sent a Last Will (power loss), and each outage becomes one technical case.
   * Returns the devices reported now.
   */
  async sweep(): Promise<string[]> {
    const silent = await repo.findSilent(this.deps.db, this.deps.clock.now());
    const wentOffline = silent.filter((d) => d.online === 1).map((d) => d.id);
    if (wentOffline.length > 0) {
      await this.deps.db.write(async (tx) => {
        for (const id of wentOffline) await repo.markOffline(tx, id);
      });
      for (const id of wentOffline) await this.announce(id);
    }
    const unreported = silent.filter((d) => d.reported === 0);
    for (const d of unreported) {
      await this.deps.cases.openTechnical(
        { deviceId: d.id, residentId: d.residentId, communityId: d.communityId },
        "device_offline",
      );
    }
    if (unreported.length > 0)
      this.deps.logger.info({ count: unreported.length }, "devices missed their heartbeats");
    return unreported.map((d) => d.id);
  }

  /**
   * Devices not test-pressed for a week each raise one technical case per lapse (a test press
   * ends the lapse). Computed from stored times, so a restart forgets nothing. Returns those reported now.
   */
  async sweepTests(): Promise<string[]> {
    const lapsed = await repo.findTestOverdue(this.deps.db, this.deps.clock.now() - TEST_PRESS_INTERVAL_MS);
    const reported: string[] = [];
    for (const d of lapsed.filter((x) => x.reported === 0)) {
      const caseId = await this.deps.cases.openTechnical(
        { deviceId: d.id, residentId: d.residentId, communityId: d.communityId },
        "test_overdue",
      );
      if (caseId !== null) reported.push(d.id);
    }
    if (reported.length > 0)
      this.deps.logger.info({ count: reported.length }, "devices missed their weekly test");
    return reported;
  }

  /** Fire and forget: a console that misses it refetches the list. */
  private async announce(deviceId: string): Promise<void> {
    try {
      const d = await repo.findSummary(this.deps.db, deviceId);
      if (d) this.deps.notifier.deviceChanged(d);
    } catch (err) {
      this.deps.logger.warn({ err, deviceId }, "device change not announced");
    }
  }

  private async reportProblem(deviceId: string, type: TechnicalCaseType): Promise<void> {
    const home = await repo.findHome(this.deps.db, deviceId);
    if (home) await this.deps.cases.openTechnical(home, type);
  }
}
