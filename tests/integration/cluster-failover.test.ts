// Cluster mode's promise (decision 0017): two instances on PostgreSQL + Redis, devices on both
// brokers' nodes; the leader is killed with SIGKILL in the middle of a burst of 500 presses. The
// follower takes the lease, every press ends as exactly one case and is acknowledged, the console
// connected to the survivor hears every case created, and the offers the dead leader had open
// expire at their own deadlines, not a full timeout after the takeover. Twenty phones (simulated,
// heartbeating, leaving offers to their countdown) are connected to the survivor, so offers are
// made under presence (decision 0012) before and after the takeover.
import type { ChildProcess } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DeviceFleet, deviceIds } from "../../device-sim/fleet.ts";
import { SimResponder } from "../../device-sim/responders.ts";
import { openDatabase } from "../../dispatcher/db/open.ts";
import type { CaseSummary } from "../../protocol/index.ts";
import { connectSocket, login, TEST_PASSWORD, type ClientSocket } from "../helpers/app.ts";
import { CLUSTER_DEVICE_SECRET, health, startTwoInstances } from "../helpers/cluster.ts";
import { postgresBinDir, startPostgres, type PostgresCluster } from "../helpers/postgres.ts";
import { redisAvailable, startRedis, type RedisServer } from "../helpers/redis.ts";
import { stopService } from "../helpers/service-process.ts";
import { until } from "../helpers/wait.ts";

const PRESSES = 500;
const PHONES = 20;
const OFFER_TIMEOUT_SECONDS = 10;
const children: ChildProcess[] = [];
let pg: PostgresCluster;
let redis: RedisServer;

