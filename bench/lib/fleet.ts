// Simulated devices spread over several worker processes (fleet-worker.ts), so that a
// benchmark can hold more connections than one process may open files, and so that the
// clients do not share an event loop with the measuring process.
import { fork, type ChildProcess } from "node:child_process";
import { untilDone } from "./cleanup.ts";
import type { Envelope, PlannedPress, PressOutcome, Reply, Request } from "./fleet-protocol.ts";

/** What a fleet's connect and reconnect storm measure (connections, cluster-fleet). */
export interface ConnectStormFigures {
  held: number;
  connectSeconds: number;
  connectsPerSecond: number;
  stormSeconds: number;
  stormNotBack: number;
  /** Connection attempts per device during the storm: 1 = nobody had to try twice (a device
   * refused while the broker is busy with handshakes comes back after its backoff). */
  stormAttemptsPerDevice: number;
}

/** Devices per worker: far below the 20,000 open files a process may hold here. */
export const DEVICES_PER_WORKER = 6500;

const WORKER = new URL("./fleet-worker.ts", import.meta.url).pathname;

class Worker {
  private nextId = 1;
  private readonly waiting = new Map<number, { resolve(r: Reply): void; reject(e: Error): void }>();

  constructor(
    readonly ids: string[],
    private readonly child: ChildProcess,
  ) {
    child.on("message", (msg: Envelope<Reply>) => {
      const w = this.waiting.get(msg.id);
      if (!w) return;
      this.waiting.delete(msg.id);
      if (msg.error) w.reject(new Error(`fleet worker: ${msg.error}`));
      else w.resolve(msg.body);
    });
    child.on("exit", (code) => {
      for (const w of this.waiting.values()) w.reject(new Error(`fleet worker exited with ${code}`));
      this.waiting.clear();
    });
    // A send on a channel that closed under it is reported here; ask() already failed for it.
    child.on("error", () => undefined);
  }

  get pid(): number {
    return this.child.pid!;
  }

  ask<T extends Reply["op"]>(body: Request & { op: T }): Promise<Extract<Reply, { op: T }>> {
    const id = this.nextId++;
    if (!this.child.connected) return Promise.reject(new Error("fleet worker is gone"));
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve: resolve as (r: Reply) => void, reject });
      this.child.send({ id, body } satisfies Envelope<Request>);
    });
  }

  async exit(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise<void>((r) => this.child.once("exit", () => r()));
    if (this.child.connected) this.child.disconnect();
    else this.child.kill("SIGKILL");
    await exited;
  }
}

export interface ForkedFleetOptions {
  ids: string[];
  perWorker?: number;
  /** The number of workers is a multiple of this: one share of workers per broker (connect). */
  groups?: number;
}

export class ForkedFleet {
  private readonly done: () => void;

  private constructor(private readonly workers: Worker[]) {
    this.done = untilDone(() => this.close());
  }

  static start(opts: ForkedFleetOptions): ForkedFleet {
    const per = opts.perWorker ?? DEVICES_PER_WORKER;
    const groups = Math.max(1, opts.groups ?? 1);
    const shares = Math.max(1, Math.ceil(opts.ids.length / per / groups)) * groups;
    const size = Math.ceil(opts.ids.length / shares);
    const workers = Array.from({ length: shares }, (_, i) => {
      const child = fork(WORKER, [], {
        execArgv: ["--import", "tsx"],
        stdio: ["ignore", "inherit", "inherit", "ipc"],
      });
      return new Worker(opts.ids.slice(i * size, (i + 1) * size), child);
    });
    return new ForkedFleet(workers);
  }

  get size(): number {
    return this.workers.reduce((n, w) => n + w.ids.length, 0);
  }

  get pids(): number[] {
    return this.workers.map((w) => w.pid);
  }

  /** The device ids of each worker, in worker order. */
  get shares(): string[][] {
    return this.workers.map((w) => w.ids);
  }

