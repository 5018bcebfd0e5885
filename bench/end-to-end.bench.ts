// The alarm path under city load: 10,000 devices connected, 100 presses/s for 40 s, each from a
// different resident (so each opens a case), then a burst of 1,000 presses within one second.
// Press → ack at the device, press → `case:created` at a console logged in as `dispatcher`.
// Peers in the same run: the platform with its embedded broker, the platform with Mosquitto as
// BROKER_URL, and the floor — a minimal acker (a bare MQTT client that acks every press with no
// database) behind the embedded broker's code run alone.
// Run: npm run bench -- end-to-end   (BENCH_E2E_DEVICES, BENCH_E2E_RATE, BENCH_E2E_SECONDS, BENCH_E2E_BURST)
import { deviceIds } from "../device-sim/fleet.ts";
import { startBareClient, type RunningBareClient } from "./lib/bare-client.ts";
import { inTempDir } from "./lib/cleanup.ts";
import { loadBenchEnv, runOptions, type RunOptions } from "./lib/config.ts";
import { ConsoleProbe } from "./lib/console.ts";
import { ForkedFleet } from "./lib/fleet.ts";
import { now, type PlannedPress, type PressOutcome } from "./lib/fleet-protocol.ts";
import { isMain } from "./lib/main.ts";
import { startPeer } from "./lib/peers.ts";
import { DEVICE_SECRET, preparedDatabase, startStandaloneBroker, type Profiling } from "./lib/platform.ts";
import { cpuSeconds } from "./lib/proc.ts";
import { BenchReport, type Row } from "./lib/report.ts";
import { distribution, ratio, round } from "./lib/stats.ts";

export interface EndToEndOptions extends RunOptions {
  devices: number;
  /** Presses per second in the steady phase. */
  rate: number;
  seconds: number;
  burst: number;
  /** How long to wait for the last acks after the last press. */
  ackTimeoutMs: number;
}

export const FULL: EndToEndOptions = {
  devices: 10_000,
  rate: 100,
  // 4,000 steady presses per set-up (5,000 with the burst, so each p99 rests on its 50 slowest):
  // enough for the tail, and short enough that this, fan-in and connections run together in
  // under ten minutes on two cores.
  seconds: 40,
  burst: 1000,
  ackTimeoutMs: 30_000,
};

type Setup = "platform, embedded broker" | "platform, Mosquitto" | "minimal acker (floor)";

interface Target {
  mqttUrl: string;
  httpUrl: string | null;
  /** The process (or processes) whose CPU the press path uses. */
  pids: number[];
  stop(): Promise<void>;
}

interface Figures extends Row {
  setup: Setup;
  presses: number;
  acked: number;
  lost: number;
  "ack p50 ms": number | null;
  "ack p95 ms": number | null;
  "ack p99 ms": number | null;
  "console p50 ms": number | null;
  "console p95 ms": number | null;
  "console p99 ms": number | null;
  "burst all acked s": number | null;
  "burst lost": number;
  "burst max copies": number;
  "cpu s": number | null;
}

/** The steady phase from devices 1…rate·seconds, then the burst from the next `burst` devices. */
export function pressPlan(o: EndToEndOptions, t0: number): { steady: PlannedPress[]; burst: PlannedPress[] } {
  const ids = deviceIds(o.rate * o.seconds + o.burst);
  const steadyCount = o.rate * o.seconds;
  const steady = ids.slice(0, steadyCount).map((deviceId, i) => ({ deviceId, at: t0 + (i * 1000) / o.rate }));
  const burstStart = t0 + o.seconds * 1000;
  const burst = ids
    .slice(steadyCount)
    .map((deviceId, i) => ({ deviceId, at: burstStart + (i * 1000) / o.burst }));
  return { steady, burst };
}

