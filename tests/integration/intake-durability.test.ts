// A press is acknowledged only once its commit is on disk. The log's flush runs after the commit
// (dispatcher/db/sqlite.ts), so it can fail after the case is already committed: then nothing is
// acknowledged, the batch is held, and its retry — once the disk flushes again — finds the press
// stored and answers it with the same case, never opening a second one. Real platform, real
// database and case engine; only the flush's outcome is turned into a failure at the SQL port,
// since a disk that fails fsync on demand cannot be had in a test.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DeviceAck, DeviceEvent } from "../../protocol/index.ts";
import { DeviceIntake } from "../../dispatcher/devices/intake.ts";
import { StorageError, type SqlDatabase } from "../../dispatcher/db/sql.ts";
import pino from "pino";
import { allOffDuty, count, startTestApp, type TestApp } from "../helpers/app.ts";
import { until } from "../helpers/wait.ts";

let app: TestApp;

beforeAll(async () => {
  app = await startTestApp({ seed: { residents: 12, caregivers: 2, volunteers: 2 } });
  await allOffDuty(app);
});
afterAll(async () => {
  await app?.close();
});

/** The app's database, whose commits cannot be made durable while `failing.now` is set. */
function flushFailing(db: SqlDatabase, failing: { now: boolean; failed: number }): SqlDatabase {
  return {
    ...db,
    commit: async (fn) => {
      const { value, durable } = await db.commit(fn);
      if (!failing.now) return { value, durable };
      const failed = durable.then(() => {
        failing.failed++;
        throw new StorageError("io", "flushing the log failed: EIO (injected)");
      });
      failed.catch(() => undefined);
      return { value, durable: failed };
    },
  };
}

describe("the log cannot be flushed after a press is committed", () => {
  it("acknowledges nothing until it can, then answers the press once, with the one case it opened", async () => {
    const failing = { now: true, failed: 0 };
    const acks: { deviceId: string; ack: DeviceAck }[] = [];
    const failures: string[] = [];
    const intake = new DeviceIntake({
      db: flushFailing(app.db, failing),
      cases: app.cases,
      notifier: { ackDevice: (deviceId, ack) => acks.push({ deviceId, ack }) },
      clock: { now: () => Date.now() },
      logger: pino({ level: "silent" }),
      tasks: { taskFailed: (task) => failures.push(task), taskSucceeded: () => undefined },
    });
    const deviceId = "BJ-00004";
    const press: DeviceEvent = { eventId: "flush-1", type: "sos", at: new Date().toISOString(), battery: 80 };
    const casesOf = () => count(app, `SELECT COUNT(*) AS n FROM "Case" WHERE "deviceId" = ?`, [deviceId]);
    const before = await casesOf();

    intake.push(deviceId, JSON.stringify(press));
    await until(() => failing.failed >= 1, 5000);
    await intake.flush();
    // Committed, so the case exists (and the consoles may be told); but not acknowledged.
    expect(await casesOf()).toBe(before + 1);
    expect(acks).toEqual([]);
    expect(intake.stats.failedBatches).toBeGreaterThanOrEqual(1);
    expect(failures).toContain("ingest commit");

    // The device resends meanwhile; the copy joins the held press.
    intake.push(deviceId, JSON.stringify(press));
    failing.now = false;
    await until(() => acks.length >= 2, 10_000);
    await intake.drain();

    expect(acks.map((a) => a.deviceId)).toEqual([deviceId, deviceId]);
    expect(new Set(acks.map((a) => a.ack.eventId))).toEqual(new Set(["flush-1"]));
    const caseIds = new Set(acks.map((a) => a.ack.caseId));
    expect(caseIds.size).toBe(1);
    expect(acks[0]!.ack.status).toBe("received");
    expect(await casesOf()).toBe(before + 1);
    const stored = await app.db.all<{ caseId: number }>(
      `SELECT "caseId" FROM "DeviceEvent" WHERE "deviceId" = ? AND "eventId" = ?`,
      [deviceId, "flush-1"],
    );
    expect(stored).toEqual([{ caseId: [...caseIds][0] }]);
  });
});
