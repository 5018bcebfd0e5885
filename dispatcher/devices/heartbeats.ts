// Heartbeats and Last Wills, buffered per device and written once a second in one transaction,
// so 50,000 devices beating every few minutes stay a few hundred rows per write, not a storm.
// A periodic sweep marks devices offline when they miss their supervision window (their kind's
// profile, profiles.ts); an outage, an outage that outlasts the profile's replacement time, a
// device never seen since enrolment, a battery running low or a week without a test press each
// becomes one technical case for staff, decided from stored times (a restart forgets nothing).
import type { Logger } from "pino";
import {
  DEFAULT_SUPERVISION_PROFILES,
  DEVICE_KINDS,
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
import { loadProfiles } from "./profiles.ts";
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
  /** How often devices are checked for a missed weekly test press, and for never connecting. */
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
  cases: {
    openTechnical(
      home: DeviceHome,
      type: TechnicalCaseType,
      o?: { besideOthers?: boolean },
    ): Promise<number | null>;
  };
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
      startRepeating(
        "never-connected sweep",
        this.options.testSweepEveryMs,
        () => this.sweepNeverConnected(),
        tasks,
      ),
    ];
  }

  async stop(): Promise<void> {
    await Promise.all(this.tasks.map((t) => t.stop()));
    this.tasks = [];
    await this.flush();
    this.deps.logger.info(
      { statuses: this.beats, writes: this.writes, flushes: this.flushes },
      "device heartbeats stopped",
    );
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
   * Devices silent past their supervision window go offline, also those that never sent a Last
   * Will (power loss); each outage becomes one technical case, and one still going on the profile's
   * replacement time after the window flags the device for replacement (once per outage, beside
   * the outage's case). Returns the devices whose outage was reported now.
   */
  async sweep(): Promise<string[]> {
    const now = this.deps.clock.now();
    const silent = await repo.findSilent(this.deps.db, now);
    const wentOffline = silent.filter((d) => d.online === 1).map((d) => d.id);
    if (wentOffline.length > 0) {
      await this.deps.db.write(async (tx) => {
        for (const id of wentOffline) await repo.markOffline(tx, id);
      });
      for (const id of wentOffline) await this.announce(id);
    }
    const home = (d: repo.SilentDevice) => ({
      deviceId: d.id,
      residentId: d.residentId,
      communityId: d.communityId,
    });
    const unreported = silent.filter((d) => d.reported === 0);
    for (const d of unreported) await this.deps.cases.openTechnical(home(d), "device_offline");
    if (unreported.length > 0)
      this.deps.logger.info({ count: unreported.length }, "devices missed their heartbeats");
    const worn = silent.filter(
      (d) => d.replaced === 0 && now > d.lastSeenAt + d.windowMs + replaceAfterMs(d),
    );
    for (const d of worn)
      await this.deps.cases.openTechnical(home(d), "device_replacement", { besideOthers: true });
    if (worn.length > 0) this.deps.logger.info({ count: worn.length }, "devices flagged for replacement");
    return unreported.map((d) => d.id);
  }

  /**
   * Devices enrolled longer ago than their kind's profile allows and never seen: one technical
   * case each (not installed, a wrong secret, no signal where it hangs). Returns those reported now.
   */
  async sweepNeverConnected(): Promise<string[]> {
    const now = this.deps.clock.now();
    const profiles = await loadProfiles(this.deps.db);
    const reported: string[] = [];
    for (const kind of DEVICE_KINDS) {
      const before = now - profiles[kind].neverConnectedHours * 3_600_000;
      for (const d of await repo.findNeverConnected(this.deps.db, kind, before)) {
        if (d.reported === 1) continue;
        const home = { deviceId: d.id, residentId: d.residentId, communityId: d.communityId };
        if ((await this.deps.cases.openTechnical(home, "never_connected")) !== null) reported.push(d.id);
      }
    }
    if (reported.length > 0) this.deps.logger.info({ count: reported.length }, "devices never connected");
    return reported;
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

/** How long an outage may last past its window before the device is flagged for replacement. */
function replaceAfterMs(d: repo.SilentDevice): number {
  return (d.replaceAfterMinutes ?? DEFAULT_SUPERVISION_PROFILES[d.kind].replaceAfterMinutes) * 60_000;
}
