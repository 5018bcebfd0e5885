// Migrations on a real PostgreSQL: Prisma's table rebuild keeps data, ids and the foreign keys of
// other tables, twice in a row, ending as the same tables SQLite ends with; instances starting
// together apply each migration once; a changed or untranslatable migration stops start-up.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import BetterSqlite3 from "better-sqlite3";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../dispatcher/db/open.ts";
import type { SqlDatabase } from "../../dispatcher/db/sql.ts";
import {
  applyMigrations,
  applyPostgresMigrations,
  MigrationError,
  readMigrations,
} from "../../prisma/migrate.ts";
import { sharedPostgres } from "../helpers/database.ts";
import { POSTGRES_MISSING, postgresBinDir } from "../helpers/postgres-bin.ts";
import { tableShape } from "../helpers/schema.ts";

const skip = postgresBinDir() === null;

const INIT = `-- CreateTable
CREATE TABLE "Child" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "parentId" INTEGER NOT NULL,
    "note" TEXT,
    "flag" BOOLEAN NOT NULL DEFAULT false,
    CONSTRAINT "Child_parentId_fkey" FOREIGN KEY ("parentId") REFERENCES "Parent" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Parent" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "name" TEXT NOT NULL
);

-- CreateTable
CREATE TABLE "Other" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "childId" INTEGER NOT NULL,
    CONSTRAINT "Other_childId_fkey" FOREIGN KEY ("childId") REFERENCES "Child" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "Child_parentId_idx" ON "Child"("parentId");
`;

/** Prisma's SQLite output for a changed model: rebuild "Child" with `column` added. */
const rebuild = (columns: string[], added: string) => `-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Child" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "parentId" INTEGER NOT NULL,
    "note" TEXT,
    "flag" BOOLEAN NOT NULL DEFAULT false,
    ${[...columns, added].join(",\n    ")},
    CONSTRAINT "Child_parentId_fkey" FOREIGN KEY ("parentId") REFERENCES "Parent" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);
INSERT INTO "new_Child" ("flag", "id", "note", "parentId") SELECT "flag", "id", "note", "parentId" FROM "Child";
DROP TABLE "Child";
ALTER TABLE "new_Child" RENAME TO "Child";
CREATE INDEX "Child_parentId_idx" ON "Child"("parentId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
`;

const MIGRATIONS: Record<string, string> = {
  "20260101000000_init": INIT,
  "20260102000000_child_score": rebuild([], `"score" REAL NOT NULL DEFAULT 0`),
  "20260103000000_child_seen": rebuild([`"score" REAL NOT NULL DEFAULT 0`], `"seenAt" DATETIME`),
};

let root: string;

/** A migrations folder with the given migrations. */
function folder(name: string, migrations: Record<string, string>): string {
  const dir = join(root, name);
  for (const [m, sql] of Object.entries(migrations)) {
    mkdirSync(join(dir, m), { recursive: true });
    writeFileSync(join(dir, m, "migration.sql"), sql);
  }
  return dir;
}

async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

const migrate = (url: string, dir: string) => withClient(url, (c) => applyPostgresMigrations(c, dir));

