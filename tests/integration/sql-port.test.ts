// The SQL port on a real SQLite file: writes are serialized and atomic, reads outside a
// transaction see only committed data, savepoints undo only their own part, and nothing can run
// in a transaction that is over.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { StorageError, type SqlDatabase, type Tx } from "../../dispatcher/db/sql.ts";
import { openDatabase } from "../../dispatcher/db/open.ts";
import { openSqlite } from "../../dispatcher/db/sqlite.ts";

let dir: string;
let db: SqlDatabase;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), "eldercare-sql-"));
  db = await openDatabase(`file:${join(dir, "port.db")}`, { migrate: false });
  await db.write(async (tx) => {
    await tx.run(`CREATE TABLE "Note" (id INTEGER PRIMARY KEY AUTOINCREMENT, "text" TEXT NOT NULL UNIQUE)`);
    await tx.run(
      `CREATE TABLE "Tag" (id INTEGER PRIMARY KEY, "noteId" INTEGER NOT NULL REFERENCES "Note" (id) DEFERRABLE INITIALLY DEFERRED)`,
    );
  });
});
afterEach(async () => {
  await db.close();
  rmSync(dir, { recursive: true, force: true });
});

const texts = async () =>
  (await db.all<{ text: string }>(`SELECT "text" FROM "Note" ORDER BY id`)).map((r) => r.text);
const insert = (tx: Tx, text: string) =>
  tx.get<{ id: number }>(`INSERT INTO "Note" ("text") VALUES (?) RETURNING id`, [text]);

