// Every benchmark, run for correctness with tiny counts: the same code paths as `npm run bench`
// (platform, brokers and fleets as real processes), no timing asserted. What must hold at any
// size: nothing is lost, every press is acked, each peer delivered, the results file is written.
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runClusterFleet } from "../../bench/cluster-fleet.bench.ts";
import { runConnections } from "../../bench/connections.bench.ts";
import { runEndToEnd } from "../../bench/end-to-end.bench.ts";
import { runFanIn } from "../../bench/fan-in.bench.ts";
import { runHeartbeats } from "../../bench/heartbeats.bench.ts";
import { runIngest } from "../../bench/ingest.bench.ts";
import { runLogin } from "../../bench/login.bench.ts";
import type { BenchResult, Row } from "../../bench/lib/report.ts";
import { postgresBinDir } from "../helpers/postgres.ts";
import { redisAvailable } from "../helpers/redis.ts";
import { runMatching } from "../../bench/matching.bench.ts";

const resultsDir = mkdtempSync(join(tmpdir(), "eldercare-bench-smoke-"));
afterAll(() => rmSync(resultsDir, { recursive: true, force: true }));
const quiet = { resultsDir, quiet: true };
/** Each smoke run starts several processes; on a shared machine under load that takes minutes. */
const SLOW = 600_000;

/** The results file as written, checked for what every benchmark records. */
function written(name: string): BenchResult {
  const file = join(resultsDir, `${name}.json`);
  expect(existsSync(file)).toBe(true);
  const result = JSON.parse(readFileSync(file, "utf8")) as BenchResult;
  expect(result.name).toBe(name);
  expect(result.machine.cpus).toBeGreaterThan(0);
  expect(result.machine.node).toBe(process.version);
  expect(result.load.before).toHaveLength(3);
  expect(result.load.after).toHaveLength(3);
  expect(Object.keys(result.tables).length).toBeGreaterThan(0);
  return result;
}

const rows = (r: BenchResult): Row[] => Object.values(r.tables).flat();

describe("benchmarks, smoke-sized", () => {
  it("matching: the index ranks exactly as the brute-force scan", () => {
    runMatching({ responders: 400, cases: 60, batches: [[6, 10, 3000, 2]], ...quiet });
    const r = written("matching");
    expect(r.targets.find((t) => t.name.startsWith("index and scan rank identically"))?.met).toBe(true);
    expect(r.ratios["p50 ranking time, scan / index"]).not.toBeNull();
  });

  it(
    "heartbeats: both modes write, the batched one in fewer commits",
    async () => {
      await runHeartbeats({ devices: 50, seconds: 0.3, batch: 20, ...quiet });
      const [batched, single] = rows(written("heartbeats"));
      expect(batched!.messages).toBeGreaterThan(0);
      expect(single!.messages).toBe(single!.commits);
      expect(batched!.commits).toBeLessThan(batched!.messages as number);
    },
    SLOW,
  );

  it(
    "ingest: every press is acked in both modes",
    async () => {
      await runIngest({ presses: 20, withinMs: 200, ...quiet });
      for (const row of rows(written("ingest")))
        expect(row).toMatchObject({ presses: 20, acked: 20, lost: 0 });
    },
    SLOW,
  );

  it(
    "fan-in: every acknowledged status reaches the subscriber, and the platform, in all set-ups",
    async () => {
      await runFanIn({ devices: 20, seconds: 2, perWorker: 10, rounds: 2, ...quiet });
      const result = written("fan-in");
      const [figures, medians] = Object.values(result.tables) as [Row[], Row[]];
      // Each set-up once per round, the second round backwards.
      expect(figures.map((r) => r.round)).toEqual([1, 1, 1, 1, 1, 2, 2, 2, 2, 2]);
      expect(figures.slice(5).map((r) => r.setup)).toEqual(
        figures
          .slice(0, 5)
          .map((r) => r.setup)
          .reverse(),
      );
      expect(medians.map((r) => r.setup)).toEqual(figures.slice(0, 5).map((r) => r.setup));
      for (const m of medians) {
        const rates = figures.filter((r) => r.setup === m.setup).map((r) => r["msg/s"] as number);
        expect(m["msg/s"]).toBe((rates[0]! + rates[1]!) / 2);
      }
      for (const row of figures) {
        expect(row.lost).toBe(0);
        expect(row.received as number).toBeGreaterThanOrEqual(row.acked as number);
        expect(row.acked as number).toBeGreaterThan(0);
      }
      // The platform's own count, embedded and with Mosquitto, and the bare client's in its place;
      // the brokers alone have none.
      const counted = [
        "platform, embedded broker",
        "platform, Mosquitto",
        "Mosquitto, a bare client in the platform's place",
      ];
      for (const row of figures) {
        if (counted.includes(row.setup as string))
          expect(row["platform got"] as number).toBeGreaterThanOrEqual(row.acked as number);
        else expect(row["platform got"]).toBeNull();
      }
    },
    SLOW,
  );

  it(
    "connections: both brokers hold the fleet and get it all back after a storm",
    async () => {
      await runConnections({ devices: 60, concurrency: 30, settleSeconds: 1, ...quiet });
      for (const row of rows(written("connections"))) {
        expect(row).toMatchObject({ devices: 60, held: 60, stormNotBack: 0 });
      }
    },
    SLOW,
  );

  it.skipIf(postgresBinDir() === null || !redisAvailable())(
    "cluster fleet: devices on every broker process connect, come back after a storm, get every ack",
    async () => {
      await runClusterFleet({
        devices: 60,
        brokers: 3,
        concurrency: 30,
        settleSeconds: 1,
        presses: 12,
        pressWithinMs: 500,
        perWorker: 10,
        ...quiet,
      });
      const [one, all] = rows(written("cluster-fleet"));
      expect(one).toMatchObject({
        brokers: 1,
        devices: 20,
        gaveUp: 0,
        held: 20,
        stormNotBack: 0,
        acked: 12,
        lost: 0,
      });
      expect(all).toMatchObject({
        brokers: 3,
        devices: 60,
        gaveUp: 0,
        held: 60,
        stormNotBack: 0,
        acked: 12,
        lost: 0,
      });
    },
    SLOW,
  );

  it(
    "end to end: every press is acked and every case reaches the console, for every peer",
    async () => {
      await runEndToEnd({ devices: 40, rate: 5, seconds: 2, burst: 10, ackTimeoutMs: 15_000, ...quiet });
      const figures = rows(written("end-to-end"));
      expect(figures.map((r) => r.setup)).toEqual([
        "platform, embedded broker",
        "platform, Mosquitto",
        "minimal acker (floor)",
      ]);
      for (const row of figures) {
        expect(row).toMatchObject({ presses: 20, acked: 20, lost: 0, "burst lost": 0 });
        expect(row["ack p99 ms"]).not.toBeNull();
      }
      expect(figures[0]!["console p99 ms"]).not.toBeNull();
      expect(figures[1]!["console p99 ms"]).not.toBeNull();
    },
    SLOW,
  );

  it(
    "login: every failed login is answered 401, none refused by the guard, both kinds timed",
    async () => {
      await runLogin({ logins: 3, ...quiet });
      const r = written("login");
      expect(r.tables["answers"]).toEqual([{ status: 401, n: 6 }]);
      expect(r.ratios["p50 answer time, existing / unknown"]).not.toBeNull();
    },
    SLOW,
  );
});
