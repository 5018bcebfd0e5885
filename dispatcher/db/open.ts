// Opens the database a DATABASE_URL names, behind the SQL port. `file:` is SQLite (the embedded
// default); a PostgreSQL driver will answer `postgresql://` with the same port.
import { resolve } from "node:path";
import { applyMigrations } from "../../prisma/migrate.ts";
import type { SqlDatabase } from "./sql.ts";
import { openSqlite } from "./sqlite.ts";

export interface OpenOptions {
  /** Apply prisma/migrations first (the dispatcher does; the stand-alone broker only reads). */
  migrate?: boolean;
  /** An existing database, read only. */
  readOnly?: boolean;
}

/** `file:./data/x.db` → absolute path of the SQLite file. */
function databasePath(url: string): string {
  return resolve(url.replace(/^file:/, ""));
}

export function openDatabase(url: string, options: OpenOptions = {}): Promise<SqlDatabase> {
  if (!url.startsWith("file:")) {
    return Promise.reject(
      new Error(`DATABASE_URL: only file: (SQLite) is supported so far, got ${scheme(url)}`),
    );
  }
  return Promise.resolve(
    openSqlite(databasePath(url), {
      readOnly: options.readOnly ?? false,
      ...(options.migrate === false || options.readOnly ? {} : { migrate: applyMigrations }),
    }),
  );
}

/** The scheme only: a URL's credentials never reach a log or an error message. */
function scheme(url: string): string {
  return /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1] ?? "(no scheme)";
}
