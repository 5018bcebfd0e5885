// Opens the SQLite database twice over one file: a raw better-sqlite3 handle for the hot paths
// (ingest and case transitions, run as synchronous transactions so they never interleave with
// anything else on the event loop) and the Prisma client for everything else.
// See docs/decisions/0002-two-handles-one-file.md.
import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import BetterSqlite3, { type Database } from "better-sqlite3";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaClient } from "../../generated/prisma/client.ts";
import { applyMigrations } from "../../prisma/migrate.ts";

export type { Database };
export type Prisma = PrismaClient;

export interface Db {
  /** Absolute path of the SQLite file. */
  path: string;
  raw: Database;
  prisma: PrismaClient;
  close(): Promise<void>;
}

/** `file:./data/x.db` or a plain path → absolute file path. */
export function databasePath(url: string): string {
  return resolve(url.replace(/^file:/, ""));
}

export function openRaw(path: string): Database {
  mkdirSync(dirname(path), { recursive: true });
  const raw = new BetterSqlite3(path);
  raw.pragma("journal_mode = WAL");
  // FULL: a press is acknowledged only after its commit survives a power cut, not just a crash.
  raw.pragma("synchronous = FULL");
  raw.pragma("foreign_keys = ON");
  raw.pragma("busy_timeout = 5000");
  return raw;
}

export async function openDatabase(url: string): Promise<Db> {
  const path = databasePath(url);
  const raw = openRaw(path);
  applyMigrations(raw);
  const adapter = new PrismaBetterSqlite3({ url: path, timeout: 5000 }, { timestampFormat: "unixepoch-ms" });
  const prisma = new PrismaClient({ adapter });
  await prisma.$executeRawUnsafe("PRAGMA foreign_keys = ON");
  await prisma.$executeRawUnsafe("PRAGMA synchronous = FULL");
  return {
    path,
    raw,
    prisma,
    async close() {
      await prisma.$disconnect();
      raw.close();
    },
  };
}
