// Seeds a real SQLite file with the demo city through the SQL port and reads it back through the
// port and through Prisma (what the port writes is what schema.prisma describes); then the same
// city on PostgreSQL, row for row.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PrismaClient } from "../../generated/prisma/client.ts";
import { openDatabase } from "../../dispatcher/db/open.ts";
import type { SqlDatabase } from "../../dispatcher/db/sql.ts";
import { verifyDeviceSecret } from "../../broker/device-secret.ts";
import { verifyPassword } from "../../dispatcher/auth/password.ts";
import { BAOJI_CENTRE } from "../../prisma/demo-data.ts";
import { DEMO_LOGINS, seedDemoCity, type SeedResult } from "../../prisma/seed.ts";
import { sharedPostgres, testDatabaseUrl } from "../helpers/database.ts";
import { POSTGRES_MISSING, postgresBinDir } from "../helpers/postgres-bin.ts";
import { openPrisma } from "../helpers/prisma.ts";

const OPTIONS = { password: "pw-test", deviceSecret: "sec-test" };

let dir: string;
let db: SqlDatabase;
let prisma: PrismaClient;
let first: SeedResult;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "eldercare-seed-"));
  db = await openDatabase("file:" + join(dir, "seed.db"));
  first = await seedDemoCity(db, OPTIONS);
  prisma = await openPrisma(join(dir, "seed.db"));
});

