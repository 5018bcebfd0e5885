// Cluster mode's promise (decision 0017): two instances on PostgreSQL + Redis, devices on both
// brokers' nodes; the leader is killed with SIGKILL in the middle of a burst of 500 presses. The
// follower takes the lease, every press ends as exactly one case and is acknowledged, the console
// connected to the survivor hears every case created, and the offers the dead leader had open
// expire at their own deadlines, not a full timeout after the takeover.
import type { ChildProcess } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DeviceFleet, deviceIds } from "../../device-sim/fleet.ts";
import { openDatabase } from "../../dispatcher/db/open.ts";
import { HealthSchema, type CaseSummary, type Health } from "../../protocol/index.ts";
import { connectSocket, login, TEST_PASSWORD, type ClientSocket } from "../helpers/app.ts";
import { postgresBinDir, startPostgres, type PostgresCluster } from "../helpers/postgres.ts";
import { redisAvailable, startRedis, type RedisServer } from "../helpers/redis.ts";
import { serviceEnv, startService, stopService } from "../helpers/service-process.ts";
import { until } from "../helpers/wait.ts";

const PRESSES = 500;
const OFFER_TIMEOUT_SECONDS = 10;
const SECRET = "cluster-secret";
const children: ChildProcess[] = [];
let pg: PostgresCluster;
let redis: RedisServer;

async function health(httpUrl: string): Promise<Health> {
  const res = await fetch(`${httpUrl}/healthz`);
  return HealthSchema.parse(await res.json());
}