async function measure(setup: Setup, target: Target, o: EndToEndOptions): Promise<Figures> {
  const fleet = ForkedFleet.start({ ids: deviceIds(o.devices) });
  let console_: ConsoleProbe | null = null;
  try {
    await fleet.connect({
      brokerUrl: target.mqttUrl,
      secret: DEVICE_SECRET,
      concurrency: 500,
    });
    if (target.httpUrl) console_ = await ConsoleProbe.connect(target.httpUrl);
    const cpu = () => target.pids.reduce((s, pid) => s + (cpuSeconds(pid) ?? 0), 0);
    const t0 = now() + 1000;
    const plan = pressPlan(o, t0);
    const cpu0 = cpu();
    const outcomes = await fleet.press([...plan.steady, ...plan.burst], o.ackTimeoutMs);
    const cpu1 = cpu();
    const burstIds = new Set(plan.burst.map((p) => p.deviceId));
    const steady = outcomes.filter((r) => !burstIds.has(r.deviceId));
    const burst = outcomes.filter((r) => burstIds.has(r.deviceId));
    const acked = (rs: PressOutcome[]) => rs.filter((r) => r.ackMs !== null);
    const ack = distribution(acked(steady).map((r) => r.ackMs!));
    const toConsole = console_
      ? distribution(
          steady.flatMap((r) => {
            const at = console_!.createdAt.get(r.deviceId);
            return at === undefined ? [] : [at - r.pressedAt];
          }),
        )
      : null;
    const burstStart = plan.burst[0]?.at ?? t0;
    const burstDone =
      acked(burst).length === burst.length && burst.length > 0
        ? Math.max(...burst.map((r) => r.pressedAt + r.ackMs!))
        : null;
    return {
      setup,
      presses: outcomes.length,
      acked: acked(outcomes).length,
      lost: outcomes.length - acked(outcomes).length,
      "ack p50 ms": ack.p50,
      "ack p95 ms": ack.p95,
      "ack p99 ms": ack.p99,
      "console p50 ms": toConsole?.p50 ?? null,
      "console p95 ms": toConsole?.p95 ?? null,
      "console p99 ms": toConsole?.p99 ?? null,
      "burst all acked s": burstDone === null ? null : round((burstDone - burstStart) / 1000, 2),
      "burst lost": burst.length - acked(burst).length,
      "burst max copies": burst.reduce((m, r) => Math.max(m, r.attempts), 0),
      "cpu s": round(cpu1 - cpu0, 1),
    };
  } finally {
    console_?.close();
    await fleet.close();
    await target.stop();
  }
}

async function startAcker(database: string, profiling?: Profiling): Promise<Target> {
  const broker = await startStandaloneBroker({
    database,
    label: "end-to-end-acker-broker",
    profiling,
  });
  let acker: RunningBareClient;
  try {
    acker = await startBareClient(broker.url, { label: "end-to-end-acker", profiling });
  } catch (err) {
    await broker.stop();
    throw err;
  }
  return {
    mqttUrl: broker.url,
    httpUrl: null,
    pids: [broker.pid, acker.pid],
    async stop() {
      await acker.stop();
      await broker.stop();
    },
  };
}

export async function runEndToEnd(o: EndToEndOptions): Promise<BenchReport> {
  const report = new BenchReport(
    "end-to-end",
    {
      devices: o.devices,
      pressesPerSecond: o.rate,
      steadySeconds: o.seconds,
      burst: `${o.burst} presses within 1 s, right after the steady phase`,
      presses: "each from a different resident, so each opens a case",
      console: "Socket.IO client logged in as dispatcher, first case:created per device",
      deviceResend: "device-sim default: 1 s, 2 s, 4 s, then every 8 s, ±20 %",
    },
    o,
  );
  const needed = o.rate * o.seconds + o.burst;
  if (needed > o.devices) throw new RangeError(`${needed} presses need as many devices; only ${o.devices}`);
  return inTempDir("eldercare-bench-e2e-", async (dir) => {
    const database = await preparedDatabase(o.devices);
    const platform = async (kind: "embedded" | "mosquitto"): Promise<Target> => {
      const p = await startPeer(kind, {
        dir,
        database,
        devices: o.devices,
        label: "end-to-end",
        profiling: o.profiling,
      });
      return {
        mqttUrl: p.mqttUrl,
        httpUrl: p.platform.httpUrl,
        pids: [...new Set([p.platform.pid, p.brokerPid])],
        stop: () => p.stop(),
      };
    };
    const rows: Figures[] = [];
    rows.push(await measure("platform, embedded broker", await platform("embedded"), o));
    rows.push(await measure("platform, Mosquitto", await platform("mosquitto"), o));
    rows.push(await measure("minimal acker (floor)", await startAcker(database, o.profiling), o));
    report.table("end to end: press → ack and press → console", rows);
    const [embedded, external, floor] = rows as [Figures, Figures, Figures];
    report.ratio("ack p99, embedded / floor", ratio(embedded["ack p99 ms"], floor["ack p99 ms"]));
    report.ratio("ack p99, embedded / Mosquitto", ratio(embedded["ack p99 ms"], external["ack p99 ms"]));
    report.ratio(
      "console p99, embedded / Mosquitto",
      ratio(embedded["console p99 ms"], external["console p99 ms"]),
    );
    report.target("embedded: press → console p99, ms", embedded["console p99 ms"], "<", 50);
    report.target("embedded: press → ack p99, ms", embedded["ack p99 ms"], "<", 50);
    report.target("embedded: burst fully acked, s", embedded["burst all acked s"], "<", 2);
    report.noneLost(rows);
    report.write();
    return report;
  });
}

if (isMain(import.meta.url)) {
  const env = loadBenchEnv();
  await runEndToEnd({
    ...FULL,
    devices: env.BENCH_E2E_DEVICES ?? FULL.devices,
    rate: env.BENCH_E2E_RATE ?? FULL.rate,
    seconds: env.BENCH_E2E_SECONDS ?? FULL.seconds,
    burst: env.BENCH_E2E_BURST ?? FULL.burst,
    ...runOptions(env),
  });
}
