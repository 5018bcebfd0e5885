// The PostgreSQL driver of the SQL port (node-postgres). The same contract as the SQLite driver
// (docs/decisions/0005-one-async-sql-port.md, 0007-postgresql.md):
//   - write transactions run one at a time per process, from a queue, each on one pool client:
//     BEGIN … COMMIT, savepoints inside; a write resolves only after its COMMIT returned, which
//     with PostgreSQL's synchronous_commit (the default) means the commit is on disk;
//   - top-level reads go to any pool client and see committed data only;
//   - `?` placeholders become $1, $2, … (not inside literals or quoted names), and every
//     statement is prepared once per connection; BIGINT and NUMERIC
//     come back as JS numbers, as SQLite's integers and reals do (ids and epoch ms are far below 2^53).
// PostgreSQL aborts a transaction at its first failed statement, where SQLite lets it go on: a
// failure outside a savepoint dooms the whole write (it rejects, even if the caller caught the
// statement's error), and a savepoint whose statement failed is rolled back as if it had thrown.
// Nothing is ever committed that a failed statement was part of.
// Storage faults (the server unreachable or shutting down, a lock or statement timeout, a
// read-only server, a full disk, I/O errors) reject as StorageError, as the SQLite driver's do.
import { createHash } from "node:crypto";
import pg from "pg";
import {
  StorageError,
  type SqlDatabase,
  type SqlParams,
  type SqlValue,
  type Committed,
  type StorageFault,
  type Tx,
} from "./sql.ts";
import { numberPlaceholders } from "./sql-text.ts";

export interface PostgresOptions {
  /** Runs on one client before anything else (the migration runner). */
  migrate?: (client: pg.ClientBase) => Promise<unknown>;
  /** Every session read-only; `write` is refused. */
  readOnly?: boolean;
  /** Pool size: the write transaction takes one client, reads share the rest. */
  maxConnections?: number;
  /**
   * A statement still running after this long is cancelled by the server, and fails; one whose
   * answer has not come 5 s later (the server or the network is gone) fails on our side.
   */
  statementTimeoutMs?: number;
  /** A session left idle inside a transaction this long (a hung process) is ended by the server. */
  idleInTransactionTimeoutMs?: number;
  connectTimeoutMs?: number;
  /** A statement waiting this long for another session's lock fails as busy. */
  lockTimeoutMs?: number;
  /** Errors of idle pool clients (the server restarted, the network dropped); the pool replaces them. */
  onIdleError?: (err: Error) => void;
}

const DEFAULTS = {
  readOnly: false,
  maxConnections: 8,
  statementTimeoutMs: 30_000,
  idleInTransactionTimeoutMs: 60_000,
  connectTimeoutMs: 10_000,
  lockTimeoutMs: 10_000,
} as const;

/** BIGINT (COUNT(*), times) and NUMERIC (AVG) as numbers; everything else as pg parses it. */
const AS_NUMBER = new Set<number>([pg.types.builtins.INT8, pg.types.builtins.NUMERIC]);
const TYPES = {
  getTypeParser: (oid: number, format?: "text" | "binary"): ((value: string) => unknown) =>
    AS_NUMBER.has(oid) ? Number : (pg.types.getTypeParser(oid, format) as (value: string) => unknown),
};

export async function openPostgres(url: string, options: PostgresOptions = {}): Promise<SqlDatabase> {
  const o = { ...DEFAULTS, ...options };
  const pool = new pg.Pool({
    connectionString: url,
    max: o.maxConnections,
    types: TYPES,
    statement_timeout: o.statementTimeoutMs,
    lock_timeout: o.lockTimeoutMs,
    query_timeout: o.statementTimeoutMs + 5000,
    idle_in_transaction_session_timeout: o.idleInTransactionTimeoutMs,
    connectionTimeoutMillis: o.connectTimeoutMs,
    // A dead server or network is noticed within seconds, not the kernel's two hours.
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
    maxLifetimeSeconds: 3600,
    // Queries queued on a client go out at once instead of one per round trip (see savepoint()).
    pipeline: true,
    application_name: "eldercare-dispatcher",
    ...(o.readOnly ? { options: "-c default_transaction_read_only=on" } : {}),
  });
  // An idle client's error (server restart, network) would otherwise be an uncaught 'error' event.
  pool.on("error", (err) => o.onIdleError?.(err));
  try {
    const { client, release } = await checkout(pool);
    try {
      await o.migrate?.(client);
    } finally {
      release();
    }
  } catch (err) {
    await pool.end();
    throw asStorageError(err);
  }
  return new PostgresDatabase(pool, o.readOnly);
}