afterAll(async () => {
  await prisma?.$disconnect();
  await db?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const all = <T>(sql: string): Promise<T[]> => db.all<T>(sql);

describe("seedDemoCity", () => {
  it("seeds the requested city", () => {
    expect(first.seeded).toBe(true);
    expect(first.counts.communities).toBeGreaterThanOrEqual(8);
    expect(first.counts.residents).toBe(2000);
    expect(first.counts.devices).toBe(2000);
    expect(first.counts.responders).toBeGreaterThanOrEqual(600);
    expect(first.counts.users).toBe(3 + first.counts.responders);
  });

  it("creates responders of every role and one grid worker per grid", async () => {
    const roles = Object.fromEntries(
      (
        await all<{ role: string; n: number }>(`SELECT role, COUNT(*) AS n FROM "Responder" GROUP BY role`)
      ).map((r) => [r.role, r.n]),
    );
    expect(roles).toMatchObject({ caregiver: 100, volunteer: 500 });
    expect(roles.doctor).toBeGreaterThan(0);
    expect(roles.grid_worker).toBe(first.counts.grids);
    const grids = await all<{ households: number; role: string | null }>(
      `SELECT g.households, r.role FROM "Grid" g LEFT JOIN "Responder" r ON r.id = g."gridWorkerId"`,
    );
    for (const grid of grids) {
      expect(grid.households).toBeGreaterThanOrEqual(300);
      expect(grid.households).toBeLessThanOrEqual(500);
      expect(grid.role).toBe("grid_worker");
    }
    // Nobody is on duty until a phone says so (the simulator's phones do).
    expect(await all(`SELECT id FROM "Responder" WHERE "onDuty" = 1`)).toEqual([]);
    const outlines = await all<{ outline: string | null }>(`SELECT outline FROM "Grid"`);
    for (const g of outlines) expect((JSON.parse(g.outline!) as unknown[]).length).toBeGreaterThanOrEqual(3);
  });

  it("numbers devices BJ-00001…BJ-02000 in resident order", async () => {
    const devices = await all<{ id: string; residentId: number }>(
      `SELECT id, "residentId" FROM "Device" ORDER BY "residentId"`,
    );
    expect(devices.map((d) => d.id)).toEqual(
      Array.from({ length: 2000 }, (_, i) => `BJ-${String(i + 1).padStart(5, "0")}`),
    );
  });

  it("places every resident in Baoji and pairs about a third with a volunteer of their community", async () => {
    const residents = await all<{
      lat: number;
      lng: number;
      birthYear: number;
      paired: number | null;
      same: number;
    }>(
      `SELECT r.lat, r.lng, r."birthYear", r."pairedVolunteerId" AS paired,
         CASE WHEN v."communityId" = r."communityId" THEN 1 ELSE 0 END AS same
       FROM "Resident" r LEFT JOIN "Responder" v ON v.id = r."pairedVolunteerId"`,
    );
    for (const r of residents) {
      expect(Math.abs(r.lat - BAOJI_CENTRE.lat)).toBeLessThan(0.1);
      expect(Math.abs(r.lng - BAOJI_CENTRE.lng)).toBeLessThan(0.1);
      expect(r.birthYear).toBeGreaterThanOrEqual(1925);
      expect(r.birthYear).toBeLessThanOrEqual(1958);
    }
    expect(residents.some((r) => r.birthYear <= 1926)).toBe(true); // a few centenarians
    const paired = residents.filter((r) => r.paired !== null);
    expect(paired.length).toBeGreaterThan(500);
    expect(paired.length).toBeLessThan(850);
    expect(paired.every((r) => r.same === 1)).toBe(true);
  });

  it("does nothing the second time", async () => {
    const again = await seedDemoCity(db, OPTIONS);
    expect(again.seeded).toBe(false);
    expect(again.counts).toEqual(first.counts);
  });

  it("reads back through Prisma with parsed JSON and dates", async () => {
    const resident = await prisma.resident.findFirst({
      where: { pairedVolunteerId: { not: null } },
      include: { community: true, grid: true, pairedVolunteer: true, devices: true },
      orderBy: { id: "asc" },
    });
    expect(resident).not.toBeNull();
    if (!resident) return;
    expect(Array.isArray(resident.conditions)).toBe(true);
    expect(Array.isArray(resident.medicines)).toBe(true);
    const contacts = resident.emergencyContacts as { name: string; relation: string; phone: string }[];
    expect(contacts.length).toBeGreaterThanOrEqual(1);
    expect(contacts[0]?.relation).toMatch(/^(儿子|女儿)$/);
    expect(resident.createdAt).toBeInstanceOf(Date);
    expect(resident.createdAt.getTime()).toBeLessThanOrEqual(Date.now());
    expect(resident.community.name).toMatch(/社区$/);
    expect(resident.grid.communityId).toBe(resident.communityId);
    expect(resident.pairedVolunteer?.role).toBe("volunteer");
    expect(Array.isArray(resident.pairedVolunteer?.skills)).toBe(true);
    expect(resident.address).toContain(resident.community.name);
    const device = resident.devices[0];
    expect(device?.online).toBe(false);
    expect(device?.heartbeatSeconds).toBe(300);
    expect(device?.createdAt).toBeInstanceOf(Date);

    // Every responder keeps the place of their last shift, hours old.
    const lastShift = await prisma.responder.findFirstOrThrow({ where: { role: "caregiver" } });
    expect(lastShift.onDuty).toBe(false);
    expect(lastShift.locationAt).toBeInstanceOf(Date);
    expect(Date.now() - (lastShift.locationAt?.getTime() ?? 0)).toBeGreaterThan(8 * 3_600_000 - 60_000);
  });

  it("stores verifiable device secrets and passwords", async () => {
    const device = await prisma.device.findUniqueOrThrow({ where: { id: "BJ-00001" } });
    expect(verifyDeviceSecret("sec-test", device.secretHash)).toBe(true);
    expect(verifyDeviceSecret("wrong", device.secretHash)).toBe(false);
    const dispatcher = await prisma.user.findUniqueOrThrow({ where: { username: "dispatcher" } });
    expect(dispatcher.role).toBe("dispatcher");
    expect(await verifyPassword("pw-test", dispatcher.passwordHash)).toBe(true);
    expect(await verifyPassword("wrong", dispatcher.passwordHash)).toBe(false);
    const caregiver = await prisma.user.findUniqueOrThrow({
      where: { username: "caregiver001" },
      include: { responder: true },
    });
    expect(caregiver.responder?.role).toBe("caregiver");
    expect(await verifyPassword("pw-test", caregiver.passwordHash)).toBe(true);
    for (const login of DEMO_LOGINS) {
      const user = await prisma.user.findUnique({ where: { username: login.username } });
      expect(user?.role).toBe(login.role);
    }
    for (const username of ["volunteer500", "grid001", "doctor01"]) {
      expect(await prisma.user.findUnique({ where: { username } })).not.toBeNull();
    }
  });
});

const noPostgres = postgresBinDir() === null;

describe.skipIf(noPostgres)(
  `the demo city on PostgreSQL${noPostgres ? ` (skipped: ${POSTGRES_MISSING})` : ""}`,
  () => {
    const now = Date.parse("2026-11-23T08:00:00.000Z");
    let lite: SqlDatabase;
    let post: SqlDatabase;
    let seeded: [SeedResult, SeedResult];

    beforeAll(async () => {
      lite = await openDatabase(await testDatabaseUrl(join(dir, "same-city"), "sqlite"));
      post = await openDatabase(await (await sharedPostgres()).createDatabase());
      seeded = await Promise.all([
        seedDemoCity(lite, { ...OPTIONS, now }),
        seedDemoCity(post, { ...OPTIONS, now }),
      ]);
    });
    afterAll(async () => {
      await lite?.close();
      await post?.close();
    });

    it("is the same city as on SQLite, row for row (secrets are salted, so only checked to verify)", async () => {
      expect(seeded[1]).toEqual(seeded[0]);
      const tables: [string, string][] = [
        ["Community", "*"],
        ["Grid", "*"],
        ["Responder", "*"],
        ["Resident", "*"],
        [
          "Device",
          `id, "residentId", kind, "heartbeatSeconds", "missedBeatsOffline", online, battery, "createdAt"`,
        ],
        ["User", `id, username, "displayName", role, "responderId", "createdAt"`],
      ];
      for (const [table, columns] of tables) {
        const sql = `SELECT ${columns} FROM "${table}" ORDER BY id`;
        const [a, b] = await Promise.all([lite.all(sql), post.all(sql)]);
        expect({ table, rows: b.length }).toEqual({ table, rows: a.length });
        expect(b).toEqual(a);
      }
      const device = await post.get<{ secretHash: string }>(
        `SELECT "secretHash" FROM "Device" WHERE id = 'BJ-00001'`,
      );
      expect(verifyDeviceSecret("sec-test", device!.secretHash)).toBe(true);
      const user = await post.get<{ passwordHash: string }>(
        `SELECT "passwordHash" FROM "User" WHERE username = 'dispatcher'`,
      );
      expect(await verifyPassword("pw-test", user!.passwordHash)).toBe(true);
    });

    it("does nothing the second time", async () => {
      expect((await seedDemoCity(post, OPTIONS)).seeded).toBe(false);
    });
  },
);
