// The SQLite driver of the SQL port (better-sqlite3). Two connections to one WAL file:
//   - the writer runs every write transaction, one at a time, from a queue; reads inside a
//     transaction go through it too, so a transaction sees its own writes;
//   - the reader answers top-level reads: WAL gives each of its statements the last committed
//     snapshot, so it never observes a write transaction half done.
// better-sqlite3 itself is synchronous; the port is async so that a PostgreSQL driver can serve
// the same callers (docs/decisions/0005-one-async-sql-port.md).
//
// Durability without blocking: the writer commits with `synchronous = NORMAL` (the commit is in the
// log, in the OS's cache) and the log is then flushed with fsync on libuv's thread pool; `write()`
// resolves only after a flush that started after its commit — exactly FULL's guarantee (FULL is
// NORMAL plus an fsync of the log after each commit), but a slow disk flush no longer stops the
// event loop (the embedded broker, every socket), and the commits made while one flush runs share
// the next (docs/decisions/0019-the-log-flushed-off-the-event-loop.md).
//
// Storage faults (another process holding the write lock, a read-only file, a full disk, I/O
// errors) reject as StorageError. The writer never waits for the lock synchronously: SQLite's
// busy handler would block the event loop — the embedded broker, every socket — for the whole
// timeout, so BEGIN is retried from timers instead until `busyTimeoutMs` has passed.
import { mkdirSync } from "node:fs";
import { open, type FileHandle } from "node:fs/promises";
import { dirname } from "node:path";
import BetterSqlite3, { type Database, type Statement } from "better-sqlite3";
import { Checkpointer } from "./checkpointer.ts";
import {
  StorageError,
  type Committed,
  type SqlDatabase,
  type SqlParams,
  type StorageFault,
  type Tx,
} from "./sql.ts";

export interface SqliteOptions {
  /** Runs on the writer connection before anything else (the migration runner). */
  migrate?: (raw: Database) => void;
  /** One read-only connection to an existing file; `write` is refused. */
  readOnly?: boolean;
  /** How long a write waits for another process's write lock before it fails as "busy". */
  busyTimeoutMs?: number;
  /** Prepared statements kept per connection, keyed by SQL text. */
  statementCacheSize?: number;
  /** Where a failed checkpoint (on its own thread, see checkpointer.ts) is reported. */
  onCheckpointError?: (err: Error) => void;
  /** At most one checkpoint per this many ms (default 1 s). */
  checkpointIntervalMs?: number;
}

const DEFAULTS = { readOnly: false, busyTimeoutMs: 5000, statementCacheSize: 500 } as const;

export function openSqlite(path: string, options: SqliteOptions = {}): SqlDatabase {
  const o = { ...DEFAULTS, ...options };
  if (o.readOnly) {
    const reader = new BetterSqlite3(path, { readonly: true, fileMustExist: true });
    reader.pragma(`busy_timeout = ${o.busyTimeoutMs}`);
    return new SqliteDatabase(null, new Statements(reader, o.statementCacheSize), o.busyTimeoutMs);
  }
  mkdirSync(dirname(path), { recursive: true });
  const writer = new BetterSqlite3(path);
  try {
    const wal = writer.pragma("journal_mode = WAL", { simple: true }) === "wal";
    // A press is acknowledged only after its commit survives a power cut, not just a crash: with
    // a log, the LogFlusher's fsync after the commit does that; without one (a memory database),
    // SQLite's own FULL.
    writer.pragma(wal ? "synchronous = NORMAL" : "synchronous = FULL");
    writer.pragma("foreign_keys = ON");
    writer.pragma(`busy_timeout = ${o.busyTimeoutMs}`);
    o.migrate?.(writer);
    // From now on the writer waits for the lock asynchronously (see the top of this file).
    writer.pragma("busy_timeout = 0");
    const reader = new BetterSqlite3(path);
    reader.pragma(`busy_timeout = ${o.busyTimeoutMs}`);
    reader.pragma("query_only = ON");
    let walWork: WalWork | null = null;
    if (wal) {
      // Checkpoints run on their own thread; the writer runs them only when that thread cannot.
      writer.pragma("wal_autocheckpoint = 0");
      const checkpointer = new Checkpointer(path, {
        ...(o.onCheckpointError ? { onError: o.onCheckpointError } : {}),
        ...(o.checkpointIntervalMs !== undefined ? { intervalMs: o.checkpointIntervalMs } : {}),
        writerCheckpoints: (on) => {
          if (writer.open) writer.pragma(`wal_autocheckpoint = ${on ? 1000 : 0}`);
        },
      });
      walWork = { log: new LogFlusher(`${path}-wal`), checkpointer };
    }
    return new SqliteDatabase(
      new Statements(writer, o.statementCacheSize),
      new Statements(reader, o.statementCacheSize),
      o.busyTimeoutMs,
      walWork,
    );
  } catch (err) {
    writer.close();
    throw err;
  }
}

