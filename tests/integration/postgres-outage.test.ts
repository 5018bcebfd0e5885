// The PostgreSQL server dies under a running platform and comes back: meanwhile writes reject,
// nothing is acknowledged, health says the database is down and the process stays up; afterwards
// the same platform, unrestarted, stores and acknowledges the device's resend as one case.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../dispatcher/db/open.ts";
import { startTestApp, allOffDuty, count, type TestApp } from "../helpers/app.ts";
import { sharedPostgres } from "../helpers/database.ts";
import { POSTGRES_MISSING, postgresBinDir } from "../helpers/postgres-bin.ts";
import type { PostgresCluster } from "../helpers/postgres.ts";
import { connectDevice, until } from "../helpers/scenario.ts";

const skip = postgresBinDir() === null;

describe.skipIf(skip)(`a PostgreSQL outage${skip ? ` (skipped: ${POSTGRES_MISSING})` : ""}`, () => {
  let cluster: PostgresCluster;
  let app: TestApp;

  beforeAll(async () => {
    cluster = await sharedPostgres();
    const url = await cluster.createDatabase();
    app = await startTestApp({
      env: { DATABASE_URL: url },
      seed: { residents: 50, caregivers: 2, volunteers: 2 },
    });
    await allOffDuty(app);
  });
  afterAll(async () => {
    await app?.close();
  });

  it("acknowledges nothing while the server is down, and the resend once it is back", async () => {
    const device = await connectDevice(app, "BJ-00007");
    await device.press("before-outage");
    await device.ack((a) => a.eventId === "before-outage");

    await cluster.kill();
    const failed = app.intake.stats.failedBatches;
    await device.press("during-outage");
    await until(() => app.intake.stats.failedBatches > failed, 20_000);
    expect(device.acks.some((a) => a.eventId === "during-outage")).toBe(false);
    const health = await fetch(`${app.httpUrl}/healthz`);
    expect(health.status).toBe(503);
    expect(await health.json()).toMatchObject({ db: "down" });

    await cluster.restart();
    await device.press("during-outage"); // the device resends until it is acknowledged
    const ack = await device.ack((a) => a.eventId === "during-outage", 10_000);
    expect(ack.status).toBe("received");
    expect(
      await count(app, `SELECT COUNT(*) AS n FROM "DeviceEvent" WHERE "deviceId" = ? AND "eventId" = ?`, [
        "BJ-00007",
        "during-outage",
      ]),
    ).toBe(1);
    expect((await fetch(`${app.httpUrl}/healthz`)).status).toBe(200);
    await device.close();
  });

  it("the port: a write rejects instead of hanging, and the pool reconnects by itself", async () => {
    // Without the pool's error handler, the idle clients' errors would end this process.
    const db = await openDatabase(await cluster.createDatabase(), { migrate: false });
    try {
      await db.write((tx) => tx.run(`CREATE TABLE "T" (id INTEGER PRIMARY KEY)`));
      await cluster.kill();
      await expect(db.write((tx) => tx.run(`INSERT INTO "T" (id) VALUES (1)`))).rejects.toMatchObject({
        name: "StorageError",
        fault: "io",
      });
      await expect(db.get(`SELECT 1 AS up`)).rejects.toMatchObject({ name: "StorageError" });
      await cluster.restart();
      await db.write((tx) => tx.run(`INSERT INTO "T" (id) VALUES (2)`));
      expect(await db.all(`SELECT id FROM "T"`)).toEqual([{ id: 2 }]);
    } finally {
      await db.close();
    }
  });
});
