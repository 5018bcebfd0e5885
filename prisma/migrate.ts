// Applies the SQL migrations in prisma/migrations (Prisma's folder format) at start-up, without
// Prisma's native schema engine. Bookkeeping uses Prisma's own `_prisma_migrations` table, so the
// database stays compatible with `prisma migrate` wherever that engine is available.
// See docs/decisions/0001-migrations-without-the-native-engine.md.
import { createHash, randomUUID } from "node:crypto";
import { readdirSync, readFileSync, existsSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import type { Database } from "better-sqlite3";

export const MIGRATIONS_DIR = join(dirname(fileURLToPath(import.meta.url)), "migrations");

export class MigrationError extends Error {}

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
  const done = new Map(
    (
      db
        .prepare(
          `SELECT migration_name, checksum FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`,
        )
        .all() as { migration_name: string; checksum: string }[]
    ).map((r) => [r.migration_name, r.checksum]),
  );
  const names = readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(dir, d.name, "migration.sql")))
    .map((d) => d.name)
    .sort();
  const applied: string[] = [];
  for (const name of names) {
    const sql = readFileSync(join(dir, name, "migration.sql"), "utf8");
    const checksum = createHash("sha256").update(sql).digest("hex");
    const previous = done.get(name);
    if (previous !== undefined) {
      if (previous !== checksum) {
        throw new MigrationError(`migration ${name} was changed after it was applied (checksum mismatch)`);
      }
      continue;
    }
    const run = db.transaction(() => {
      db.exec(sql);
      db.prepare(
        `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, finished_at, applied_steps_count)
         VALUES (?, ?, ?, ?, ?, 1)`,
      ).run(randomUUID(), checksum, name, Date.now(), Date.now());
    });
    try {
      run();
    } catch (err) {
      throw new MigrationError(`migration ${name} failed: ${(err as Error).message}`);
    }
    applied.push(name);
  }
  return { applied };
}
