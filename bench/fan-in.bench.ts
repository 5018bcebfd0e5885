// Heartbeat fan-in: every device publishes QoS 1 statuses back to back (the next one after the
// broker's PUBACK). msg/s is what the broker took in: statuses acknowledged to the devices per
// second after a warm-up — counted only when every one also reached the dispatcher's subscription
// (the platform's own count, or the bare client's) and the probe (lost = 0). A probe subscribed
// to every status at QoS 1 with the platform's service account measures latency; its own rate
// ("probe msg/s") is shown beside, but it shares the two cores with everything else and, when it
// falls behind, measures itself (Mosquitto and aedes queue for it; its latency says by how much).
// Peers, same fleet, same run: the platform with its embedded broker; the platform with
// Mosquitto as BROKER_URL; and, to tell broker cost from platform cost, each broker alone (the
// embedded broker's code as broker/main.ts, and Mosquitto) with the probe as its only subscriber;
// and Mosquitto with a bare client in the platform's place (its own process, subscribed as the
// platform's session is, reading and counting every status), the peer of the external path: the
// probe and the platform are two subscribing processes there, so are the probe and the bare client.
// Run: npm run bench -- fan-in   (BENCH_FANIN_DEVICES=2000 BENCH_FANIN_SECONDS=8 BENCH_FANIN_ROUNDS=2)
import { deviceIds } from "../device-sim/fleet.ts";
import { startBareClient } from "./lib/bare-client.ts";
import { inTempDir } from "./lib/cleanup.ts";
import { loadBenchEnv, runOptions, type RunOptions } from "./lib/config.ts";
import { ForkedFleet } from "./lib/fleet.ts";
import { now } from "./lib/fleet-protocol.ts";
import { isMain } from "./lib/main.ts";
import { mosquittoFor, startPeer } from "./lib/peers.ts";
import { DEVICE_SECRET, loggedCount, preparedDatabase, startStandaloneBroker } from "./lib/platform.ts";
import { StatusProbe } from "./lib/probe.ts";
import { cpuSeconds } from "./lib/proc.ts";
import { BenchReport, type Row } from "./lib/report.ts";
import { distribution, medianOf, ratio, round } from "./lib/stats.ts";

export interface FanInOptions extends RunOptions {
  devices: number;
  seconds: number;
  /** Devices per publishing process. */
  perWorker: number;
  /** Every set-up measured this many times (default 1); ratios compare the medians. */
  rounds?: number;
}

/** Two rounds (the second in reverse order) of 8 s per set-up keep the benchmarks together
 * under ten minutes on two cores; more rounds: BENCH_FANIN_ROUNDS. */
export const FULL: FanInOptions = { devices: 2000, seconds: 8, perWorker: 1000, rounds: 2 };

/** The first second of publishing is warm-up and not counted. */
const WARM_UP_MS = 1000;

type Setup =
  | "platform, embedded broker"
  | "platform, Mosquitto"
  | "broker alone (embedded code)"
  | "Mosquitto alone"
  | "Mosquitto, a bare client in the platform's place";

interface Figures extends Row {
  round: number;
  setup: Setup;
  devices: number;
  /** Statuses acknowledged to the devices per second, after the warm-up. */
  "msg/s": number;
  /** Statuses the probe received per second in the same window. */
  "probe msg/s": number;
  "p50 ms": number | null;
  "p95 ms": number | null;
  "p99 ms": number | null;
  sent: number;
  acked: number;
  received: number;
  lost: number;
  /** CPU of the set-up's own processes (broker, and platform or bare client where there is one)
   * during the flood and the drain after it, per message acknowledged: what a message costs,
   * whatever else the machine was doing. */
  "cpu s": number;
  "cpu µs/msg": number | null;
  /** Statuses the platform (or the bare client in its place) itself took in, counted by it and
   * logged at stop, whole run: at least `acked` when it kept up with everything its broker
   * acknowledged. */
  "platform got": number | null;
}

interface Target {
  url: string;
  pids: number[];
  stop(): Promise<void>;
  /** After stop: the statuses the platform (or its stand-in) took in, where there is one. */
  platformGot?: () => number | null;
}