describe.skipIf(postgresBinDir() === null || !redisAvailable())(
  "two instances, kill -9 of the leader",
  () => {
    beforeAll(async () => {
      [pg, redis] = await Promise.all([startPostgres(), startRedis()]);
    });
    afterAll(async () => {
      for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
      await Promise.all([pg?.stop(), redis?.stop()]);
    });

    it("the follower takes over: no press lost or duplicated, every case announced, deadlines kept", async () => {
      const url = await pg.createDatabase();
      const common = {
        REDIS_URL: redis.url,
        DEMO_DEVICE_SECRET: SECRET,
        DEMO_PASSWORD: TEST_PASSWORD,
        LEASE_CHECK_MS: "250",
        OFFER_TIMEOUT_SECONDS: String(OFFER_TIMEOUT_SECONDS),
      };
      const envA = await serviceEnv(url, { ...common, INSTANCE_ID: "a" });
      const envB = await serviceEnv(url, { ...common, INSTANCE_ID: "b" });
      const a = await startService(envA);
      children.push(a);
      const b = await startService(envB);
      children.push(b);
      const httpA = `http://127.0.0.1:${envA.PORT}`;
      const httpB = `http://127.0.0.1:${envB.PORT}`;
      expect(await health(httpA)).toMatchObject({ role: "leader", instance: "a", redis: "up" });
      expect(await health(httpB)).toMatchObject({ role: "follower", instance: "b", mqtt: "standby" });

      // A console on the follower: its login is forwarded to the leader, its socket stays on B.
      const { token } = await login(httpB, "dispatcher");
      const created = new Set<number>();
      const staff: ClientSocket = await connectSocket(httpB, token, (s) =>
        s.on("case:created", (c: CaseSummary) => created.add(c.id)),
      );

      // Half of the devices on each instance's broker node; each falls back to the other node.
      const brokerA = `mqtt://127.0.0.1:${envA.MQTT_PORT}`;
      const brokerB = `mqtt://127.0.0.1:${envB.MQTT_PORT}`;
      const ids = deviceIds(PRESSES);
      const fleet = (list: string[], primary: string, other: string) =>
        new DeviceFleet({
          brokerUrl: primary,
          fallbackBrokerUrls: [other],
          deviceIds: list,
          secret: SECRET,
          heartbeatSeconds: 0,
          resend: { initialMs: 500, maxMs: 2000 },
          reconnect: { initialMs: 200, maxMs: 1000 },
        });
      const onA = fleet(ids.slice(0, PRESSES / 2), brokerA, brokerB);
      const onB = fleet(ids.slice(PRESSES / 2), brokerB, brokerA);
      await Promise.all([onA.connect(), onB.connect()]);

      const burst = Promise.all([onA.burst(PRESSES / 2, 4000, "sos"), onB.burst(PRESSES / 2, 4000, "sos")]);
      await until(() => onA.summary().acked + onB.summary().acked >= PRESSES / 4, 60_000); // mid-burst
      const killedAt = Date.now();
      await stopService(a, "SIGKILL");

      const db = await openDatabase(url, { readOnly: true });
      try {
        // The handover, as the lease row records it: the next epoch, taken by B.
        const lease = await until(
          () =>
            db.get<{ epoch: number; instance: string; since: number }>(
              `SELECT "epoch", "instance", "since" FROM "Leadership" WHERE "id" = 'dispatch' AND "epoch" = 2`,
            ),
          30_000,
        );
        expect(lease.instance).toBe("b");
        const takeoverMs = lease.since - killedAt;
        console.info(`cluster failover: lease taken by b ${takeoverMs} ms after kill -9 of a`);
        expect(takeoverMs).toBeLessThan(5000); // the bound

        const [resultsA, resultsB] = await burst;
        const summary = [onA.summary(), onB.summary()];
        expect(resultsA.length + resultsB.length).toBe(PRESSES);
        expect(summary[0]!.lost + summary[1]!.lost).toBe(0);
        expect(summary[0]!.maxAttempts).toBeGreaterThan(1); // A's devices really had to resend
        expect((await health(httpB)).role).toBe("leader");

        const count = async (sql: string) => (await db.get<{ n: number }>(sql))?.n;
        expect(await count(`SELECT COUNT(*) AS n FROM "DeviceEvent" WHERE type = 'sos'`)).toBe(PRESSES);
        expect(await count(`SELECT COUNT(*) AS n FROM "Case" WHERE type = 'sos'`)).toBe(PRESSES);
        expect(
          await count(
            `SELECT MAX(n) AS n FROM (SELECT COUNT(*) AS n FROM "Case" GROUP BY "deviceId") per_device`,
          ),
        ).toBe(1);
        const acked = new Set([...resultsA, ...resultsB].map((r) => r.ack.caseId));
        expect(acked.size).toBe(PRESSES);

        // Every case reached the console on the survivor, including those A committed just before dying.
        const caseIds = (await db.all<{ id: number }>(`SELECT id FROM "Case" WHERE type = 'sos'`)).map(
          (r) => r.id,
        );
        await until(() => caseIds.every((id) => created.has(id)), 30_000);

        // The offers A had made and left open expire at their deadlines, re-armed from the database.
        const open = await db.all<{ id: number }>(
          `SELECT id FROM "Offer" WHERE "createdAt" < ? AND ("respondedAt" IS NULL OR "respondedAt" >= ?)`,
          [lease.since, lease.since],
        );
        expect(open.length).toBeGreaterThan(0);
        const offers = () =>
          db.all<{ status: string; deadline: number; respondedAt: number | null }>(
            `SELECT status, deadline, "respondedAt" FROM "Offer" WHERE id IN (${open.map((o) => o.id).join(",")}) ORDER BY id`,
          );
        const deadlinesAtTakeover = await offers();
        const ended = await until(async () => {
          const rows = await offers();
          return rows.every((r) => r.status !== "pending") ? rows : null;
        }, 60_000);
        const expired = ended.filter((r) => r.status === "expired");
        expect(expired.length).toBeGreaterThan(0);
        for (const o of expired) expect(o.respondedAt).toBeGreaterThanOrEqual(o.deadline);
        // The deadline each offer expired by is the one A stored, not one re-armed from the takeover.
        expect(ended.map((r) => r.deadline)).toEqual(deadlinesAtTakeover.map((r) => r.deadline));
        const late = expired.map((o) => o.respondedAt! - o.deadline);
        console.info(
          `cluster failover: ${expired.length} offers of the dead leader expired, ${Math.min(...late)}–${Math.max(...late)} ms after their deadlines (the survivor was taking the burst's resends meanwhile)`,
        );
      } finally {
        staff.disconnect();
        await Promise.all([onA.close(), onB.close()]);
        await db.close();
        await stopService(b);
      }
    }, 240_000);
  },
);
