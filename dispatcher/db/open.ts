// Opens the database a DATABASE_URL names, behind the SQL port: `file:` is SQLite (the embedded
// default), `postgresql://` PostgreSQL. Either is migrated first unless told otherwise.
import { resolve } from "node:path";
import { applyMigrations, applyPostgresMigrations } from "../../prisma/migrate.ts";
import { openPostgres } from "./postgres.ts";
import type { SqlDatabase } from "./sql.ts";
import { openSqlite } from "./sqlite.ts";
import { dialectOf, scheme } from "./url.ts";

export interface OpenOptions {
  /** Apply prisma/migrations first (the dispatcher does; the stand-alone broker only reads). */
  migrate?: boolean;
  /** An existing database, read only. */
  readOnly?: boolean;
  /** Where a PostgreSQL pool reports a broken idle connection (it replaces it by itself). */
  onIdleError?: (err: Error) => void;
  /** Where SQLite's checkpoint thread reports a failed checkpoint (the next one tries again). */
  onCheckpointError?: (err: Error) => void;
}

/** `file:./data/x.db` → absolute path of the SQLite file. */
function databasePath(url: string): string {
  return resolve(url.replace(/^file:/, ""));
}

export async function openDatabase(url: string, options: OpenOptions = {}): Promise<SqlDatabase> {
  const readOnly = options.readOnly ?? false;
  const migrate = options.migrate !== false && !readOnly;
  switch (dialectOf(url)) {
    case "sqlite":
      return openSqlite(databasePath(url), {
        readOnly,
        ...(migrate ? { migrate: applyMigrations } : {}),
        ...(options.onCheckpointError ? { onCheckpointError: options.onCheckpointError } : {}),
      });
    case "postgres":
      return openPostgres(url, {
        readOnly,
        ...(migrate ? { migrate: applyPostgresMigrations } : {}),
        ...(options.onIdleError ? { onIdleError: options.onIdleError } : {}),
      });
    default:
      throw new Error(
        `DATABASE_URL: expected file: (SQLite) or postgresql: (PostgreSQL), got ${scheme(url)}`,
      );
  }
}
