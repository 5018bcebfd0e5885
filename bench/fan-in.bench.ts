// Heartbeat fan-in: every device publishes QoS 1 statuses back to back (the next one after the
// broker's PUBACK), and a probe subscribed to every status at QoS 1 with the platform's service
// account measures msg/s and latency.
// Peers, same fleet, same run: the platform with its embedded broker; the platform with
// Mosquitto as BROKER_URL; and, to tell broker cost from platform cost, each broker alone (the
// embedded broker's code as broker/main.ts, and Mosquitto) with the probe as its only subscriber;
// and Mosquitto with a bare client subscribed in the platform's place, the peer of the external
// path (the probe and the platform are two subscribers there: so are the probe and the stand-in).
// Run: npm run bench -- fan-in   (BENCH_FANIN_DEVICES=2000 BENCH_FANIN_SECONDS=10)
import { deviceIds } from "../device-sim/fleet.ts";
import { inTempDir } from "./lib/cleanup.ts";
import { loadBenchEnv, runOptions, type RunOptions } from "./lib/config.ts";
import { ForkedFleet } from "./lib/fleet.ts";
import { now } from "./lib/fleet-protocol.ts";
import { isMain } from "./lib/main.ts";
import { mosquittoFor, startPeer } from "./lib/peers.ts";
import { DEVICE_SECRET, preparedDatabase, startStandaloneBroker } from "./lib/platform.ts";
import { StatusProbe } from "./lib/probe.ts";
import { cpuSeconds } from "./lib/proc.ts";
import { BenchReport, type Row } from "./lib/report.ts";
import { distribution, ratio, round } from "./lib/stats.ts";

export interface FanInOptions extends RunOptions {
  devices: number;
  seconds: number;
  /** Devices per publishing process. */
  perWorker: number;
}

export const FULL: FanInOptions = { devices: 2000, seconds: 10, perWorker: 1000 };

/** The first second of publishing is warm-up and not counted. */
const WARM_UP_MS = 1000;

type Setup =
  | "platform, embedded broker"
  | "platform, Mosquitto"
  | "broker alone (embedded code)"
  | "Mosquitto alone"
  | "Mosquitto, a client in the platform's place";

interface Figures extends Row {
  setup: Setup;
  devices: number;
  "msg/s": number;
  "p50 ms": number | null;
  "p95 ms": number | null;
  "p99 ms": number | null;
  sent: number;
  acked: number;
  received: number;
  lost: number;
  /** CPU of the set-up's own processes (broker, and platform where there is one) during the
   * flood, per message received: what a message costs, whatever else the machine was doing. */
  "cpu s": number;
  "cpu µs/msg": number | null;
  /** Statuses the platform itself took in (its heartbeats' count, logged at stop), whole run:
   * at least `acked` when the platform kept up with everything its broker acknowledged. */
  "platform got": number | null;
}

interface Target {
  url: string;
  pids: number[];
  stop(): Promise<void>;
  /** After stop: the statuses the platform took in, where there is a platform. */
  platformGot?: () => number | null;
  /** A bare client subscribed as the platform is, where there is no platform. */
  standIn?: boolean;
}

/** The platform's count of statuses, from its "device heartbeats stopped" log line. */
function statusesLogged(output: string): number | null {
  for (const line of output.split("\n").reverse()) {
    if (!line.includes('"device heartbeats stopped"')) continue;
    const statuses = (JSON.parse(line) as { statuses?: unknown }).statuses;
    return typeof statuses === "number" ? statuses : null;
  }
  return null;
}

async function measure(setup: Setup, start: () => Promise<Target>, o: FanInOptions): Promise<Figures> {
  const target = await start();
  const fleet = ForkedFleet.start({ ids: deviceIds(o.devices), perWorker: o.perWorker });
  let probe: StatusProbe | null = null;
  let standIn: StatusProbe | null = null;
  let figures: Figures | undefined;
  try {
    await fleet.connect({ brokerUrl: target.url, secret: DEVICE_SECRET, concurrency: 200 });
    if (target.standIn) standIn = await StatusProbe.connect(target.url, { as: "platform" });
    probe = await StatusProbe.connect(target.url);
    const cpu = () => target.pids.reduce((sum, pid) => sum + (cpuSeconds(pid) ?? 0), 0);
    const cpu0 = cpu();
    const t0 = now();
    const until = t0 + o.seconds * 1000;
    const flood = await fleet.flood(until);
    const cpu1 = cpu();
    // Drain: whatever the broker acknowledged must still arrive.
    const deadline = now() + 15_000;
    let last = -1;
    while (probe.count < flood.acked && now() < deadline && probe.count !== last) {
      last = probe.count;
      await new Promise((r) => setTimeout(r, 1000));
    }
    const window = probe.between(t0 + WARM_UP_MS, until);
    const latency = distribution(window.map((a) => a.latencyMs));
    figures = {
      setup,
      devices: o.devices,
      "msg/s": Math.round(window.length / ((until - t0 - WARM_UP_MS) / 1000)),
      "p50 ms": latency.p50,
      "p95 ms": latency.p95,
      "p99 ms": latency.p99,
      sent: flood.sent,
      acked: flood.acked,
      received: probe.count,
      lost: Math.max(0, flood.acked - probe.count),
      "cpu s": round(cpu1 - cpu0, 2)!,
      "cpu µs/msg": window.length === 0 ? null : Math.round(((cpu1 - cpu0) * 1e6) / flood.acked),
      "platform got": null, // known once it has stopped
    };
  } finally {
    await standIn?.close();
    await probe?.close();
    await fleet.close();
    await target.stop();
  }
  return { ...figures, "platform got": target.platformGot?.() ?? null };
}