/** SQLite's primary result codes that mean the storage, not the statement, failed. */
const FAULT_OF_CODE: Record<string, StorageFault> = {
  SQLITE_BUSY: "busy",
  SQLITE_LOCKED: "busy",
  SQLITE_READONLY: "read_only",
  SQLITE_FULL: "full",
  SQLITE_IOERR: "io",
  SQLITE_CANTOPEN: "io",
  SQLITE_PROTOCOL: "io",
  SQLITE_NOLFS: "io",
  SQLITE_CORRUPT: "corrupt",
  SQLITE_NOTADB: "corrupt",
};

/** A StorageError for SQLite's storage faults (extended codes included); other errors as they are. */
export function asStorageError(err: unknown): unknown {
  if (err instanceof StorageError) return err;
  if (err instanceof TypeError && /not open/.test(err.message)) {
    return new StorageError("closed", "the database connection is closed", { cause: err });
  }
  const code = (err as { code?: unknown }).code;
  if (typeof code !== "string") return err;
  const fault = FAULT_OF_CODE[code.replace(/^(SQLITE_[A-Z]+)_.*$/, "$1")];
  return fault ? new StorageError(fault, `${(err as Error).message} (${code})`, { cause: err }) : err;
}

/** One connection with its prepared statements, cached by SQL text. */
class Statements {
  private readonly cache = new Map<string, Statement>();
  /** The last storage fault on this connection: why SQLite may have given a transaction up. */
  lastFault: StorageFault | null = null;
  constructor(
    readonly db: Database,
    private readonly max: number,
  ) {}

  /** Runs one call on the connection, turning storage faults into StorageError. */
  private guard<T>(fn: () => T): T {
    try {
      return fn();
    } catch (err) {
      const converted = asStorageError(err);
      if (converted instanceof StorageError) this.lastFault = converted.fault;
      throw converted;
    }
  }

  private statement(sql: string): Statement {
    let s = this.cache.get(sql);
    if (s === undefined) {
      s = this.db.prepare(sql);
      // SQL texts are constants in the repositories, so this bound is a guard, not a policy.
      if (this.cache.size >= this.max) this.cache.delete(this.cache.keys().next().value!);
      this.cache.set(sql, s);
    }
    return s;
  }

  get<T>(sql: string, params: SqlParams): T | undefined {
    return this.guard(() => this.statement(sql).get(...params) as T | undefined);
  }
  all<T>(sql: string, params: SqlParams): T[] {
    return this.guard(() => this.statement(sql).all(...params) as T[]);
  }
  run(sql: string, params: SqlParams): { changes: number } {
    return this.guard(() => ({ changes: this.statement(sql).run(...params).changes }));
  }
  close(): void {
    this.db.close();
  }
}

/** While the lock is known to be held elsewhere, a write waits only this long, so callers queued
 * behind it learn at once (a 503, a held batch) instead of waiting the full timeout each. */
const BUSY_AGAIN_MS = 100;