  /** Connects every device; resolves with the time each became ready (subscribed, status sent),
   * rejects if any could not connect — unless `tolerateFailures`: then `failed` counts those that
   * gave up (a device gives up after its connect timeout, and stays down). With several broker
   * URLs worker i connects to the (i mod n)-th, so with `groups` = n each broker gets the same
   * share of the fleet. */
  async connect(o: {
    brokerUrl: string | string[];
    secret: string;
    concurrency?: number;
    heartbeatSeconds?: number;
    tolerateFailures?: boolean;
  }): Promise<{ readyAt: number[]; failed: number }> {
    const urls = typeof o.brokerUrl === "string" ? [o.brokerUrl] : o.brokerUrl;
    const replies = await Promise.all(
      this.workers.map((w, i) =>
        w.ask({
          op: "connect",
          brokerUrl: urls[i % urls.length]!,
          ids: w.ids,
          secret: o.secret,
          concurrency: o.concurrency ?? Infinity,
          heartbeatSeconds: o.heartbeatSeconds ?? 0,
        }),
      ),
    );
    const failed = replies.flatMap((r) => r.failed);
    if (failed.length > 0 && !o.tolerateFailures)
      throw new Error(`${failed.length} devices failed to connect: ${failed[0]}`);
    return { readyAt: replies.flatMap((r) => r.readyAt), failed: failed.length };
  }

  async drop(): Promise<number[]> {
    const replies = await Promise.all(this.workers.map((w) => w.ask({ op: "drop" })));
    return replies.flatMap((r) => r.offlineAt);
  }

  /** Waits until every device that is away is back: `now`, all at once skipping their backoff
   * (the worst storm, the default); otherwise each on its own jittered backoff schedule. */
  async reconnect(
    timeoutMs: number,
    o: { now?: boolean } = {},
  ): Promise<{ readyAt: number[]; notReady: number; attempts: number }> {
    const now = o.now ?? true;
    const replies = await Promise.all(this.workers.map((w) => w.ask({ op: "reconnect", timeoutMs, now })));
    return {
      readyAt: replies.flatMap((r) => r.readyAt),
      notReady: replies.reduce((n, r) => n + r.notReady, 0),
      attempts: replies.reduce((n, r) => n + r.attempts, 0),
    };
  }

  /** Statuses at full speed until `until`; `ackedInWindow` counts the acks from `countFrom` on. */
  async flood(
    until: number,
    countFrom: number,
  ): Promise<{ sent: number; acked: number; ackedInWindow: number }> {
    const replies = await Promise.all(this.workers.map((w) => w.ask({ op: "flood", until, countFrom })));
    return {
      sent: replies.reduce((n, r) => n + r.sent, 0),
      acked: replies.reduce((n, r) => n + r.acked, 0),
      ackedInWindow: replies.reduce((n, r) => n + r.ackedInWindow, 0),
    };
  }

  /** Presses as planned, each by the worker that holds the device; waits up to `timeoutMs` after
   * the last press for the acks. */
  async press(plan: PlannedPress[], timeoutMs: number): Promise<PressOutcome[]> {
    const owner = new Map(this.workers.flatMap((w) => w.ids.map((id) => [id, w] as const)));
    const shares = new Map<Worker, PlannedPress[]>(this.workers.map((w) => [w, []]));
    for (const p of plan) {
      const w = owner.get(p.deviceId);
      if (!w) throw new Error(`no worker holds ${p.deviceId}`);
      shares.get(w)!.push(p);
    }
    const replies = await Promise.all(
      [...shares]
        .filter(([, share]) => share.length > 0)
        .map(([w, share]) => w.ask({ op: "press", plan: share, timeoutMs })),
    );
    return replies.flatMap((r) => r.outcomes);
  }

  async online(): Promise<number> {
    const replies = await Promise.all(this.workers.map((w) => w.ask({ op: "count" })));
    return replies.reduce((n, r) => n + r.online, 0);
  }

  /** The ids of the devices not connected right now. */
  async offline(): Promise<Set<string>> {
    const replies = await Promise.all(this.workers.map((w) => w.ask({ op: "count" })));
    return new Set(replies.flatMap((r) => r.offline));
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.ask({ op: "close" }).catch(() => undefined)));
    await Promise.all(this.workers.map((w) => w.exit()));
    this.done();
  }
}
