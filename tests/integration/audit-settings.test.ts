// The audit log and the settings store on the migrated database: an audit entry exists exactly when
// its transaction commits, lists newest first per record, and hides secrets; a generated setting is
// made once, whoever asks first, and survives a reopen.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { diffFields, listAudit, recordAudit } from "../../dispatcher/audit/repository.ts";
import { openDatabase } from "../../dispatcher/db/open.ts";
import type { SqlDatabase } from "../../dispatcher/db/sql.ts";
import { readSetting, settingOrCreate } from "../../dispatcher/settings/repository.ts";

let dir: string;
let url: string;
let db: SqlDatabase;
const admin = { type: "staff" as const, id: "1", name: "管理员" };

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), "eldercare-audit-"));
  url = `file:${join(dir, "audit.db")}`;
  db = await openDatabase(url);
});
afterEach(async () => {
  await db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("the audit log", () => {
  it("keeps an entry only when the change's transaction commits, newest first, per record", async () => {
    await db.write((tx) =>
      recordAudit(tx, { at: 1000, actor: admin, action: "create", entity: "resident", entityId: "7" }),
    );
    await expect(
      db.write(async (tx) => {
        await recordAudit(tx, {
          at: 2000,
          actor: admin,
          action: "update",
          entity: "resident",
          entityId: "7",
        });
        throw new Error("the change itself failed");
      }),
    ).rejects.toThrow("the change itself failed");
    await db.write((tx) =>
      recordAudit(tx, {
        at: 3000,
        actor: admin,
        action: "update",
        entity: "resident",
        entityId: "7",
        changes: { keyHolder: [null, "邻居张姨"] },
        ip: "10.0.0.5",
      }),
    );
    await db.write((tx) =>
      recordAudit(tx, { at: 4000, actor: admin, action: "create", entity: "device", entityId: "BJ-9" }),
    );
    const entries = await listAudit(db, { entity: "resident", entityId: "7", limit: 10, offset: 0 });
    expect(entries.map((e) => [e.action, e.at])).toEqual([
      ["update", new Date(3000).toISOString()],
      ["create", new Date(1000).toISOString()],
    ]);
    expect(entries[0]).toMatchObject({
      changes: { keyHolder: [null, "邻居张姨"] },
      ip: "10.0.0.5",
      actorName: "管理员",
    });
  });

  it("diffs only the changed fields and never shows a secret's value", () => {
    const before = { name: "王秀英", phone: "13800000000", secretHash: "a", conditions: ["高血压"] };
    const after = { name: "王秀英", phone: "13900000000", secretHash: "b", conditions: ["高血压", "糖尿病"] };
    expect(diffFields(before, after, ["secretHash"])).toEqual({
      phone: ["13800000000", "13900000000"],
      secretHash: ["(hidden)", "(hidden)"],
      conditions: [["高血压"], ["高血压", "糖尿病"]],
    });
  });
});

describe("settings", () => {
  it("generates a value once, whoever asks first, and keeps it across a reopen", async () => {
    let made = 0;
    const make = () => ({ publicKey: `key-${++made}` });
    const [a, b] = await Promise.all([
      settingOrCreate(db, "push.vapid", make, 1000),
      settingOrCreate(db, "push.vapid", make, 1000),
    ]);
    expect(a).toEqual({ publicKey: "key-1" });
    expect(b).toEqual(a);
    expect(made).toBe(1);
    await db.close();
    db = await openDatabase(url);
    expect(await readSetting(db, "push.vapid")).toEqual({ publicKey: "key-1" });
    expect(await readSetting(db, "missing")).toBeNull();
  });
});