/**
 * Flushes the write-ahead log (fsync on libuv's thread pool). Every `flush()` resolves after an
 * fsync that started after the call: one runs at a time, and all who call while it runs share the
 * next. The log file lives as long as any connection to the database is open — ours are — so
 * the handle opened on the first flush stays the log's.
 */
export class LogFlusher {
  private handle: Promise<FileHandle> | null = null;
  private running: Promise<void> | null = null;
  private queued: Promise<void> | null = null;
  /** fsyncs done. */
  flushes = 0;

  constructor(private readonly path: string) {}

  flush(): Promise<void> {
    if (this.running === null) return (this.running = this.fsync());
    // The running fsync may have started before this caller's commit: wait for the next one.
    this.queued ??= this.running
      .catch(() => undefined)
      .then(() => {
        this.queued = null;
        return this.flush();
      });
    return this.queued;
  }

  /** Call once no flush can be asked for any more. */
  async close(): Promise<void> {
    await Promise.allSettled([this.running, this.queued]);
    const handle = this.handle;
    this.handle = null;
    if (handle) await (await handle.catch(() => null))?.close();
  }

  private async fsync(): Promise<void> {
    try {
      if (this.handle === null) {
        this.handle = open(this.path, "r+");
        this.handle.catch(() => (this.handle = null)); // a failed open is retried by the next flush
      }
      await (await this.handle).sync();
      this.flushes++;
    } catch (err) {
      const code = (err as { code?: unknown }).code;
      throw new StorageError(code === "ENOSPC" ? "full" : "io", `flushing the log failed: ${String(err)}`, {
        cause: err,
      });
    } finally {
      this.running = null;
    }
  }
}

/** What a database with a write-ahead log does off the event loop: flush it, checkpoint it. */
interface WalWork {
  log: LogFlusher;
  checkpointer: Checkpointer;
}

