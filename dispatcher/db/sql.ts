// The one way the dispatcher talks to its database: an async SQL port that a SQLite driver serves
// today and a PostgreSQL driver can serve later (docs/decisions/0005-one-async-sql-port.md).
//
// SQL written against it is portable: `?` placeholders (a PostgreSQL driver rewrites them to $n),
// double-quoted identifiers wherever case matters ("Case", "residentId"), times as integer epoch
// milliseconds, booleans as 0/1, JSON as TEXT parsed by the repository, `INSERT … RETURNING id`
// for new ids, `ON CONFLICT … DO …`, and no functions only one database knows.

import type { StorageFault } from "../../protocol/health.ts";

export type { StorageFault } from "../../protocol/health.ts";

export type SqlValue = string | number | bigint | null | Buffer;

/**
 * The database cannot read or commit right now: locked by another process, read-only, disk
 * full, an I/O error. Nothing of the failed transaction was committed, so nothing may be
 * acknowledged; the caller retries with backoff (docs/architecture.md, "When storage fails").
 * Any other rejection of `write()` is the caller's own error (a constraint, a refused command).
 */
export class StorageError extends Error {
  constructor(
    readonly fault: StorageFault,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "StorageError";
  }
}

export function isStorageError(err: unknown): err is StorageError {
  return err instanceof StorageError;
}
export type SqlParams = readonly SqlValue[];

export interface Queryable {
  /** The first row, or undefined. */
  get<T>(sql: string, params?: SqlParams): Promise<T | undefined>;
  all<T>(sql: string, params?: SqlParams): Promise<T[]>;
}

/** A write transaction; valid only until the function it was handed to settles. */
export interface Tx extends Queryable {
  run(sql: string, params?: SqlParams): Promise<{ changes: number }>;
  /**
   * Runs `fn` in a savepoint: if it throws, only its own writes are undone and the error is
   * rethrown; the outer transaction stays usable. While it runs, use only the tx it is given.
   */
  savepoint<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
}

export interface Committed<T> {
  value: T;
  /** Resolves once the commit is on disk; never left unhandled by the driver. */
  durable: Promise<void>;
}

export interface SqlDatabase extends Queryable {
  readonly dialect: "sqlite" | "postgres";
  /**
   * One write transaction at a time per process: no two writers ever interleave. Commits when
   * `fn` resolves, rolls back when it throws; resolves only after the commit is durable.
   * Rejects with a StorageError when the database cannot commit (nothing was committed) or
   * cannot make the commit durable (a failed flush: it may or may not be stored, so nothing of
   * it may be acknowledged; a retry must be idempotent, as the device intake's is).
   * `fn` should await nothing but its transaction, since every other writer waits for it.
   * Top-level `get`/`all` see only committed data, never a write transaction half done.
   */
  write<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
  /**
   * `write`, resolved as soon as the transaction has committed, with `durable` settling once the
   * commit is on disk (rejecting with a StorageError when it could not be made so). For a caller
   * that may act on what it committed at once — tell the consoles, offer the case — but must not
   * acknowledge anything to a device before `durable` resolves.
   */
  commit<T>(fn: (tx: Tx) => Promise<T>): Promise<Committed<T>>;
  /**
   * Write transactions committed so far, and flushes of the log that made them durable (SQLite:
   * one fsync may stand behind several commits; PostgreSQL: one per commit).
   */
  readonly stats: { readonly commits: number; readonly flushes: number };
  /** Waits for queued writes, then closes. */
  close(): Promise<void>;
}

/** `?, ?, ?` for an IN list of `n` parameters (n ≥ 1). */
export function placeholders(n: number): string {
  return Array.from({ length: n }, () => "?").join(", ");
}

/** A time stored as epoch ms, as the ISO 8601 text the wire carries. */
export function isoTime(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}

/** JSON stored as TEXT. */
export function parseJson(text: string | null): unknown {
  return text === null ? null : JSON.parse(text);
}

/**
 * The condition that keeps rows of the communities in `scope` (null = every community: no
 * condition). `column` is the repository's own column name, never input.
 */
export function scopeCondition(
  column: string,
  scope: readonly number[] | null,
): { sql: string; params: number[] } | null {
  if (scope === null) return null;
  if (scope.length === 0) return { sql: "1 = 0", params: [] };
  return { sql: `${column} IN (${placeholders(scope.length)})`, params: [...scope] };
}

/** The escape clause that goes with `likePattern`. */
export const LIKE_ESCAPE = `ESCAPE '\\'`;

/** A LIKE pattern (`%term%`, or `term%` for a prefix) that takes the term's own % and _ literally. */
export function likePattern(term: string, where: "contains" | "prefix" = "contains"): string {
  const escaped = term.replace(/[\\%_]/g, (c) => `\\${c}`);
  return where === "prefix" ? `${escaped}%` : `%${escaped}%`;
}

/** Who acknowledged a stored alert (staff alerts, coverage alerts: the same three columns), once;
 * the number of rows changed: 0 when it was already acknowledged or does not exist. */
export async function acknowledgeOnce(
  tx: Tx,
  table: "StaffAlert" | "CoverageAlert",
  id: number,
  by: { at: number; userId: number; name: string },
): Promise<number> {
  const { changes } = await tx.run(
    `UPDATE "${table}" SET "acknowledgedAt" = ?, "acknowledgedById" = ?, "acknowledgedByName" = ?
     WHERE id = ? AND "acknowledgedAt" IS NULL`,
    [by.at, by.userId, by.name, id],
  );
  return changes;
}