async function measure(
  roundNumber: number,
  setup: Setup,
  start: () => Promise<Target>,
  o: FanInOptions,
): Promise<Figures> {
  const target = await start();
  const fleet = ForkedFleet.start({ ids: deviceIds(o.devices), perWorker: o.perWorker });
  let probe: StatusProbe | null = null;
  let figures: Figures | undefined;
  try {
    await fleet.connect({ brokerUrl: target.url, secret: DEVICE_SECRET, concurrency: 200 });
    probe = await StatusProbe.connect(target.url);
    const cpu = () => target.pids.reduce((sum, pid) => sum + (cpuSeconds(pid) ?? 0), 0);
    const cpu0 = cpu();
    const t0 = now();
    const until = t0 + o.seconds * 1000;
    const flood = await fleet.flood(until, t0 + WARM_UP_MS);
    // Drain: whatever the broker acknowledged must still arrive.
    const deadline = now() + 15_000;
    let last = -1;
    while (probe.count < flood.acked && now() < deadline && probe.count !== last) {
      last = probe.count;
      await new Promise((r) => setTimeout(r, 1000));
    }
    // CPU after the drain and one heartbeat flush more (the platform writes every second): work a
    // subscriber put off until the devices stopped, and the last batched write, count too.
    await new Promise((r) => setTimeout(r, 1000));
    const cpu1 = cpu();
    const window = probe.between(t0 + WARM_UP_MS, until);
    const latency = distribution(window.map((a) => a.latencyMs));
    const perSecond = (n: number) => Math.round(n / ((until - t0 - WARM_UP_MS) / 1000));
    figures = {
      round: roundNumber,
      setup,
      devices: o.devices,
      "msg/s": perSecond(flood.ackedInWindow),
      "probe msg/s": perSecond(window.length),
      "p50 ms": latency.p50,
      "p95 ms": latency.p95,
      "p99 ms": latency.p99,
      sent: flood.sent,
      acked: flood.acked,
      received: probe.count,
      lost: Math.max(0, flood.acked - probe.count),
      "cpu s": round(cpu1 - cpu0, 2)!,
      "cpu µs/msg": flood.acked === 0 ? null : Math.round(((cpu1 - cpu0) * 1e6) / flood.acked),
      "platform got": null, // known once it has stopped
    };
  } finally {
    await probe?.close();
    await fleet.close();
    await target.stop();
  }
  return { ...figures, "platform got": target.platformGot?.() ?? null };
}