class SqliteDatabase implements SqlDatabase {
  readonly dialect = "sqlite" as const;
  readonly stats: { commits: number; readonly flushes: number };
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;
  private lockHeldElsewhere = false;
  /** Settles after the flush of the last write asked for (flushes settle in order). */
  private lastDurable: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly writer: Statements | null,
    private readonly reader: Statements,
    private readonly busyTimeoutMs: number,
    private readonly wal: WalWork | null = null,
  ) {
    const log = wal?.log ?? null;
    this.stats = {
      commits: 0,
      // Without a log (a memory database), SQLite flushes at each commit itself.
      get flushes(): number {
        return log === null ? this.commits : log.flushes;
      },
    };
  }

  get<T>(sql: string, params: SqlParams = []): Promise<T | undefined> {
    return this.read(() => this.reader.get<T>(sql, params));
  }

  all<T>(sql: string, params: SqlParams = []): Promise<T[]> {
    return this.read(() => this.reader.all<T>(sql, params));
  }

  write<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    return this.commit(fn).then(async ({ value, durable }) => (await durable, value));
  }

  commit<T>(fn: (tx: Tx) => Promise<T>): Promise<Committed<T>> {
    const writer = this.writer;
    if (writer === null) return Promise.reject(new Error("this database was opened read-only"));
    if (this.closed) return Promise.reject(new StorageError("closed", "database is closed"));
    const result = this.queue.then(async () => {
      try {
        const value = await transaction(
          writer,
          fn,
          this.lockHeldElsewhere ? BUSY_AGAIN_MS : this.busyTimeoutMs,
        );
        this.lockHeldElsewhere = false;
        this.stats.commits++;
        this.wal?.checkpointer.committed();
        return value;
      } catch (err) {
        if (err instanceof StorageError && err.fault === "busy") this.lockHeldElsewhere = true;
        throw err;
      }
    });
    // The next transaction may begin at once; this one's flush runs meanwhile.
    this.queue = result.catch(() => undefined);
    return result.then((value) => {
      const durable = this.wal === null ? Promise.resolve() : this.wal.log.flush();
      this.lastDurable = durable.catch(() => undefined);
      return { value, durable };
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.queue;
    await this.lastDurable;
    await this.wal?.log.close();
    await this.wal?.checkpointer.close();
    this.reader.close();
    // The writer, last to close, checkpoints what is left (flushing as NORMAL does).
    this.writer?.close();
  }

  private read<T>(fn: () => T): Promise<T> {
    return settle(() => {
      if (this.closed) throw new StorageError("closed", "database is closed");
      return fn();
    });
  }
}

/** A synchronous call as a promise: a throw becomes a rejection, as a remote database's error would. */
function settle<T>(fn: () => T): Promise<T> {
  return new Promise((resolve) => resolve(fn()));
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** BEGIN IMMEDIATE, waiting for another process's write lock from timers, never blocking. */
async function begin(writer: Statements, busyTimeoutMs: number): Promise<void> {
  const deadline = Date.now() + busyTimeoutMs;
  for (let pause = 2; ; pause = Math.min(pause * 2, 100)) {
    try {
      writer.run("BEGIN IMMEDIATE", []);
      writer.lastFault = null;
      return;
    } catch (err) {
      if (!(err instanceof StorageError && err.fault === "busy") || Date.now() >= deadline) throw err;
    }
    await sleep(Math.min(pause, Math.max(1, deadline - Date.now())));
  }
}

async function transaction<T>(
  writer: Statements,
  fn: (tx: Tx) => Promise<T>,
  busyTimeoutMs: number,
): Promise<T> {
  await begin(writer, busyTimeoutMs);
  const tx = new SqliteTx(writer, { savepoints: 0 });
  try {
    const result = await fn(tx);
    tx.finish();
    writer.run("COMMIT", []);
    return result;
  } catch (err) {
    tx.finish();
    // A failed COMMIT may already have rolled back (constraint) or not (busy): leave no tx open.
    try {
      if (writer.db.inTransaction) writer.run("ROLLBACK", []);
    } catch {
      // The rollback of a failing disk may fail too; the first error is the one to report.
    }
    throw err;
  }
}

/** A transaction, or a savepoint inside one; refuses use after it ended or while a savepoint of it runs. */
class SqliteTx implements Tx {
  private state: "open" | "suspended" | "done" = "open";

  constructor(
    private readonly writer: Statements,
    private readonly root: { savepoints: number },
  ) {}

  get<T>(sql: string, params: SqlParams = []): Promise<T | undefined> {
    return this.op(() => this.writer.get<T>(sql, params));
  }
  all<T>(sql: string, params: SqlParams = []): Promise<T[]> {
    return this.op(() => this.writer.all<T>(sql, params));
  }
  run(sql: string, params: SqlParams = []): Promise<{ changes: number }> {
    return this.op(() => this.writer.run(sql, params));
  }

  async savepoint<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    this.check();
    const name = `sp${++this.root.savepoints}`;
    this.writer.run(`SAVEPOINT ${name}`, []);
    const inner = new SqliteTx(this.writer, this.root);
    this.state = "suspended";
    try {
      const result = await fn(inner);
      inner.finish();
      this.writer.run(`RELEASE ${name}`, []);
      return result;
    } catch (err) {
      inner.finish();
      // If the database already rolled the whole transaction back (disk full), the outer
      // transaction fails at its next statement; the savepoint's own error is the one to report.
      if (this.writer.db.inTransaction) {
        this.writer.run(`ROLLBACK TO ${name}`, []);
        this.writer.run(`RELEASE ${name}`, []);
      }
      throw err;
    } finally {
      if (this.state === "suspended") this.state = "open";
    }
  }

  finish(): void {
    this.state = "done";
  }

  private check(): void {
    if (this.state === "done") throw new Error("transaction already ended");
    if (this.state === "suspended") throw new Error("a savepoint of this transaction is running: use its tx");
    // Never let a statement run in autocommit mode after SQLite gave the transaction up.
    if (!this.writer.db.inTransaction) {
      throw new StorageError(this.writer.lastFault ?? "io", "the database rolled this transaction back");
    }
  }

  private op<T>(fn: () => T): Promise<T> {
    return settle(() => {
      this.check();
      return fn();
    });
  }
}