/** How long each phase took, printed at the end: where the scenario's time goes. */
function phases() {
  let last = Date.now();
  const took: string[] = [];
  return {
    done(name: string) {
      const now = Date.now();
      took.push(`${name} ${((now - last) / 1000).toFixed(1)} s`);
      console.info(`cluster failover phase: ${took.at(-1)}`); // as it happens: a stall shows where
      last = now;
    },
    print: () => console.info(`cluster failover phases: ${took.join(", ")}`),
  };
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
      const phase = phases();
      const {
        databaseUrl: url,
        a: { child: a, httpUrl: httpA, mqttUrl: brokerA },
        b: { child: b, httpUrl: httpB, mqttUrl: brokerB },
      } = await startTwoInstances(
        { pg, redis },
        // A device for every press; of the responders only the phones below are reachable.
        { residents: PRESSES, caregivers: 10, volunteers: PHONES },
        { OFFER_TIMEOUT_SECONDS: String(OFFER_TIMEOUT_SECONDS) },
        (child) => children.push(child),
      );
      expect(await health(httpA)).toMatchObject({ role: "leader", instance: "a", redis: "up" });
      expect(await health(httpB)).toMatchObject({ role: "follower", instance: "b", mqtt: "standby" });
      phase.done("two instances up");

      // The phones on the survivor: their requests go to the leader, their sockets stay on B.
      const phones = Array.from(
        { length: PHONES },
        (_, i) =>
          new SimResponder({
            apiUrl: httpB,
            username: `volunteer${String(i + 1).padStart(3, "0")}`,
            password: TEST_PASSWORD,
            autoAccept: false,
          }),
      );
      await Promise.all(phones.map((p) => p.start()));
      phase.done(`${PHONES} phones on duty`);

      // A console on the follower: its login is forwarded to the leader, its socket stays on B.
      const { token } = await login(httpB, "dispatcher");
      const created = new Set<number>();
      const staff: ClientSocket = await connectSocket(httpB, token, (s) =>
        s.on("case:created", (c: CaseSummary) => created.add(c.id)),
      );

      // Half of the devices on each instance's broker node; each falls back to the other node.
      const ids = deviceIds(PRESSES);
      const fleet = (list: string[], primary: string, other: string) =>
        new DeviceFleet({
          brokerUrl: primary,
          fallbackBrokerUrls: [other],
          deviceIds: list,
          secret: CLUSTER_DEVICE_SECRET,
          heartbeatSeconds: 0,
          resend: { initialMs: 500, maxMs: 2000 },
          reconnect: { initialMs: 200, maxMs: 1000 },
        });
      const onA = fleet(ids.slice(0, PRESSES / 2), brokerA, brokerB);
      const onB = fleet(ids.slice(PRESSES / 2), brokerB, brokerA);
      await Promise.all([onA.connect(), onB.connect()]);
      phase.done(`${PRESSES} devices connected`);

      const burst = Promise.all([onA.burst(PRESSES / 2, 4000, "sos"), onB.burst(PRESSES / 2, 4000, "sos")]);
      await until(() => onA.summary().acked + onB.summary().acked >= PRESSES / 4, 60_000); // mid-burst
      const killedAt = Date.now();
      await stopService(a, "SIGKILL");
      phase.done("burst until a quarter acked, kill -9");

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
        phase.done("takeover");

        const [resultsA, resultsB] = await burst;
        const summary = [onA.summary(), onB.summary()];
        expect(resultsA.length + resultsB.length).toBe(PRESSES);
        expect(summary[0]!.lost + summary[1]!.lost).toBe(0);
        expect(summary[0]!.maxAttempts).toBeGreaterThan(1); // A's devices really had to resend
        expect((await health(httpB)).role).toBe("leader");
        phase.done("rest of the burst acked");

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
        phase.done("every case on the console");

        // The offers A had made and left open expire at their deadlines, re-armed from the database.
        // Only the phones can have been offered anything: nobody else has a live phone.
        const phoneIds = new Set(phones.map((p) => p.responderId));
        const offeredTo = await db.all<{ responderId: number }>(`SELECT DISTINCT "responderId" FROM "Offer"`);
        expect(offeredTo.every((o) => phoneIds.has(o.responderId))).toBe(true);
        const open = await db.all<{ id: number }>(
          `SELECT id FROM "Offer" WHERE "createdAt" < ? AND ("respondedAt" IS NULL OR "respondedAt" >= ?)`,
          [lease.since, lease.since],
        );
        expect(open.length).toBeGreaterThan(0);
        const offers = () =>
          db.all<{
            id: number;
            caseId: number;
            status: string;
            deadline: number;
            respondedAt: number | null;
          }>(
            `SELECT id, "caseId", status, deadline, "respondedAt" FROM "Offer" WHERE id IN (${open.map((o) => o.id).join(",")}) ORDER BY id`,
          );
        const deadlinesAtTakeover = await offers();
        const ended = await until(async () => {
          const rows = await offers();
          return rows.every((r) => r.status !== "pending") ? rows : null;
        }, 60_000);
        phase.done("the dead leader's offers ended");
        // Nobody accepts: every inherited offer runs out on the survivor, at its stored deadline…
        const expired = ended.filter((r) => r.status === "expired");
        expect(expired.length).toBe(open.length);
        for (const o of expired) expect(o.respondedAt).toBeGreaterThanOrEqual(o.deadline);
        // …and its case goes on: offered to another phone, or escalated to staff when none is free.
        const goesOn = await until(async () => {
          const rows = await db.all<{ id: number }>(
            `SELECT c.id FROM "Case" c WHERE c.id IN (${expired.map((o) => o.caseId).join(",")})
             AND (c.escalated = 1 OR EXISTS (SELECT 1 FROM "Offer" o WHERE o."caseId" = c.id AND o."createdAt" >= ?))`,
            [lease.since],
          );
          return rows.length === new Set(expired.map((o) => o.caseId)).size ? rows : null;
        }, 30_000);
        expect(goesOn.length).toBeGreaterThan(0);
        // The deadline each offer expired by is the one A stored, not one re-armed from the takeover.
        expect(ended.map((r) => r.deadline)).toEqual(deadlinesAtTakeover.map((r) => r.deadline));
        const late = expired.map((o) => o.respondedAt! - o.deadline);
        console.info(
          `cluster failover: ${expired.length} offers of the dead leader expired, ${Math.min(...late)}–${Math.max(...late)} ms after their deadlines (due ${expired.map((o) => o.deadline - lease.since).join(", ")} ms after the takeover)`,
        );
        phase.print();
      } finally {
        staff.disconnect();
        await Promise.all(phones.map((p) => p.stop()));
        await Promise.all([onA.close(), onB.close()]);
        await db.close();
        await stopService(b);
      }
    }, 240_000);
  },
);