/**
 * A client taken from the pool. While it is out, the pool does not listen to its errors: a
 * connection lost then (the server died mid-transaction) would be an uncaught 'error' that ends
 * the process. Its queries fail anyway; the lost client is closed on release, not reused.
 */
async function checkout(
  pool: pg.Pool,
): Promise<{ client: pg.PoolClient; release: (broken?: Error) => void }> {
  const client = await pool.connect().catch((err: unknown) => {
    throw asStorageError(err);
  });
  let lost: Error | undefined;
  const onError = (err: Error) => (lost ??= err);
  client.on("error", onError);
  return {
    client,
    release: (broken) => {
      client.off("error", onError);
      client.release(broken ?? lost);
    },
  };
}

/** SQLSTATE classes and codes that mean the storage, not the statement, failed. */
const FAULT_OF_SQLSTATE: [RegExp, StorageFault][] = [
  [/^08/, "io"], // connection exception
  [/^57P0[1-4]$/, "io"], // the server is shutting down, crashed, or not accepting connections yet
  [/^55P03$|^40001$|^40P01$|^57014$|^53300$|^53400$/, "busy"], // lock, serialization, deadlock, timeout, too many connections
  [/^25006$/, "read_only"],
  [/^53100$/, "full"],
  [/^53200$|^58/, "io"], // out of memory, system and I/O errors
  [/^XX001$|^XX002$/, "corrupt"],
];

/** Node's socket errors and pg's own words for a connection that is gone. */
const CONNECTION_LOST =
  /^E(CONNREFUSED|CONNRESET|PIPE|TIMEDOUT|HOSTUNREACH|NETUNREACH|AI_AGAIN)$|^ENOTFOUND$/;
const CONNECTION_LOST_MESSAGE =
  /Connection terminated|not queryable|timeout exceeded when trying to connect|Query read timeout/;

/** A StorageError for PostgreSQL's storage faults; other errors (constraints, syntax) as they are. */
export function asStorageError(err: unknown): unknown {
  if (err instanceof StorageError || !(err instanceof Error)) return err;
  const code = (err as { code?: unknown }).code;
  const fault =
    typeof code === "string"
      ? (FAULT_OF_SQLSTATE.find(([re]) => re.test(code))?.[1] ??
        (CONNECTION_LOST.test(code) ? "io" : undefined))
      : CONNECTION_LOST_MESSAGE.test(err.message)
        ? "io"
        : undefined;
  return fault
    ? new StorageError(fault, `${err.message}${typeof code === "string" ? ` (${code})` : ""}`, { cause: err })
    : err;
}

/** "Rolled back because of `cause`": a StorageError when the cause was one. */
function rolledBack(cause: Error | null): Error {
  const message = `the database rolled this transaction back${cause ? ` after: ${cause.message}` : ""}`;
  if (cause === null) return new StorageError("io", message);
  return cause instanceof StorageError
    ? new StorageError(cause.fault, message, { cause })
    : new Error(message, { cause });
}

/**
 * Every statement is prepared once per connection, by name: PostgreSQL then skips parsing and
 * planning it again, which is most of the cost of the repositories' short statements (measured:
 * 450 → 110–180 µs for the device lookup of every press). The name and the `$n` text are
 * derived from the SQL text once; connections are recycled hourly (maxLifetimeSeconds), which
 * bounds the statements a connection keeps to those of the last hour.
 */
const prepared = new Map<string, { name: string; text: string }>();
function statement(sql: string): { name: string; text: string } {
  let s = prepared.get(sql);
  if (s === undefined) {
    s = { name: `q${createHash("sha1").update(sql).digest("base64url")}`, text: numberPlaceholders(sql) };
    // SQL texts are constants in the repositories, so this bound is a guard, not a policy.
    if (prepared.size >= 2000) prepared.delete(prepared.keys().next().value!);
    prepared.set(sql, s);
  }
  return s;
}

function query(q: pg.Pool | pg.ClientBase, sql: string, params: SqlParams): Promise<pg.QueryResult> {
  return q.query({ ...statement(sql), values: params as SqlValue[] }).catch((err: unknown) => {
    throw asStorageError(err);
  });
}

/** A statement without parameters (BEGIN, COMMIT, SAVEPOINT …). */
function control(client: pg.ClientBase, sql: string): Promise<pg.QueryResult> {
  return client.query(sql).catch((err: unknown) => {
    throw asStorageError(err);
  });
}

class PostgresDatabase implements SqlDatabase {
  readonly dialect = "postgres" as const;
  readonly stats = {
    commits: 0,
    // COMMIT returns once the commit is flushed (synchronous_commit): one flush each.
    get flushes(): number {
      return this.commits;
    },
  };
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;