export async function runFanIn(o: FanInOptions): Promise<BenchReport> {
  const report = new BenchReport(
    "fan-in",
    {
      devices: o.devices,
      secondsPerSetup: o.seconds,
      warmUpMs: WARM_UP_MS,
      publishing: "QoS 1 status, one in flight per device (next after PUBACK)",
      subscriber:
        "the platform's service account, QoS 1 on eldercare/v1/devices/+/status, in the benchmark process",
      publishers: `${Math.ceil(o.devices / o.perWorker)} worker processes`,
    },
    o,
  );
  return inTempDir("eldercare-bench-fan-in-", async (dir) => {
    const database = await preparedDatabase(o.devices);
    const peer = (kind: "embedded" | "mosquitto") => async () => {
      const p = await startPeer(kind, {
        dir,
        database,
        devices: o.devices,
        label: "fan-in",
        profiling: o.profiling,
        // For its "device heartbeats stopped" line (nothing is logged per status).
        env: { LOG_LEVEL: "info" },
      });
      return {
        url: p.mqttUrl,
        pids: [...new Set([p.platform.pid, p.brokerPid])],
        stop: () => p.stop(),
        platformGot: () => statusesLogged(p.platform.output()),
      };
    };
    const rows: Figures[] = [];
    rows.push(await measure("platform, embedded broker", peer("embedded"), o));
    rows.push(await measure("platform, Mosquitto", peer("mosquitto"), o));
    rows.push(
      await measure(
        "broker alone (embedded code)",
        async () => {
          const b = await startStandaloneBroker({
            database,
            label: "fan-in-broker-alone",
            profiling: o.profiling,
          });
          return { url: b.url, pids: [b.pid], stop: () => b.stop() };
        },
        o,
      ),
    );
    rows.push(
      await measure(
        "Mosquitto alone",
        async () => {
          const m = await mosquittoFor(o.devices);
          return { url: m.url, pids: [m.pid], stop: () => m.stop() };
        },
        o,
      ),
    );
    rows.push(
      await measure(
        "Mosquitto, a client in the platform's place",
        async () => {
          const m = await mosquittoFor(o.devices);
          return { url: m.url, pids: [m.pid], stop: () => m.stop(), standIn: true };
        },
        o,
      ),
    );
    report.table("fan-in: QoS 1 statuses to the dispatcher's subscription", rows);
    const [embedded, external, aedesAlone, mosquittoAlone, mosquittoStandIn] = rows as [
      Figures,
      Figures,
      Figures,
      Figures,
      Figures,
    ];
    const fanIn = ratio(embedded["msg/s"], external["msg/s"]);
    report.ratio("platform msg/s, embedded / Mosquitto", fanIn);
    report.ratio(
      "broker alone msg/s, embedded code / Mosquitto",
      ratio(aedesAlone["msg/s"], mosquittoAlone["msg/s"]),
    );
    report.ratio("p99 latency, platform embedded / Mosquitto", ratio(embedded["p99 ms"], external["p99 ms"]));
    report.ratio(
      "CPU per message, platform embedded / platform + Mosquitto",
      ratio(embedded["cpu µs/msg"], external["cpu µs/msg"]),
    );
    report.ratio(
      "CPU per message, broker alone: embedded code / Mosquitto",
      ratio(aedesAlone["cpu µs/msg"], mosquittoAlone["cpu µs/msg"]),
    );
    const externalPath = ratio(external["msg/s"], mosquittoStandIn["msg/s"]);
    report.ratio(
      "external path msg/s: platform with Mosquitto / Mosquitto with a client in its place",
      externalPath,
    );
    report.target("fan-in embedded / Mosquitto", fanIn, ">=", 1);
    report.target("external path / Mosquitto with a client in the platform's place", externalPath, ">=", 1);
    // The probe's rate says what the broker delivered; this says the platform kept up with it.
    const missed = (r: Figures) =>
      r["platform got"] === null ? r.acked : Math.max(0, r.acked - r["platform got"]);
    report.target(
      "acknowledged statuses the platform did not take in (embedded + Mosquitto)",
      missed(embedded) + missed(external),
      "=",
      0,
    );
    report.noneLost(rows);
    report.write();
    return report;
  });
}

if (isMain(import.meta.url)) {
  const env = loadBenchEnv();
  await runFanIn({
    ...FULL,
    devices: env.BENCH_FANIN_DEVICES ?? FULL.devices,
    seconds: env.BENCH_FANIN_SECONDS ?? FULL.seconds,
    ...runOptions(env),
  });
}
