// Presence across a cluster (decision 0012, "Presence in a cluster"): a phone whose socket sits on
// the follower is live to the leader's matching (its socket events are relayed through Redis), and
// after kill -9 of the leader the survivor counts that socket on taking the lease and offers the
// phone the next case, without the phone doing anything.
import type { ChildProcess } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../dispatcher/db/open.ts";
import type { SqlDatabase } from "../../dispatcher/db/sql.ts";
import type { ResponderSummary } from "../../protocol/index.ts";
import { api, login, nextEvent } from "../helpers/app.ts";
import { CLUSTER_DEVICE_SECRET as SECRET, health, startTwoInstances } from "../helpers/cluster.ts";
import { postgresBinDir, startPostgres, type PostgresCluster } from "../helpers/postgres.ts";
import { redisAvailable, startRedis, type RedisServer } from "../helpers/redis.ts";
import { connectDevice, offset, onDutyAt, residentOf, until } from "../helpers/scenario.ts";
import { stopService } from "../helpers/service-process.ts";

const children: ChildProcess[] = [];
let pg: PostgresCluster;
let redis: RedisServer;

const role = async (httpUrl: string) => (await health(httpUrl)).role;

/** The device of the resident living nearest to `deviceId`'s (so one phone is nearest to both). */
async function neighbourOf(db: SqlDatabase, deviceId: string): Promise<string> {
  const home = await residentOf({ db }, deviceId);
  const rows = await db.all<{ id: string; lat: number; lng: number }>(
    `SELECT d.id, r.lat, r.lng FROM "Device" d JOIN "Resident" r ON r.id = d."residentId"
     WHERE d.id <> ? AND r.id <> ?`,
    [deviceId, home.residentId],
  );
  const d2 = (r: { lat: number; lng: number }) => (r.lat - home.lat) ** 2 + (r.lng - home.lng) ** 2;
  return rows.reduce((best, r) => (d2(r) < d2(best) ? r : best)).id;
}

describe.skipIf(postgresBinDir() === null || !redisAvailable())("presence across two instances", () => {
  beforeAll(async () => {
    [pg, redis] = await Promise.all([startPostgres(), startRedis()]);
  });
  afterAll(async () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
    await Promise.all([pg?.stop(), redis?.stop()]);
  });

  it("the leader offers to a phone on the follower, and so does the survivor after kill -9 of the leader", async () => {
    const {
      databaseUrl: url,
      a: { child: a, httpUrl: httpA, mqttUrl: mqttA },
      b: { child: b, httpUrl: httpB, mqttUrl: mqttB },
    } = await startTwoInstances(
      { pg, redis },
      { residents: 100, caregivers: 10, volunteers: 10 },
      {},
      (child) => children.push(child),
    );
    expect(await role(httpA)).toBe("leader");
    expect(await role(httpB)).toBe("follower");

    const db = await openDatabase(url, { readOnly: true });
    const reportedFrom = Date.now();
    const phone = await (async () => {
      const home = await residentOf({ db }, "BJ-00001");
      // Its REST calls are forwarded to the leader; its socket stays on B. Nobody else has a phone.
      return onDutyAt({ httpUrl: httpB }, "caregiver001", offset(home.lat, home.lng, 100, 0));
    })();
    try {
      const staffToken = (await login(httpA, "dispatcher")).token;
      const shown = async () =>
        (await api<ResponderSummary[]>(httpA, staffToken, "GET", "/api/responders")).body.find(
          (r) => r.id === phone.id,
        );
      await until(async () => (await shown())?.phoneState === "live", 10_000);

      const first = await connectDevice({ mqttUrl: mqttA }, "BJ-00001", SECRET);
      const offered = nextEvent(phone.socket, "offer", undefined, 15_000);
      await first.press("cluster-presence-1");
      const caseId = (await first.ack((a) => a.status === "received", 15_000)).caseId;
      const offer = await offered;
      expect(offer.case.id).toBe(caseId);
      const declined = await api(httpB, phone.token, "POST", `/api/offers/${offer.id}/decline`);
      expect(declined.status).toBe(204);
      await first.close();

      // The survivor reads duty and position from the database: wait until A has written them
      // (the seed leaves every responder the place of their last shift, hours old).
      await until(
        () =>
          db.get(`SELECT 1 AS ok FROM "Responder" WHERE id = ? AND "onDuty" = 1 AND "locationAt" >= ?`, [
            phone.id,
            reportedFrom,
          ]),
        15_000,
      );
      await stopService(a, "SIGKILL");
      // Leading, and its MQTT link is up: a single QoS 1 publish (this test's device does not
      // resend, unlike a real one) must find the dispatcher's subscription.
      await until(async () => {
        const h = await health(httpB).catch(() => null);
        return h?.role === "leader" && h.mqtt === "connected";
      }, 30_000);

      // The phone has done nothing since: the survivor knows its socket from its own count.
      const next = await connectDevice({ mqttUrl: mqttB }, await neighbourOf(db, "BJ-00001"), SECRET);
      const offeredAgain = nextEvent(phone.socket, "offer", undefined, 15_000);
      await next.press("cluster-presence-2");
      const secondCase = (await next.ack((a) => a.status === "received", 15_000)).caseId;
      expect((await offeredAgain).case.id).toBe(secondCase);
      await next.close();
    } finally {
      phone.socket.close();
      await db.close();
      await stopService(b);
    }
  }, 180_000);
});
