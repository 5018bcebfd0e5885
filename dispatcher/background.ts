// Periodic background work (flushing buffered heartbeats and positions, the supervision sweep)
// under the platform's contract for storage faults: a failing run is caught, counted and logged
// (TaskReporter), and the next run waits a growing backoff instead of the usual period, so a
// database that is down is neither hammered nor given up on. See docs/architecture.md,
// "When storage fails".
import { Backoff, type BackoffOptions } from "./backoff.ts";
import type { TaskReporter } from "./platform-health.ts";

export interface Repeating {
  /** Stops scheduling; resolves once a run in progress has ended. */
  stop(): Promise<void>;
}

export function startRepeating(
  task: string,
  everyMs: number,
  run: () => Promise<unknown>,
  reporter: TaskReporter,
  backoff: BackoffOptions = {},
): Repeating {
  const retry = new Backoff({ initialMs: everyMs, maxMs: Math.max(everyMs, 10_000), ...backoff });
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> = Promise.resolve();
  let stopped = false;

  const schedule = (ms: number) => {
    if (stopped) return;
    timer = setTimeout(tick, ms);
    timer.unref();
  };
  const tick = () => {
    timer = null;
    running = run().then(
      () => {
        retry.reset();
        reporter.taskSucceeded(task);
        schedule(everyMs);
      },
      (err: unknown) => {
        reporter.taskFailed(task, err);
        schedule(Math.max(everyMs, retry.next()));
      },
    );
  };
  schedule(everyMs);

  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = null;
      await running;
    },
  };
}