/** The same rows through the port on either engine. */
async function fill(db: SqlDatabase): Promise<void> {
  await db.write(async (tx) => {
    await tx.run(`INSERT INTO "Parent" (name) VALUES ('p')`);
    for (const note of ["a", "b", "c"])
      await tx.run(`INSERT INTO "Child" ("parentId", note) VALUES (1, ?)`, [note]);
    await tx.run(`INSERT INTO "Other" ("childId") VALUES (2)`);
  });
}

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), "eldercare-migrate-"));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe.skipIf(skip)(
  `Prisma's table rebuild on PostgreSQL${skip ? ` (skipped: ${POSTGRES_MISSING})` : ""}`,
  () => {
    let url: string;
    let db: SqlDatabase;
    let lite: SqlDatabase;

    beforeAll(async () => {
      const init = folder("init", { "20260101000000_init": INIT });
      const all = folder("all", MIGRATIONS);
      url = await (await sharedPostgres()).createDatabase();
      expect((await migrate(url, init)).applied).toEqual(["20260101000000_init"]);
      db = await openDatabase(url, { migrate: false });
      await fill(db);
      expect((await migrate(url, all)).applied).toEqual([
        "20260102000000_child_score",
        "20260103000000_child_seen",
      ]);

      // The same story on SQLite, for comparison.
      const file = join(root, "lite.db");
      const raw = new BetterSqlite3(file);
      applyMigrations(raw, init);
      raw.close();
      lite = await openDatabase(`file:${file}`, { migrate: false });
      await fill(lite);
      await lite.close();
      const again = new BetterSqlite3(file);
      applyMigrations(again, all);
      again.close();
      lite = await openDatabase(`file:${file}`, { migrate: false });
    });
    afterAll(async () => {
      await db?.close();
      await lite?.close();
    });

    it("keeps every row, with the new columns' defaults", async () => {
      expect(await db.all(`SELECT * FROM "Child" ORDER BY id`)).toEqual([
        { id: 1, parentId: 1, note: "a", flag: 0, score: 0, seenAt: null },
        { id: 2, parentId: 1, note: "b", flag: 0, score: 0, seenAt: null },
        { id: 3, parentId: 1, note: "c", flag: 0, score: 0, seenAt: null },
      ]);
    });

    it("ends as the same tables as on SQLite", async () => {
      for (const table of ["Parent", "Child", "Other"]) {
        const [p, s] = await Promise.all([tableShape(db, table), tableShape(lite, table)]);
        expect({ table, indexes: p.indexes, foreignKeys: p.foreignKeys }).toEqual({
          table,
          indexes: s.indexes,
          foreignKeys: s.foreignKeys,
        });
        expect(p.columns.map((c) => [c.name, c.notNull, c.default])).toEqual(
          s.columns.map((c) => [c.name, c.notNull, c.default]),
        );
      }
    });

    it("still enforces the other table's foreign key to the rebuilt one", async () => {
      await expect(db.write((tx) => tx.run(`INSERT INTO "Other" ("childId") VALUES (99)`))).rejects.toThrow(
        /Other_childId_fkey/,
      );
      await expect(db.write((tx) => tx.run(`DELETE FROM "Child" WHERE id = 2`))).rejects.toThrow(
        /Other_childId_fkey/,
      );
      await expect(db.write((tx) => tx.run(`INSERT INTO "Child" ("parentId") VALUES (42)`))).rejects.toThrow(
        /Child_parentId_fkey/,
      );
    });

    it("continues the ids after the copied rows, under the old names", async () => {
      const row = await db.write((tx) =>
        tx.get<{ id: number }>(`INSERT INTO "Child" ("parentId") VALUES (1) RETURNING id`),
      );
      // After the copied ids 1–3 (a fresh sequence would hand out 1 and collide); ids a failed
      // insert took are not given out again, as on SQLite.
      expect(row?.id).toBeGreaterThan(3);
      const names = await db.all<{ name: string }>(
        `SELECT relname AS name FROM pg_class WHERE relname LIKE '%Child%' ORDER BY relname`,
      );
      expect(names.map((n) => n.name)).toEqual(["Child", "Child_id_seq", "Child_parentId_idx", "Child_pkey"]);
    });
  },
);

describe.skipIf(skip)("applying migrations on PostgreSQL", () => {
  it("instances starting together apply each migration once, under the advisory lock", async () => {
    const url = await (await sharedPostgres()).createDatabase();
    const [a, b] = await Promise.all([openDatabase(url), openDatabase(url)]);
    try {
      const rows = await a.all<{ migration_name: string }>(
        `SELECT migration_name FROM "_prisma_migrations" ORDER BY migration_name`,
      );
      expect(rows.map((r) => r.migration_name)).toEqual(readMigrations().map((m) => m.name));
      expect(await b.get(`SELECT COUNT(*) AS n FROM "Case"`)).toEqual({ n: 0 });
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it("refuses a migration changed after it was applied", async () => {
    const url = await (await sharedPostgres()).createDatabase();
    const dir = folder("changed", { "20260101000000_init": INIT });
    await migrate(url, dir);
    writeFileSync(join(dir, "20260101000000_init", "migration.sql"), INIT + "\n-- edited\n");
    await expect(migrate(url, dir)).rejects.toThrow(/20260101000000_init was changed after it was applied/);
  });

  it("applies nothing when a pending migration cannot be translated, and names it", async () => {
    const url = await (await sharedPostgres()).createDatabase();
    const dir = folder("untranslatable", {
      "20260101000000_init": INIT,
      "20260102000000_view": `CREATE VIEW "Kids" AS SELECT * FROM "Child";`,
    });
    const failure = migrate(url, dir);
    await expect(failure).rejects.toBeInstanceOf(MigrationError);
    await expect(failure).rejects.toThrow(/20260102000000_view.*CREATE VIEW/);
    const tables = await withClient(url, (c) => c.query(`SELECT to_regclass('"Child"') AS t`));
    expect(tables.rows[0]).toEqual({ t: null });
  });

  it("rolls back a migration that fails on the server, keeping the ones before it", async () => {
    const url = await (await sharedPostgres()).createDatabase();
    const dir = folder("failing", {
      "20260101000000_init": INIT,
      "20260102000000_bad": `CREATE TABLE "Half" ("id" INTEGER NOT NULL PRIMARY KEY);\nINSERT INTO "Missing" ("id") VALUES (1);`,
    });
    await expect(migrate(url, dir)).rejects.toThrow(/20260102000000_bad failed on PostgreSQL/);
    const state = await withClient(url, (c) =>
      c.query(`SELECT to_regclass('"Child"')::text AS child, to_regclass('"Half"')::text AS half`),
    );
    expect(state.rows[0]).toEqual({ child: '"Child"', half: null });
  });
});
