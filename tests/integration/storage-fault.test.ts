// A storage fault never takes the platform down and never produces an ack for an unstored press.
// Another process holds the SQLite write lock (BEGIN IMMEDIATE on a second connection) while
// devices press: nothing is acknowledged, /healthz answers 503 with the reason, consoles get
// `platform:health`, and the process stays up. Once the lock is released every pressed device is
// acknowledged and has exactly one case — without a restart.
// (Making the file read-only is no fault for a process running as root, as CI does: root writes
// through any file mode. The lock is a storage fault SQLite reports the same way.)
import BetterSqlite3 from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SimDevice } from "../../device-sim/device.ts";
import { HealthSchema, type PlatformStatus } from "../../protocol/index.ts";
import {
  allOffDuty,
  connectSocket,
  count,
  login,
  nextEvent,
  startTestApp,
  TEST_DEVICE_SECRET,
  type ClientSocket,
  type TestApp,
} from "../helpers/app.ts";
import { connectDevice, offset, onDutyAt, residentOf, type TestResponder } from "../helpers/scenario.ts";
import { until } from "../helpers/wait.ts";

let app: TestApp;
let staff: ClientSocket;
const health: PlatformStatus[] = [];
const DEVICES = Array.from({ length: 12 }, (_, i) => `BJ-${String(i + 1).padStart(5, "0")}`);
const sims: SimDevice[] = [];

beforeAll(async () => {
  app = await startTestApp({ seed: { residents: 40, caregivers: 3, volunteers: 3 } });
  staff = await connectSocket(app.httpUrl, (await login(app.httpUrl, "dispatcher")).token, (s) =>
    s.on("platform:health", (status) => health.push(status)),
  );
  for (const id of DEVICES) {
    const d = new SimDevice({
      brokerUrl: app.mqttUrl,
      deviceId: id,
      secret: TEST_DEVICE_SECRET,
      heartbeatSeconds: 0,
    });
    await d.connect();
    sims.push(d);
  }
});
afterAll(async () => {
  staff?.disconnect();
  await Promise.all(sims.map((d) => d.close({ force: true })));
  await app?.close();
});

async function healthz() {
  const res = await fetch(`${app.httpUrl}/healthz`);
  return { status: res.status, body: HealthSchema.parse(await res.json()) };
}

describe("the database cannot commit during a burst of presses", () => {
  it("acknowledges nothing, reports 503, stays up, and stores every press once it recovers", async () => {
    expect((await healthz()).status).toBe(200);
    await until(() => health.length > 0); // a console gets the state as it connects
    expect(health.at(-1)?.status).toBe("ok");

    const lock = new BetterSqlite3(app.dbFile);
    lock.exec("BEGIN IMMEDIATE");
    let results: Promise<unknown>[];
    try {
      results = sims.map((d) => d.press("sos"));
      // Every press reached the intake, and its commit failed (after the busy wait).
      await until(
        () => app.intake.stats.received >= DEVICES.length && app.intake.stats.failedBatches >= 1,
        20_000,
      );
      const during = await healthz();
      expect(during.status).toBe(503);
      expect(during.body).toMatchObject({ status: "degraded", db: "down" });
      expect(during.body.problems).toEqual([
        expect.objectContaining({ code: "storage_unavailable", fault: "busy" }),
      ]);
      expect(during.body.failures["ingest commit"]).toBeGreaterThanOrEqual(1);
      await until(() => health.at(-1)?.status === "degraded");
      expect(health.at(-1)?.problems[0]?.code).toBe("storage_unavailable");

      // A login needs a write: a clear 503, not a 500.
      const refused = await fetch(`${app.httpUrl}/api/auth/login`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ username: "manager", password: "pw-test-1" }),
      });
      expect(refused.status).toBe(503);
      expect(refused.headers.get("retry-after")).toBe("5");

      // Nothing was acknowledged while nothing could be stored.
      expect(sims.flatMap((d) => d.acks())).toEqual([]);
      expect(sims.every((d) => d.pending() === 1)).toBe(true);
    } finally {
      lock.exec("ROLLBACK");
      lock.close();
    }

    // Recovered without a restart: every press acknowledged, exactly one case per device.
    await Promise.all(results);
    expect(sims.every((d) => d.acks().some((a) => a.status === "received"))).toBe(true);
    const perDevice = await app.db.all<{ deviceId: string; n: number }>(
      `SELECT "deviceId", COUNT(*) AS n FROM "Case" GROUP BY "deviceId" ORDER BY "deviceId"`,
    );
    expect(perDevice).toEqual(DEVICES.map((deviceId) => ({ deviceId, n: 1 })));
    expect(await count(app, `SELECT COUNT(*) AS n FROM "DeviceEvent"`)).toBe(DEVICES.length);
    await until(() => health.at(-1)?.status === "ok");
    const after = await healthz();
    expect(after.status).toBe(200);
    expect(after.body.problems).toEqual([]);
  });
});

describe("the database cannot commit when a deadline comes", () => {
  it("keeps the deadline: the timer turn is retried with backoff and the offer expires once it can", async () => {
    const timed = await startTestApp({
      // One offer at a time with a short countdown, so its deadline comes while the lock is held.
      policy: { offerTimeoutMs: 3_000, staggerMs: 0, parallelOffers: 1 },
      seed: { residents: 20, caregivers: 3, volunteers: 3 },
    });
    const device = await connectDevice(timed, "BJ-00003");
    let helper: TestResponder | undefined;
    try {
      await allOffDuty(timed);
      const home = await residentOf(timed, "BJ-00003");
      helper = await onDutyAt(timed, "caregiver001", offset(home.lat, home.lng, 150, 0));
      const offered = nextEvent(helper.socket, "offer");
      await device.press("deadline-1");
      const offer = await offered;
      const statusOf = async () =>
        (await timed.db.get<{ status: string }>(`SELECT status FROM "Offer" WHERE id = ?`, [offer.id]))
          ?.status;
      const timerFailures = async () => {
        const res = await fetch(`${timed.httpUrl}/healthz`);
        return HealthSchema.parse(await res.json()).failures["case timer"] ?? 0;
      };

      const lock = new BetterSqlite3(timed.dbFile);
      lock.exec("BEGIN IMMEDIATE");
      try {
        // The deadline came and its turn could not commit, more than once (backoff, not given up).
        await until(async () => (await timerFailures()) >= 2, 30_000);
        expect(await statusOf()).toBe("pending");
      } finally {
        lock.exec("ROLLBACK");
        lock.close();
      }
      // Recovered without a restart: the deadline that was due is carried out.
      await until(async () => (await statusOf()) === "expired", 30_000);
      expect(await count(timed, `SELECT COUNT(*) AS n FROM "CaseEvent" WHERE type = 'offer_expired'`)).toBe(
        1,
      );
    } finally {
      helper?.socket.close();
      await device.close();
      await timed.close();
    }
  });
});
