// The responder registry after the register changed a responder (refresh): matching's pool sees
// the new skills at once, keeps the live duty, position and work (a responder en route stays
// busy), and a retired responder leaves the pool in the same moment — never offered again.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openDatabase } from "../../dispatcher/db/open.ts";
import type { SqlDatabase } from "../../dispatcher/db/sql.ts";
import { ResponderRegistry } from "../../dispatcher/responders/registry.ts";
import { seedDemoCity } from "../../prisma/seed.ts";

let dir: string;
let db: SqlDatabase;
let registry: ResponderRegistry;
let id: number;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), "eldercare-registry-"));
  db = await openDatabase(`file:${join(dir, "registry.db")}`);
  await seedDemoCity(db, { residents: 5, caregivers: 3, volunteers: 0, password: "pw12", deviceSecret: "s" });
  registry = new ResponderRegistry(db);
  await registry.load();
  id = registry.all()[0]!.id;
  await registry.setDuty(id, true);
  await registry.setLocation(id, 34.36, 107.24, 1_000);
});
afterEach(async () => {
  await db.close();
  rmSync(dir, { recursive: true, force: true });
});

const inPool = () => registry.pool.nearby(107.24, 34.36, 1_000).some((n) => n.responder.id === id);

describe("refreshing a responder the register changed", () => {
  it("re-indexes the new skills and keeps duty, position and the case they are working", async () => {
    registry.setWork(id, { activity: "en_route", caseId: 7, priority: 1 });
    await db.write((tx) =>
      tx.run(`UPDATE "Responder" SET "skills" = ?, "onDuty" = 0 WHERE id = ?`, [
        '["first_aid","lifting"]',
        id,
      ]),
    );
    await registry.refresh(id);
    const view = registry.pool.get(id)!;
    expect(view.skills).toEqual(["first_aid", "lifting"]);
    expect(view).toMatchObject({ onDuty: true, lat: 34.36, lng: 107.24, busy: true });
    expect(inPool()).toBe(false); // busy with a case: not askable

    registry.setWork(id, undefined);
    expect(inPool()).toBe(true);
  });

  it("takes a retired responder out of matching at once", async () => {
    expect(inPool()).toBe(true);
    await db.write((tx) => tx.run(`UPDATE "Responder" SET "retiredAt" = ? WHERE id = ?`, [2_000, id]));
    expect(await registry.refresh(id)).toBeUndefined();
    expect(registry.pool.get(id)).toBeUndefined();
    expect(inPool()).toBe(false);
  });
});