  constructor(
    private readonly pool: pg.Pool,
    private readonly readOnly: boolean,
  ) {}

  async get<T>(sql: string, params: SqlParams = []): Promise<T | undefined> {
    return (await this.all<T>(sql, params))[0];
  }

  async all<T>(sql: string, params: SqlParams = []): Promise<T[]> {
    if (this.closed) throw new StorageError("closed", "database is closed");
    return (await query(this.pool, sql, params)).rows as T[];
  }

  write<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    if (this.readOnly) return Promise.reject(new Error("this database was opened read-only"));
    if (this.closed) return Promise.reject(new StorageError("closed", "database is closed"));
    const result = this.queue.then(() => this.transaction(fn));
    this.queue = result.catch(() => undefined);
    return result;
  }

  /** PostgreSQL answers COMMIT once the commit is flushed (synchronous_commit): durable already. */
  async commit<T>(fn: (tx: Tx) => Promise<T>): Promise<Committed<T>> {
    return { value: await this.write(fn), durable: Promise.resolve() };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.queue;
    await this.pool.end();
  }

  private async transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    const { client, release } = await checkout(this.pool);
    const tx = new PostgresTx(client, { savepoints: 0 });
    let broken: Error | undefined;
    try {
      await control(client, "BEGIN");
      const result = await fn(tx);
      tx.finish();
      if (tx.failure) throw rolledBack(tx.failure);
      const commit = await control(client, "COMMIT");
      // PostgreSQL answers COMMIT of an aborted transaction with ROLLBACK rather than an error
      // (a pipelined SAVEPOINT or RELEASE that failed has aborted it).
      if (commit.command !== "COMMIT" || tx.failure) throw rolledBack(tx.failure);
      this.stats.commits++;
      return result;
    } catch (err) {
      tx.finish();
      await client.query("ROLLBACK").catch((e: Error) => (broken = e));
      throw err;
    } finally {
      // A client whose ROLLBACK failed is in an unknown state: the pool closes it.
      release(broken);
    }
  }
}

/** A transaction, or a savepoint inside one; refuses use after it ended or while a savepoint of it runs. */
class PostgresTx implements Tx {
  private state: "open" | "suspended" | "done" = "open";
  /** The first statement of this level that failed: the level is aborted until rolled back. */
  failure: Error | null = null;

  constructor(
    private readonly client: pg.ClientBase,
    private readonly root: { savepoints: number },
  ) {}

  async get<T>(sql: string, params: SqlParams = []): Promise<T | undefined> {
    return (await this.statement(sql, params)).rows[0] as T | undefined;
  }
  async all<T>(sql: string, params: SqlParams = []): Promise<T[]> {
    return (await this.statement(sql, params)).rows as T[];
  }
  async run(sql: string, params: SqlParams = []): Promise<{ changes: number }> {
    return { changes: (await this.statement(sql, params)).rowCount ?? 0 };
  }

  async savepoint<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    this.check();
    const name = `sp${++this.root.savepoints}`;
    // SAVEPOINT and RELEASE are pipelined: sent without waiting for their answer, they travel
    // with the statement that follows them, which saves two round trips per savepoint. If one
    // fails, every statement after it fails too, and COMMIT answers ROLLBACK.
    this.send(`SAVEPOINT ${name}`);
    const inner = new PostgresTx(this.client, this.root);
    this.state = "suspended";
    try {
      const result = await fn(inner);
      inner.finish();
      if (inner.failure) throw inner.failure;
      this.send(`RELEASE SAVEPOINT ${name}`);
      return result;
    } catch (err) {
      inner.finish();
      // Undo the savepoint's part; the transaction goes on. If even that fails (the connection
      // is gone), this level is aborted too and the transaction will not commit.
      await this.control(`ROLLBACK TO SAVEPOINT ${name}`)
        .then(() => this.control(`RELEASE SAVEPOINT ${name}`))
        .catch(() => undefined);
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
    if (this.failure) throw rolledBack(this.failure);
  }

  private async statement(sql: string, params: SqlParams): Promise<pg.QueryResult> {
    this.check();
    try {
      return await query(this.client, sql, params);
    } catch (err) {
      this.failure ??= err as Error;
      throw err;
    }
  }

  /** A control statement whose answer nobody waits for; if it fails, this level is aborted. */
  private send(sql: string): void {
    control(this.client, sql).catch((err: Error) => {
      this.failure ??= err;
    });
  }

  /** ROLLBACK TO / RELEASE after a failure: if one fails, this level is aborted. */
  private async control(sql: string): Promise<void> {
    try {
      await control(this.client, sql);
    } catch (err) {
      this.failure ??= err as Error;
      throw err;
    }
  }
}
