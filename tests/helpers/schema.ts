// What the schema tests compare: the models of schema.prisma, and the shape of a migrated table
// (columns, indexes, foreign keys) read from either engine's catalog in one common form.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { SqlDatabase } from "../../dispatcher/db/sql.ts";

/** How each Prisma scalar is stored, per engine: the port's conventions (decisions 0005, 0007). */
export const STORAGE: Record<string, { sqlite: string; postgres: string }> = {
  Int: { sqlite: "INTEGER", postgres: "integer" },
  String: { sqlite: "TEXT", postgres: "text" },
  Float: { sqlite: "REAL", postgres: "double precision" },
  Boolean: { sqlite: "BOOLEAN", postgres: "integer" },
  DateTime: { sqlite: "DATETIME", postgres: "bigint" },
  Json: { sqlite: "JSONB", postgres: "text" },
};

export interface Field {
  name: string;
  type: string;
  optional: boolean;
  unique: boolean;
  id: boolean;
  autoincrement: boolean;
}
export interface Model {
  name: string;
  fields: Field[];
  indexes: string[][];
  compositeId: string[] | null;
}

/** Just enough of a schema.prisma reader for these checks: models, scalar fields, @@index, @unique. */
export function readSchema(
  text = readFileSync(join(import.meta.dirname, "../../prisma/schema.prisma"), "utf8"),
): Model[] {
  const models: Model[] = [];
  for (const m of text.matchAll(/^model (\w+) \{([\s\S]*?)^\}/gm)) {
    const model: Model = { name: m[1]!, fields: [], indexes: [], compositeId: null };
    for (const raw of m[2]!.split("\n")) {
      const line = raw.replace(/\/\/.*$/, "").trim();
      const idx = /^@@index\(\[([^\]]+)\]\)/.exec(line);
      if (idx) model.indexes.push(idx[1]!.split(",").map((s) => s.trim()));
      const cid = /^@@id\(\[([^\]]+)\]\)/.exec(line);
      if (cid) model.compositeId = cid[1]!.split(",").map((s) => s.trim());
      const f = /^(\w+)\s+(\w+)(\?|\[\])?(.*)$/.exec(line);
      if (!f || line.startsWith("@@") || !(f[2]! in STORAGE) || f[3] === "[]") continue;
      model.fields.push({
        name: f[1]!,
        type: f[2]!,
        optional: f[3] === "?",
        unique: /@unique/.test(f[4]!),
        id: /@id/.test(f[4]!),
        autoincrement: /@default\(autoincrement\(\)\)/.test(f[4]!),
      });
    }
    models.push(model);
  }
  return models;
}

export interface Column {
  name: string;
  type: string;
  notNull: boolean;
  primaryKey: boolean;
  /** The default as both engines can be compared: 0/1, a number, 'text', now, or null. */
  default: string | null;
  identity: boolean;
}
export interface Index {
  name: string;
  unique: boolean;
  columns: string[];
}
export interface ForeignKey {
  columns: string[];
  table: string;
  to: string[];
  onDelete: string;
  onUpdate: string;
}
export interface TableShape {
  columns: Column[];
  indexes: Index[];
  foreignKeys: ForeignKey[];
}

export function tableShape(db: SqlDatabase, table: string): Promise<TableShape> {
  return db.dialect === "sqlite" ? sqliteShape(db, table) : postgresShape(db, table);
}

function sqliteDefault(value: string | null, type: string): string | null {
  if (value === null) return null;
  if (type === "BOOLEAN") return value === "true" ? "1" : value === "false" ? "0" : value;
  if (/^current_timestamp$/i.test(value)) return "now";
  return value;
}