export async function runFanIn(o: FanInOptions): Promise<BenchReport> {
  const rounds = o.rounds ?? 1;
  const report = new BenchReport(
    "fan-in",
    {
      devices: o.devices,
      secondsPerSetup: o.seconds,
      warmUpMs: WARM_UP_MS,
      rounds,
      order: "every set-up once per round; forwards, then backwards, then forwards…",
      publishing: "QoS 1 status, one in flight per device (next after PUBACK)",
      rate: "statuses acknowledged to the devices per second after the warm-up, each delivered (lost = 0)",
      probe:
        "the platform's service account, QoS 1 on eldercare/v1/devices/+/status, in the benchmark process",
      publishers: `${Math.ceil(o.devices / o.perWorker)} worker processes`,
    },
    o,
  );
  return inTempDir("eldercare-bench-fan-in-", async (dir) => {
    const database = await preparedDatabase(o.devices);
    const peer = (kind: "embedded" | "mosquitto") => async (): Promise<Target> => {
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
        platformGot: () => loggedCount(p.platform.output(), "device heartbeats stopped"),
      };
    };
    const setups: Record<Setup, () => Promise<Target>> = {
      "platform, embedded broker": peer("embedded"),
      "platform, Mosquitto": peer("mosquitto"),
      "broker alone (embedded code)": async () => {
        const b = await startStandaloneBroker({
          database,
          label: "fan-in-broker-alone",
          profiling: o.profiling,
        });
        return { url: b.url, pids: [b.pid], stop: () => b.stop() };
      },
      "Mosquitto alone": async () => {
        const m = await mosquittoFor(o.devices);
        return { url: m.url, pids: [m.pid], stop: () => m.stop() };
      },
      "Mosquitto, a bare client in the platform's place": async () => {
        const m = await mosquittoFor(o.devices);
        const bare = await startBareClient(m.url, {
          label: "fan-in-bare-client",
          statuses: true,
          profiling: o.profiling,
        }).catch(async (err: unknown) => {
          await m.stop();
          throw err;
        });
        return {
          url: m.url,
          pids: [m.pid, bare.pid],
          stop: async () => {
            await bare.stop();
            await m.stop();
          },
          platformGot: () => bare.statuses(),
        };
      },
    };
    const names = Object.keys(setups) as Setup[];
    // Alternating the order, a machine that warms up or slows down over the run favours no set-up.
    const rows: Figures[] = [];
    for (let r = 1; r <= rounds; r++)
      for (const name of r % 2 === 1 ? names : [...names].reverse())
        rows.push(await measure(r, name, setups[name], o));
    report.table("fan-in: QoS 1 statuses to the dispatcher's subscription", rows);
    const typical = (setup: Setup, column: "msg/s" | "probe msg/s" | "p99 ms" | "cpu µs/msg") =>
      medianOf(rows.filter((r) => r.setup === setup).map((r) => r[column]));
    if (rounds > 1)
      report.table(
        `fan-in: median of ${rounds} rounds`,
        names.map((setup) => ({
          setup,
          "msg/s": typical(setup, "msg/s"),
          "probe msg/s": typical(setup, "probe msg/s"),
          "p99 ms": typical(setup, "p99 ms"),
          "cpu µs/msg": typical(setup, "cpu µs/msg"),
        })),
      );
    const rate = (setup: Setup) => typical(setup, "msg/s");
    const fanIn = ratio(rate("platform, embedded broker"), rate("platform, Mosquitto"));
    report.ratio("platform msg/s, embedded / Mosquitto", fanIn);
    report.ratio(
      "broker alone msg/s, embedded code / Mosquitto",
      ratio(rate("broker alone (embedded code)"), rate("Mosquitto alone")),
    );
    report.ratio(
      "p99 latency, platform embedded / Mosquitto",
      ratio(typical("platform, embedded broker", "p99 ms"), typical("platform, Mosquitto", "p99 ms")),
    );
    report.ratio(
      "CPU per message, platform embedded / platform + Mosquitto",
      ratio(typical("platform, embedded broker", "cpu µs/msg"), typical("platform, Mosquitto", "cpu µs/msg")),
    );
    report.ratio(
      "CPU per message, broker alone: embedded code / Mosquitto",
      ratio(typical("broker alone (embedded code)", "cpu µs/msg"), typical("Mosquitto alone", "cpu µs/msg")),
    );
    const bare = "Mosquitto, a bare client in the platform's place" as const;
    const externalPath = ratio(rate("platform, Mosquitto"), rate(bare));
    report.ratio(
      "external path msg/s: platform with Mosquitto / Mosquitto with a bare client in its place",
      externalPath,
    );
    report.ratio(
      "external path probe msg/s: platform with Mosquitto / Mosquitto with a bare client in its place",
      ratio(typical("platform, Mosquitto", "probe msg/s"), typical(bare, "probe msg/s")),
    );
    report.ratio(
      "CPU per message, external path: platform + Mosquitto / bare client + Mosquitto",
      ratio(typical("platform, Mosquitto", "cpu µs/msg"), typical(bare, "cpu µs/msg")),
    );
    report.target("fan-in embedded / Mosquitto", fanIn, ">=", 1);
    report.target(
      "external path / Mosquitto with a bare client in the platform's place",
      externalPath,
      ">=",
      1,
    );
    // The probe's rate says what the broker delivered; this says the platform kept up with it.
    const missed = (r: Figures) =>
      r["platform got"] === null ? r.acked : Math.max(0, r.acked - r["platform got"]);
    report.target(
      "acknowledged statuses the platform did not take in (embedded + Mosquitto)",
      rows
        .filter((r) => r.setup === "platform, embedded broker" || r.setup === "platform, Mosquitto")
        .reduce((n, r) => n + missed(r), 0),
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
    rounds: env.BENCH_FANIN_ROUNDS ?? FULL.rounds,
    ...runOptions(env),
  });
}
