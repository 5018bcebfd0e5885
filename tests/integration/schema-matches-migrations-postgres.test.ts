// The same migrations, translated and applied on PostgreSQL (prisma/sqlite-to-postgres.ts): the
// database is what schema.prisma describes in the port's storage conventions, table for table the
// same as the migrated SQLite database (columns, keys, defaults, indexes, foreign keys), and the
// same row written through the port reads back the same from both.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../dispatcher/db/open.ts";
import type { SqlDatabase, SqlValue } from "../../dispatcher/db/sql.ts";
import { applyPostgresMigrations } from "../../prisma/migrate.ts";
import { sharedPostgres, testDatabaseUrl } from "../helpers/database.ts";
import { POSTGRES_MISSING, postgresBinDir } from "../helpers/postgres-bin.ts";
import { readSchema, STORAGE, tableShape, type Model } from "../helpers/schema.ts";

const skip = postgresBinDir() === null;
const models = readSchema();
let dir: string;
let url: string;
let sqlite: SqlDatabase;
let postgres: SqlDatabase;

beforeAll(async () => {
  if (skip) return;
  dir = mkdtempSync(join(tmpdir(), "eldercare-schema-pg-"));
  sqlite = await openDatabase(await testDatabaseUrl(dir, "sqlite"));
  url = await (await sharedPostgres()).createDatabase();
  postgres = await openDatabase(url); // migrates
});
afterAll(async () => {
  await postgres?.close();
  await sqlite?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(skip)(
  `the migrated PostgreSQL database${skip ? ` (skipped: ${POSTGRES_MISSING})` : ""}`,
  () => {
    it.each(models.map((m) => [m.name, m] as const))(
      "model %s: every column in the port's storage types, nullability, keys and indexes",
      async (_name, model) => {
        const shape = await tableShape(postgres, model.name);
        expect(shape.columns.map((c) => c.name).sort()).toEqual(model.fields.map((f) => f.name).sort());
        for (const f of model.fields) {
          const col = shape.columns.find((c) => c.name === f.name)!;
          const inPk = f.id || (model.compositeId?.includes(f.name) ?? false);
          expect({
            field: f.name,
            type: col.type,
            notNull: col.notNull,
            pk: col.primaryKey,
            identity: col.identity,
          }).toEqual({
            field: f.name,
            type: STORAGE[f.type]!.postgres,
            notNull: !f.optional,
            pk: inPk,
            identity: f.autoincrement,
          });
        }
        const names = shape.indexes.map((i) => i.name);
        for (const cols of model.indexes) expect(names).toContain(`${model.name}_${cols.join("_")}_idx`);
        for (const f of model.fields.filter((x) => x.unique)) {
          expect(shape.indexes).toContainEqual(
            expect.objectContaining({ name: `${model.name}_${f.name}_key`, unique: true }),
          );
        }
      },
    );

    it.each(models.map((m) => [m.name] as const))(
      "table %s is the migrated SQLite table: columns, defaults, indexes and foreign keys",
      async (name) => {
        const [lite, post] = await Promise.all([tableShape(sqlite, name), tableShape(postgres, name)]);
        const comparable = (s: typeof lite) => ({
          columns: s.columns.map(({ name, notNull, primaryKey, default: dflt, identity }) => ({
            name,
            notNull,
            primaryKey,
            default: dflt,
            identity,
          })),
          indexes: s.indexes,
          foreignKeys: s.foreignKeys,
        });
        expect(comparable(post)).toEqual(comparable(lite));
      },
    );

    it("applying the migrations again is a no-op", async () => {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        expect((await applyPostgresMigrations(client)).applied).toEqual([]);
      } finally {
        await client.end();
      }
    });
  },
);

/** One value of each stored type, as the repositories bind them. */
function valueOf(type: string, column: string): SqlValue {
  switch (type) {
    case "Int":
      return column === "id" || column.endsWith("Id") ? 1 : 2147483647;
    case "Float":
      return 320.5;
    case "Boolean":
      return 1;
    case "DateTime":
      return 1795000000123; // 2026-11-18, epoch ms: far above 32 bits
    case "Json":
      return JSON.stringify({ conditions: ["高血压"], n: 1.5 });
    default:
      return column === "id" || column.endsWith("Id") ? "1" : "经二路 1号 'quoted' \"twice\"";
  }
}

/** Models in an order where every foreign key points to a row already written. */
async function dependencyOrder(db: SqlDatabase): Promise<Model[]> {
  const deps = new Map<string, string[]>();
  for (const m of models)
    deps.set(
      m.name,
      (await tableShape(db, m.name)).foreignKeys.map((f) => f.table),
    );
  const done: Model[] = [];
  while (done.length < models.length) {
    const next = models.find(
      (m) =>
        !done.includes(m) && deps.get(m.name)!.every((d) => d === m.name || done.some((x) => x.name === d)),
    );
    if (!next) throw new Error("foreign keys form a cycle");
    done.push(next);
  }
  return done;
}

describe.skipIf(skip)("the same SQL and the same values on both engines", () => {
  it("every model's row, written through the port, reads back identically", async () => {
    for (const model of await dependencyOrder(sqlite)) {
      const columns = model.fields.map((f) => f.name);
      const values = model.fields.map((f) => valueOf(f.type, f.name));
      const insert = `INSERT INTO "${model.name}" (${columns.map((c) => `"${c}"`).join(", ")}) VALUES (${columns.map(() => "?").join(", ")})`;
      for (const db of [sqlite, postgres]) await db.write((tx) => tx.run(insert, values));
      const select = `SELECT * FROM "${model.name}"`;
      const [lite, post] = await Promise.all([sqlite.all(select), postgres.all(select)]);
      expect({ model: model.name, rows: post }).toEqual({ model: model.name, rows: lite });
      expect(lite).toHaveLength(1);
    }
  });
});
