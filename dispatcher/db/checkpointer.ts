// SQLite's checkpoints — copying the log back into the database file, with an fsync of each — on a
// thread of their own, with a connection of their own. Left to SQLite, a commit that finds the log
// long runs the checkpoint itself, on the event loop: at 100 presses/s that is one or two a second,
// each waiting for the disk twice while the embedded broker and every socket wait too.
// The writer turns its automatic checkpoints off and tells this thread after each commit; at most
// once per interval it runs PASSIVE checkpoints (they never wait for the writer or a reader) until
// it has caught up with the log, so that the writer's next transaction starts the log over. Under a
// long flood of commits it may not catch up: once the log is longer than `maxLogFrames`, the writer
// checkpoints at its commits again (as SQLite does by default) until the log is short, and should
// the thread die, for good — the log never grows without bound.
// (docs/decisions/0019-the-log-flushed-off-the-event-loop.md)
import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";

/** The thread's code, as CommonJS text: it needs no TypeScript loader wherever the platform runs. */
const THREAD = `
const { parentPort, workerData } = require("node:worker_threads");
const Database = require(workerData.driver);
const db = new Database(workerData.path, { fileMustExist: true });
db.pragma("busy_timeout = 5000");
// NORMAL: the log is flushed before each checkpoint and the database file after it, before the
// log may be reused.
db.pragma("synchronous = NORMAL");
parentPort.on("message", (message) => {
  if (message === "close") {
    db.close();
    parentPort.close();
    return;
  }
  try {
    // Commits go on meanwhile; each round copies what came since the last, until none did.
    let result;
    for (let round = 0; round < 8; round++) {
      [result] = db.pragma("wal_checkpoint(PASSIVE)");
      if (result.checkpointed >= result.log) break;
    }
    parentPort.postMessage({ ok: true, logFrames: result.log });
  } catch (err) {
    parentPort.postMessage({ ok: false, error: String((err && err.message) || err) });
  }
});
`;

const DRIVER = createRequire(import.meta.url).resolve("better-sqlite3");

export interface CheckpointerOptions {
  /** At most one checkpoint per this many ms. */
  intervalMs?: number;
  /** A log longer than this many pages (4 KB each) has the writer checkpoint as well. */
  maxLogFrames?: number;
  /** A checkpoint failed or the thread died (it is not restarted). */
  onError?: (err: Error) => void;
  /** Whether the writer should checkpoint at its commits too: the log is too long, or the thread is gone. */
  writerCheckpoints?: (on: boolean) => void;
}

export class Checkpointer {
  private readonly worker: Worker;
  private readonly intervalMs: number;
  private timer: NodeJS.Timeout | null = null;
  private running = false;
  /** A commit came after the running checkpoint began. */
  private dirty = false;
  private gone = false;
  private writerOn = false;
  private closing: Promise<void> | null = null;
  /** Checkpoints run. */
  checkpoints = 0;

  constructor(
    path: string,
    private readonly options: CheckpointerOptions = {},
  ) {
    this.intervalMs = options.intervalMs ?? 1000;
    // No execArgv: the thread's code is plain JavaScript and needs none of the process's loaders.
    this.worker = new Worker(THREAD, { eval: true, execArgv: [], workerData: { path, driver: DRIVER } });
    this.worker.unref();
    const maxLogFrames = options.maxLogFrames ?? 10_000;
    this.worker.on("message", (m: { ok: boolean; logFrames?: number; error?: string }) => {
      this.running = false;
      this.checkpoints++;
      if (!m.ok) this.options.onError?.(new Error(`checkpoint failed: ${m.error}`));
      else this.writerCheckpoints(m.logFrames! > maxLogFrames);
      if (this.dirty) this.committed();
    });
    this.worker.on("error", (err: unknown) =>
      this.options.onError?.(err instanceof Error ? err : new Error(String(err))),
    );
    this.worker.on("exit", () => {
      if (this.gone) return;
      this.gone = true;
      if (this.timer) clearTimeout(this.timer);
      if (this.closing === null) this.writerCheckpoints(true);
    });
  }

  private writerCheckpoints(on: boolean): void {
    if (on === this.writerOn) return;
    this.writerOn = on;
    this.options.writerCheckpoints?.(on);
  }

  /** After a commit: the log will be checkpointed within the interval. */
  committed(): void {
    if (this.gone || this.closing) return;
    if (this.running) {
      this.dirty = true;
      return;
    }
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      if (this.gone || this.closing) return;
      this.running = true;
      this.dirty = false;
      this.worker.postMessage("checkpoint");
    }, this.intervalMs);
    this.timer.unref();
  }

  /** Closes the thread's connection; a checkpoint under way finishes first. */
  close(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.closing ??= this.gone
      ? Promise.resolve()
      : new Promise<void>((resolve) => {
          this.worker.once("exit", () => resolve());
          this.worker.postMessage("close");
        });
    return this.closing;
  }
}
