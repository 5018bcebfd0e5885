// Device credential lookup for the stand-alone broker: reads the dispatcher's SQLite file
// (table "Device", columns id and secretHash), read-only. The dispatcher owns the schema.
import { resolve } from "node:path";
import Database from "better-sqlite3";
import type { DeviceCredentialLookup } from "./types.ts";

export interface SqliteDeviceLookup {
  lookup: DeviceCredentialLookup;
  close(): void;
}

/** `file:./data/x.db` → absolute path, relative to the working directory. */
export function sqlitePathFromUrl(url: string): string {
  return resolve(url.replace(/^file:/, ""));
}

/** Fails at once if the file or the table is missing, rather than at the first CONNECT. */
export function openSqliteDeviceLookup(databaseUrl: string): SqliteDeviceLookup {
  const file = sqlitePathFromUrl(databaseUrl);
  let db: Database.Database;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
  } catch (err) {
    throw new Error(
      `cannot open device database ${file} (start the dispatcher once to create it): ${String(err)}`,
      {
        cause: err,
      },
    );
  }
  let select: Database.Statement<[string], { secretHash: string }>;
  try {
    select = db.prepare<[string], { secretHash: string }>(`SELECT secretHash FROM "Device" WHERE id = ?`);
  } catch (err) {
    db.close();
    throw new Error(`device database ${file} has no usable "Device" table: ${String(err)}`, { cause: err });
  }
  return {
    // better-sqlite3 is synchronous; a primary-key read takes microseconds and the broker
    // caches the answers, so this never holds the event loop for long.
    lookup: (deviceId) => {
      const row = select.get(deviceId);
      return Promise.resolve(row ? { secretHash: row.secretHash } : null);
    },
    close: () => db.close(),
  };
}