async function sqliteShape(db: SqlDatabase, table: string): Promise<TableShape> {
  const columns = await db.all<{
    name: string;
    type: string;
    notnull: number;
    pk: number;
    dflt_value: string | null;
  }>(`PRAGMA table_info("${table}")`);
  const ddl = (await db.get<{ sql: string }>(
    `SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?`,
    [table],
  ))!.sql;
  const list = await db.all<{ name: string; unique: number; origin: string }>(
    `PRAGMA index_list("${table}")`,
  );
  const indexes: Index[] = [];
  for (const i of list.filter((x) => x.origin === "c")) {
    const cols = await db.all<{ name: string }>(`PRAGMA index_info("${i.name}")`);
    indexes.push({ name: i.name, unique: i.unique === 1, columns: cols.map((c) => c.name) });
  }
  const fks = await db.all<{
    id: number;
    table: string;
    from: string;
    to: string;
    on_update: string;
    on_delete: string;
  }>(`PRAGMA foreign_key_list("${table}")`);
  const byId = new Map<number, ForeignKey>();
  for (const f of fks) {
    const fk = byId.get(f.id) ?? {
      columns: [],
      table: f.table,
      to: [],
      onDelete: f.on_delete,
      onUpdate: f.on_update,
    };
    fk.columns.push(f.from);
    fk.to.push(f.to);
    byId.set(f.id, fk);
  }
  return {
    columns: columns.map((c) => ({
      name: c.name,
      type: c.type,
      notNull: c.notnull === 1 || c.pk > 0,
      primaryKey: c.pk > 0,
      default: sqliteDefault(c.dflt_value, c.type),
      identity: c.pk > 0 && new RegExp(`"${c.name}" INTEGER [^,]*AUTOINCREMENT`).test(ddl),
    })),
    indexes: sortIndexes(indexes),
    foreignKeys: sortForeignKeys([...byId.values()]),
  };
}

/** PostgreSQL's rendering of a default, in the same words as SQLite's. */
function postgresDefault(value: string | null): string | null {
  if (value === null) return null;
  if (/now\(\)/.test(value)) return "now";
  const text = /^('.*')::text$/.exec(value);
  return text ? text[1]! : value;
}

const ACTIONS: Record<string, string> = {
  a: "NO ACTION",
  r: "RESTRICT",
  c: "CASCADE",
  n: "SET NULL",
  d: "SET DEFAULT",
};

async function postgresShape(db: SqlDatabase, table: string): Promise<TableShape> {
  const columns = await db.all<{
    name: string;
    type: string;
    nullable: string;
    dflt: string | null;
    identity: string;
  }>(
    `SELECT column_name AS name, data_type AS type, is_nullable AS nullable, column_default AS dflt,
            is_identity AS identity
     FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = ?
     ORDER BY ordinal_position`,
    [table],
  );
  const keyColumns = await db.all<{ name: string }>(
    `SELECT a.attname AS name FROM pg_index i
     JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
     WHERE i.indrelid = ?::regclass AND i.indisprimary`,
    [`"${table}"`],
  );
  const indexes = await db.all<{ name: string; unique: boolean; columns: string[] }>(
    `SELECT c.relname AS name, i.indisunique AS unique,
            ARRAY(SELECT a.attname FROM unnest(i.indkey) WITH ORDINALITY k(attnum, n)
                  JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum ORDER BY k.n)::text[] AS columns
     FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
     WHERE i.indrelid = ?::regclass AND NOT i.indisprimary`,
    [`"${table}"`],
  );
  const fks = await db.all<{ columns: string[]; table: string; to: string[]; del: string; upd: string }>(
    `SELECT ARRAY(SELECT a.attname FROM unnest(k.conkey) WITH ORDINALITY u(attnum, n)
                  JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = u.attnum ORDER BY u.n)::text[] AS columns,
            r.relname AS table,
            ARRAY(SELECT a.attname FROM unnest(k.confkey) WITH ORDINALITY u(attnum, n)
                  JOIN pg_attribute a ON a.attrelid = k.confrelid AND a.attnum = u.attnum ORDER BY u.n)::text[] AS to,
            k.confdeltype AS del, k.confupdtype AS upd
     FROM pg_constraint k JOIN pg_class r ON r.oid = k.confrelid
     WHERE k.contype = 'f' AND k.conrelid = ?::regclass`,
    [`"${table}"`],
  );
  const pk = new Set(keyColumns.map((k) => k.name));
  return {
    columns: columns.map((c) => ({
      name: c.name,
      type: c.type,
      notNull: c.nullable === "NO",
      primaryKey: pk.has(c.name),
      default: postgresDefault(c.dflt),
      identity: c.identity === "YES",
    })),
    indexes: sortIndexes(indexes.map((i) => ({ name: i.name, unique: i.unique, columns: i.columns }))),
    foreignKeys: sortForeignKeys(
      fks.map((f) => ({
        columns: f.columns,
        table: f.table,
        to: f.to,
        onDelete: ACTIONS[f.del]!,
        onUpdate: ACTIONS[f.upd]!,
      })),
    ),
  };
}

function sortIndexes(list: Index[]): Index[] {
  return list.sort((a, b) => a.name.localeCompare(b.name));
}

function sortForeignKeys(list: ForeignKey[]): ForeignKey[] {
  return list.sort((a, b) => a.columns.join().localeCompare(b.columns.join()));
}
