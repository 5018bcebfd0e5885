// A fleet worker: one OS process holding a share of a benchmark's simulated devices (each
// process may open at most ~19,000 files; a share stays well under that), driven over IPC by
// fleet.ts. Devices are the real simulator (device-sim), speaking MQTT to the real broker.
import pino from "pino";
import { DeviceFleet } from "../../device-sim/fleet.ts";
import type { SimDevice } from "../../device-sim/device.ts";
import {
  now,
  type ConnectRequest,
  type Envelope,
  type PlannedPress,
  type PressOutcome,
  type Reply,
  type Request,
} from "./fleet-protocol.ts";

const logger = pino({ level: "error" }, pino.destination(2));
let fleet: DeviceFleet | null = null;
/** The devices the last drop cut. */
let dropped: SimDevice[] | null = null;

function devices(): SimDevice[] {
  if (!fleet) throw new Error("connect first");
  return fleet.devices;
}

/** Resolves with the time each device next emits `event`: when all have, after `timeoutMs`
 * (null: no limit), or as soon as `stop` settles; null for those that have not. */
function nextOf(
  list: SimDevice[],
  event: "ready" | "offline",
  timeoutMs: number | null,
  stop?: Promise<unknown>,
): Promise<(number | null)[]> {
  return new Promise((resolve) => {
    const at: (number | null)[] = list.map(() => null);
    let left = list.length;
    let finished = false;
    const timer = timeoutMs === null ? undefined : setTimeout(finish, timeoutMs);
    const listeners = list.map((d, i) => {
      const listener = () => {
        at[i] = now();
        if (--left === 0) finish();
      };
      d.once(event, listener);
      return listener;
    });
    if (left === 0) finish();
    void stop?.finally(finish);
    function finish() {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      list.forEach((d, i) => d.off(event, listeners[i]!));
      resolve(at);
    }
  });
}

async function connect(req: ConnectRequest): Promise<Reply> {
  fleet = new DeviceFleet({
    brokerUrl: req.brokerUrl,
    deviceIds: req.ids,
    secret: req.secret,
    heartbeatSeconds: req.heartbeatSeconds,
    connectConcurrency: Number.isFinite(req.concurrency) ? req.concurrency : req.ids.length,
    // Generous: on a busy machine a device deferred by the broker backs off up to a minute.
    connectTimeoutMs: 300_000,
    logger,
  });
  const failed: string[] = [];
  // Every device is ready or has failed once connect() settles (a device is ready before its
  // connect resolves), however long that takes on a busy machine.
  const connecting = fleet.connect().catch((err: unknown) => {
    for (const e of err instanceof AggregateError ? err.errors : [err])
      failed.push(String((e as Error).message));
  });
  const ready = nextOf(fleet.devices, "ready", null, connecting);
  await connecting;
  const readyAt = (await ready).filter((t): t is number => t !== null);
  return { op: "connect", readyAt, failed };
}

async function press(plan: PlannedPress[], timeoutMs: number): Promise<Reply> {
  const byId = new Map(devices().map((d) => [d.deviceId, d]));
  const outcomes: PressOutcome[] = [];
  const presses = plan.map(
    (p) =>
      new Promise<void>((resolve) => {
        const device = byId.get(p.deviceId);
        if (!device) throw new Error(`${p.deviceId} is not in this worker`);
        setTimeout(
          () => {
            const pressedAt = now();
            const eventId = `${p.deviceId}-bench-${Math.round(pressedAt)}`;
            const outcome: PressOutcome = {
              deviceId: p.deviceId,
              eventId,
              pressedAt,
              ackMs: null,
              attempts: 0,
            };
            outcomes.push(outcome);
            device.press("sos", { eventId }).then(
              (r) => {
                outcome.ackMs = r.latencyMs;
                outcome.attempts = r.attempts;
                resolve();
              },
              () => resolve(),
            );
          },
          Math.max(0, p.at - now()),
        );
      }),
  );
  const lastAt = plan.reduce((m, p) => Math.max(m, p.at), now());
  await Promise.race([Promise.all(presses), new Promise((r) => setTimeout(r, lastAt - now() + timeoutMs))]);
  return { op: "press", outcomes };
}

async function flood(until: number, countFrom: number): Promise<Reply> {
  let sent = 0;
  let acked = 0;
  let ackedInWindow = 0;
  await Promise.all(
    devices().map(async (d) => {
      while (now() < until && d.connected) {
        sent++;
        if (!(await d.sendStatus())) continue;
        acked++;
        const at = now();
        if (at >= countFrom && at < until) ackedInWindow++;
      }
    }),
  );
  return { op: "flood", sent, acked, ackedInWindow };
}

async function handle(req: Request): Promise<Reply> {
  switch (req.op) {
    case "connect":
      return connect(req);
    case "drop": {
      dropped = devices().filter((d) => d.connected);
      const offline = nextOf(dropped, "offline", 60_000);
      fleet!.drop();
      return { op: "drop", offlineAt: (await offline).filter((t): t is number => t !== null) };
    }
    case "reconnect": {
      // A device whose own backoff already brought it back counts as back when the storm starts.
      // Those the last drop cut (a device that gave up connecting is not coming back).
      const start = now();
      const cut = dropped ?? devices();
      const away = cut.filter((d) => !d.connected);
      const attempted = devices().reduce((n, d) => n + d.connectAttempts, 0);
      const ready = nextOf(away, "ready", req.timeoutMs);
      if (req.now) fleet!.reconnectNow();
      const at = await ready;
      const back = cut.length - away.length;
      return {
        op: "reconnect",
        readyAt: [...Array<number>(back).fill(start), ...at.filter((t): t is number => t !== null)],
        notReady: at.filter((t) => t === null).length,
        attempts: devices().reduce((n, d) => n + d.connectAttempts, 0) - attempted,
      };
    }
    case "flood":
      return flood(req.until, req.countFrom);
    case "press":
      return press(req.plan, req.timeoutMs);
    case "count":
      return {
        op: "count",
        online: fleet?.online() ?? 0,
        offline: fleet?.devices.filter((d) => !d.connected).map((d) => d.deviceId) ?? [],
      };
    case "close":
      await fleet?.close({ force: true });
      fleet = null;
      return { op: "close" };
  }
}

process.on("message", (msg: Envelope<Request>) => {
  handle(msg.body).then(
    (body) => process.send!({ id: msg.id, body } satisfies Envelope<Reply>),
    (err: unknown) =>
      process.send!({ id: msg.id, body: { op: "close" }, error: String((err as Error)?.stack ?? err) }),
  );
});
process.on("disconnect", () => process.exit(0));
