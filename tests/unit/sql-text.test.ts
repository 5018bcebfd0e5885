// Reading SQL text: `?` and `;` count only outside literals, quoted names and comments.
import { describe, expect, it } from "vitest";
import { numberPlaceholders, statements } from "../../dispatcher/db/sql-text.ts";

describe("? placeholders become $1, $2, … for PostgreSQL", () => {
  it.each([
    [`SELECT 1`, `SELECT 1`],
    [
      `SELECT * FROM "Case" WHERE id = ? AND status IN (?, ?)`,
      `SELECT * FROM "Case" WHERE id = $1 AND status IN ($2, $3)`,
    ],
    [`UPDATE "Device" SET note = 'why?' WHERE id = ?`, `UPDATE "Device" SET note = 'why?' WHERE id = $1`],
    [`SELECT "what?" FROM t WHERE a = ?`, `SELECT "what?" FROM t WHERE a = $1`],
    [`SELECT 'it''s ?' , ? -- really?\n, ?`, `SELECT 'it''s ?' , $1 -- really?\n, $2`],
    [`SELECT /* ? */ ?`, `SELECT /* ? */ $1`],
    [`SELECT $$ ? $$, ?`, `SELECT $$ ? $$, $1`],
    [`SELECT ?::bigint - ?`, `SELECT $1::bigint - $2`],
  ])("%s", (sql, expected) => {
    expect(numberPlaceholders(sql)).toBe(expected);
  });
});

describe("a script splits into statements at ; outside literals", () => {
  it("keeps a ; inside a literal, a quoted name, a comment or a $$ body", () => {
    const script = `-- first; still a comment\nCREATE TABLE "a;b" (x TEXT DEFAULT ';');\n/* ; */ INSERT INTO t VALUES ('x;y');;\nDO $$ BEGIN PERFORM 1; END $$;`;
    const texts = statements(script).map((tokens) => tokens.map((t) => t.text).join(" "));
    expect(texts).toEqual([
      `CREATE TABLE "a;b" ( x TEXT DEFAULT ';' )`,
      `INSERT INTO t VALUES ( 'x;y' )`,
      `DO $$ BEGIN PERFORM 1; END $$`,
    ]);
  });
});
