// Applies the SQL migrations in prisma/migrations (Prisma's folder format) at start-up, without
// Prisma's native schema engine. Bookkeeping uses Prisma's own `_prisma_migrations` table, so the
// database stays compatible with `prisma migrate` wherever that engine is available.
// See docs/decisions/0001-migrations-without-the-native-engine.md.
// Each migration is written once, as SQLite DDL; on PostgreSQL it is translated when it is applied
// (prisma/sqlite-to-postgres.ts, docs/decisions/0007-postgresql.md). The checksum is that of the
// file as written, on both engines.
import { createHash, randomUUID } from "node:crypto";
import { readdirSync, readFileSync, existsSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import type { Database } from "better-sqlite3";
import type { ClientBase } from "pg";
import { sqliteToPostgres } from "./sqlite-to-postgres.ts";

export const MIGRATIONS_DIR = join(dirname(fileURLToPath(import.meta.url)), "migrations");

export class MigrationError extends Error {}

export interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

/** The migration folders in order of their names (timestamps first). */
export function readMigrations(dir = MIGRATIONS_DIR): Migration[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(dir, d.name, "migration.sql")))
    .map((d) => d.name)
    .sort()
    .map((name) => {
      const sql = readFileSync(join(dir, name, "migration.sql"), "utf8");
      return { name, sql, checksum: createHash("sha256").update(sql).digest("hex") };
    });
}

/** Those not applied yet; an applied one whose file changed since is an error. */
function pending(all: Migration[], applied: { migration_name: string; checksum: string }[]): Migration[] {
  const done = new Map(applied.map((r) => [r.migration_name, r.checksum]));
  return all.filter((m) => {
    const previous = done.get(m.name);
    if (previous !== undefined && previous !== m.checksum) {
      throw new MigrationError(`migration ${m.name} was changed after it was applied (checksum mismatch)`);
    }
    return previous === undefined;
  });
}

const APPLIED = `SELECT migration_name, checksum FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`;

export function applyMigrations(db: Database, dir = MIGRATIONS_DIR): { applied: string[] } {
  db.exec(`CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id" TEXT PRIMARY KEY NOT NULL,
    "checksum" TEXT NOT NULL,
    "finished_at" DATETIME,
    "migration_name" TEXT NOT NULL,
    "logs" TEXT,
    "rolled_back_at" DATETIME,
    "started_at" DATETIME NOT NULL DEFAULT current_timestamp,
    "applied_steps_count" INTEGER UNSIGNED NOT NULL DEFAULT 0
  )`);
  const todo = pending(
    readMigrations(dir),
    db.prepare(APPLIED).all() as { migration_name: string; checksum: string }[],
  );
  for (const m of todo) {
    const run = db.transaction(() => {
      db.exec(m.sql);
      db.prepare(
        `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, finished_at, applied_steps_count)
         VALUES (?, ?, ?, ?, ?, 1)`,
      ).run(randomUUID(), m.checksum, m.name, Date.now(), Date.now());
    });
    try {
      run();
    } catch (err) {
      throw new MigrationError(`migration ${m.name} failed: ${(err as Error).message}`);
    }
  }
  return { applied: todo.map((m) => m.name) };
}

/**
 * The advisory lock `prisma migrate` takes on PostgreSQL: instances starting together (and a
 * `prisma migrate` run) apply migrations one after the other, and the later ones find nothing to do.
 */
export const MIGRATION_LOCK = 72707369;

/** How long an instance waits for another one's migrations before it gives up. */
const LOCK_WAIT_MS = 120_000;

export async function applyPostgresMigrations(
  client: ClientBase,
  dir = MIGRATIONS_DIR,
): Promise<{ applied: string[] }> {
  const all = readMigrations(dir);
  // Migrations may take long (an index on a big table); this session is the runner's alone.
  await client.query(`SET statement_timeout = 0`);
  await client.query(`SET lock_timeout = ${LOCK_WAIT_MS}`);
  await client.query(`SELECT pg_advisory_lock(${MIGRATION_LOCK})`);
  try {
    await client.query(`SET lock_timeout = 0`);
    // Prisma's own definition of the table on PostgreSQL.
    await client.query(`CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
      "id" VARCHAR(36) PRIMARY KEY NOT NULL,
      "checksum" VARCHAR(64) NOT NULL,
      "finished_at" TIMESTAMPTZ,
      "migration_name" VARCHAR(255) NOT NULL,
      "logs" TEXT,
      "rolled_back_at" TIMESTAMPTZ,
      "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
      "applied_steps_count" INTEGER NOT NULL DEFAULT 0
    )`);
    const done = await client.query<{ migration_name: string; checksum: string }>(APPLIED);
    const todo = pending(all, done.rows);
    // All translated before the first is applied: one the translator refuses stops them all.
    const translated = todo.map((m) => {
      try {
        return { ...m, ddl: sqliteToPostgres(m.sql) };
      } catch (err) {
        throw new MigrationError(`migration ${m.name}: ${(err as Error).message}`);
      }
    });
    for (const m of translated) {
      try {
        await client.query("BEGIN");
        await client.query(m.ddl);
        await client.query(
          `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, finished_at, applied_steps_count)
           VALUES ($1, $2, $3, now(), now(), 1)`,
          [randomUUID(), m.checksum, m.name],
        );
        await client.query("COMMIT");
      } catch (err) {
        await client.query("ROLLBACK").catch(() => undefined);
        throw new MigrationError(`migration ${m.name} failed on PostgreSQL: ${(err as Error).message}`);
      }
    }
    return { applied: todo.map((m) => m.name) };
  } finally {
    await client.query(`SELECT pg_advisory_unlock(${MIGRATION_LOCK})`).catch(() => undefined);
    await client.query(`RESET statement_timeout; RESET lock_timeout`).catch(() => undefined);
  }
}