describe("write transactions", () => {
  it("commit what they wrote and return new ids with RETURNING", async () => {
    const ids = await db.write(async (tx) => [(await insert(tx, "a"))!.id, (await insert(tx, "b"))!.id]);
    expect(ids).toEqual([1, 2]);
    expect(await texts()).toEqual(["a", "b"]);
    expect(await db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM "Note" WHERE "text" = ?`, ["b"])).toEqual({
      n: 1,
    });
  });

  it("roll everything back when the function throws, and the error reaches the caller", async () => {
    await expect(
      db.write(async (tx) => {
        await insert(tx, "gone");
        throw new Error("changed my mind");
      }),
    ).rejects.toThrow("changed my mind");
    expect(await texts()).toEqual([]);
  });

  it("reject when the commit itself fails, and leave nothing behind", async () => {
    // A deferred foreign key is checked at COMMIT: the commit fails, not the statement.
    await expect(
      db.write(async (tx) => {
        await insert(tx, "orphan's note");
        await tx.run(`INSERT INTO "Tag" (id, "noteId") VALUES (1, 999)`);
      }),
    ).rejects.toThrow(/FOREIGN KEY/);
    expect(await texts()).toEqual([]);
    await db.write((tx) => insert(tx, "next")); // the writer is usable again
    expect(await texts()).toEqual(["next"]);
  });

  it("never interleave: a second writer starts only after the first has committed", async () => {
    const log: string[] = [];
    const writer = (name: string) =>
      db.write(async (tx) => {
        log.push(`${name} begins`);
        await insert(tx, `${name}-1`);
        await new Promise((r) => setImmediate(r)); // give the other writer every chance to cut in
        await insert(tx, `${name}-2`);
        log.push(`${name} ends`);
      });
    await Promise.all([writer("A"), writer("B"), writer("C")]);
    expect(log).toEqual(["A begins", "A ends", "B begins", "B ends", "C begins", "C ends"]);
    expect(await texts()).toEqual(["A-1", "A-2", "B-1", "B-2", "C-1", "C-2"]);
  });

  it("a failed writer does not stop the ones queued behind it", async () => {
    const failing = db.write(async () => Promise.reject(new Error("boom")));
    const next = db.write((tx) => insert(tx, "after"));
    await expect(failing).rejects.toThrow("boom");
    await next;
    expect(await texts()).toEqual(["after"]);
  });
});

describe("reads outside a transaction", () => {
  it("see only committed data, never a write transaction half done", async () => {
    let seenDuring: string[] = [];
    let inside: string[] = [];
    await db.write(async (tx) => {
      await insert(tx, "pending");
      seenDuring = await texts();
      inside = (await tx.all<{ text: string }>(`SELECT "text" FROM "Note"`)).map((r) => r.text);
    });
    expect(inside).toEqual(["pending"]); // a transaction reads its own writes
    expect(seenDuring).toEqual([]);
    expect(await texts()).toEqual(["pending"]);
  });
});

describe("savepoints", () => {
  it("undo only their own writes when they throw; the transaction goes on and commits", async () => {
    await db.write(async (tx) => {
      await insert(tx, "kept-1");
      await expect(
        tx.savepoint(async (sp) => {
          await insert(sp, "undone");
          await insert(sp, "kept-1"); // UNIQUE violation
        }),
      ).rejects.toThrow(/UNIQUE/);
      await tx.savepoint((sp) => insert(sp, "kept-2"));
    });
    expect(await texts()).toEqual(["kept-1", "kept-2"]);
  });

  it("nest", async () => {
    await db.write((tx) =>
      tx.savepoint(async (outer) => {
        await insert(outer, "outer");
        await outer.savepoint((inner) => insert(inner, "inner")).catch(() => undefined);
        await outer
          .savepoint(async (inner) => {
            await insert(inner, "inner-undone");
            throw new Error("no");
          })
          .catch(() => undefined);
      }),
    );
    expect(await texts()).toEqual(["outer", "inner"]);
  });
});

describe("misuse is refused instead of silently writing outside a transaction", () => {
  it("a tx used after its transaction ended", async () => {
    let leaked: Tx | null = null;
    await db.write(async (tx) => {
      leaked = tx;
      await insert(tx, "a");
    });
    await expect(insert(leaked!, "late")).rejects.toThrow(/ended/);
    expect(await texts()).toEqual(["a"]);
  });

  it("the outer tx while one of its savepoints runs", async () => {
    await db.write(async (tx) => {
      await tx.savepoint(async (sp) => {
        await expect(insert(tx, "wrong handle")).rejects.toThrow(/savepoint/);
        await insert(sp, "right handle");
      });
    });
    expect(await texts()).toEqual(["right handle"]);
  });

  it("a write on a read-only database, and anything after close", async () => {
    const file = join(dir, "port.db");
    const ro = await openDatabase(`file:${file}`, { readOnly: true });
    await expect(ro.write((tx) => insert(tx, "x"))).rejects.toThrow(/read-only/);
    expect(await ro.all(`SELECT * FROM "Note"`)).toEqual([]);
    await ro.close();
    await expect(ro.get(`SELECT 1`)).rejects.toThrow(/closed/);
  });

  it("close waits for queued writes", async () => {
    const pending = db.write((tx) => insert(tx, "before close"));
    await db.close();
    await pending;
    db = await openDatabase(`file:${join(dir, "port.db")}`, { migrate: false });
    expect(await texts()).toEqual(["before close"]);
  });
});

describe("storage faults", () => {
  it("a write waits for another process's write lock without blocking the event loop, then fails as busy", async () => {
    const file = join(dir, "port.db");
    const short = openSqlite(file, { busyTimeoutMs: 300 });
    const other = new BetterSqlite3(file);
    other.exec("BEGIN IMMEDIATE"); // another process holds the write lock
    try {
      let settled = false;
      const attempt = short.write((tx) => insert(tx, "while locked"));
      void attempt.catch(() => undefined).finally(() => (settled = true));
      // A timer runs while the write waits: a synchronous busy wait would have settled it first.
      await new Promise((resolve) => setTimeout(resolve, 1));
      expect(settled).toBe(false);
      await expect(attempt).rejects.toBeInstanceOf(StorageError);
      await expect(attempt).rejects.toMatchObject({ fault: "busy" });
      // Reads still answer from the last committed snapshot.
      expect(await short.all(`SELECT * FROM "Note"`)).toEqual([]);

      // Released while a write is waiting (the default timeout is seconds): that write goes through.
      const waiting = db.write((tx) => insert(tx, "after the lock"));
      setImmediate(() => other.exec("ROLLBACK"));
      await waiting;
      expect(await texts()).toEqual(["after the lock"]);
    } finally {
      if (other.inTransaction) other.exec("ROLLBACK");
      other.close();
      await short.close();
    }
  });

  it("a closed database rejects with a StorageError", async () => {
    const ro = await openDatabase(`file:${join(dir, "port.db")}`, { readOnly: true });
    await ro.close();
    await expect(ro.get(`SELECT 1`)).rejects.toMatchObject({ fault: "closed" });
  });
});

describe("opening", () => {
  it("refuses a DATABASE_URL it has no driver for, without echoing its credentials", async () => {
    await expect(openDatabase("postgresql://user:s3cret@db/eldercare")).rejects.toThrow(/postgresql/);
    await expect(openDatabase("postgresql://user:s3cret@db/eldercare")).rejects.not.toThrow(/s3cret/);
  });
});
