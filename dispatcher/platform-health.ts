// What keeps the platform from doing its job right now: the database unable to commit, the MQTT
// link down. It is the one source of /healthz's answer and of the consoles' fault banner
// (`platform:health`), and where background work counts its failures.
//
// Storage is watched at the SQL port: every write's outcome says whether the database can commit
// (docs/architecture.md, "When storage fails"). While it cannot, a probe write is retried with
// backoff, so recovery is seen even when nothing else is writing.
import type { Logger } from "pino";
import type { PlatformProblem, PlatformProblemCode, PlatformStatus } from "../protocol/index.ts";
import { Backoff } from "./backoff.ts";
import type { Clock } from "./clock.ts";
import { isStorageError, type SqlDatabase, type StorageError } from "./db/sql.ts";
import { writeSetting } from "./settings/repository.ts";

/** How background work (flushes, timers, matching) reports; it retries by itself. */
export interface TaskReporter {
  taskFailed(task: string, err: unknown, fields?: Record<string, unknown>): void;
  taskSucceeded(task: string): void;
}

/** The probe's own row: the last time a write was seen to commit while storage was down. */
const PROBE_KEY = "health.storageProbe";

export class PlatformHealth implements TaskReporter {
  private readonly problems = new Map<PlatformProblemCode, PlatformProblem>();
  private readonly failures: Record<string, number> = {};
  /** Consecutive failures per task, to log a recovery once. */
  private readonly failing = new Map<string, number>();
  private readonly listeners = new Set<(status: PlatformStatus) => void>();
  private readonly probeBackoff = new Backoff({ initialMs: 500, maxMs: 5000 });
  private probeTimer: NodeJS.Timeout | null = null;
  private db: SqlDatabase | null = null;
  private stopped = false;

  constructor(private readonly deps: { clock: Clock; logger: Logger }) {}

  /** The database as every feature uses it: each write's outcome says whether storage works. */
  watch(db: SqlDatabase): SqlDatabase {
    const watched: SqlDatabase = {
      dialect: db.dialect,
      stats: db.stats,
      get: (sql, params) => this.observeFailure(db.get(sql, params)),
      all: (sql, params) => this.observeFailure(db.all(sql, params)),
      write: (fn) => this.observeWrite(db.write(fn)),
      commit: (fn) =>
        // Storage works once the commit is on disk, not when it is only committed.
        this.observeFailure(db.commit(fn)).then(({ value, durable }) => {
          const observed = this.observeWrite(durable);
          observed.catch(() => undefined); // the caller handles it; never an unhandled rejection
          return { value, durable: observed };
        }),
      close: () => {
        this.stop();
        return db.close();
      },
    };
    this.db = watched;
    return watched;
  }

  status(): PlatformStatus {
    const problems = [...this.problems.values()];
    return { status: problems.length === 0 ? "ok" : "degraded", problems };
  }

  storageUp(): boolean {
    return !this.problems.has("storage_unavailable");
  }

  /** Failures of background work since start, by task. */
  failureCounts(): Record<string, number> {
    return { ...this.failures };
  }

  /** Called with the new status whenever a problem starts or ends. */
  onChange(listener: (status: PlatformStatus) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Raises (message) or clears (null) a problem that is not storage's, e.g. the MQTT link. */
  set(code: Exclude<PlatformProblemCode, "storage_unavailable">, message: string | null): void {
    if (message === null) this.clear(code);
    else this.raise({ code, message, since: this.iso() });
  }

  taskFailed(task: string, err: unknown, fields: Record<string, unknown> = {}): void {
    this.failures[task] = (this.failures[task] ?? 0) + 1;
    const attempt = (this.failing.get(task) ?? 0) + 1;
    this.failing.set(task, attempt);
    // Storage faults are announced once by storageFailed; each retry is only worth a warning.
    const level = attempt === 1 && !isStorageError(err) ? "error" : "warn";
    this.deps.logger[level]({ err, task, attempt, ...fields }, "%s failed; retrying", task);
  }

  taskSucceeded(task: string): void {
    const attempts = this.failing.get(task);
    if (attempts === undefined) return;
    this.failing.delete(task);
    this.deps.logger.info({ task, failedAttempts: attempts }, "%s recovered", task);
  }

  stop(): void {
    this.stopped = true;
    if (this.probeTimer) clearTimeout(this.probeTimer);
    this.probeTimer = null;
  }

  /** A write's outcome says whether storage works. */
  private observeWrite<T>(written: Promise<T>): Promise<T> {
    return written.then(
      (result) => {
        this.storageWorks();
        return result;
      },
      (err: unknown) => {
        if (isStorageError(err)) this.storageFailed(err);
        throw err;
      },
    );
  }

  /** A storage fault says storage is down; success proves nothing yet (a read, or a commit that is
   * not on disk yet). */
  private observeFailure<T>(p: Promise<T>): Promise<T> {
    return p.catch((err: unknown) => {
      if (isStorageError(err)) this.storageFailed(err);
      throw err;
    });
  }

  private storageFailed(err: StorageError): void {
    if (this.stopped) return; // a write after close during shutdown is not a fault to announce
    const current = this.problems.get("storage_unavailable");
    if (current?.fault === err.fault) return;
    if (!current)
      this.deps.logger.error({ err }, "storage unavailable: nothing is acknowledged until it recovers");
    this.raise({
      code: "storage_unavailable",
      message: `the database cannot commit (${err.fault}): ${err.message}`,
      since: current?.since ?? this.iso(),
      fault: err.fault,
    });
    this.scheduleProbe();
  }

  private storageWorks(): void {
    const current = this.problems.get("storage_unavailable");
    if (!current) return;
    this.deps.logger.info({ since: current.since }, "storage recovered");
    this.probeBackoff.reset();
    if (this.probeTimer) clearTimeout(this.probeTimer);
    this.probeTimer = null;
    this.clear("storage_unavailable");
  }

  private scheduleProbe(): void {
    if (this.probeTimer || this.stopped || !this.db) return;
    const db = this.db;
    this.probeTimer = setTimeout(() => {
      this.probeTimer = null;
      const at = this.deps.clock.now();
      // Success clears the problem (through watch); failure schedules the next probe.
      db.write((tx) => writeSetting(tx, PROBE_KEY, { at }, at)).catch(() => {
        if (!this.storageUp()) this.scheduleProbe();
      });
    }, this.probeBackoff.next());
    this.probeTimer.unref();
  }

  private raise(problem: PlatformProblem): void {
    this.problems.set(problem.code, problem);
    this.announce();
  }

  private clear(code: PlatformProblemCode): void {
    if (this.problems.delete(code)) this.announce();
  }

  private announce(): void {
    const status = this.status();
    for (const l of this.listeners) {
      try {
        l(status);
      } catch (err) {
        this.deps.logger.error({ err }, "platform health listener failed");
      }
    }
  }

  private iso(): string {
    return new Date(this.deps.clock.now()).toISOString();
  }
}
