// What a benchmark started must not outlive it: brokers, platforms, fleets and temp folders are
// registered here while they exist, and an interrupted run (Ctrl-C, SIGTERM) stops them before
// the process exits. A run that ends normally stops them itself, in its `finally` blocks.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

type Task = () => unknown;

const tasks = new Set<Task>();
let installed = false;

async function interrupted(signal: NodeJS.Signals): Promise<void> {
  const pending = [...tasks].reverse();
  tasks.clear();
  for (const task of pending)
    await Promise.resolve()
      .then(task)
      .catch(() => undefined);
  process.exit(signal === "SIGINT" ? 130 : 143);
}

/** Runs `task` if the process is interrupted; call the returned function once it is done anyway. */
export function untilDone(task: Task): () => void {
  if (!installed) {
    installed = true;
    process.once("SIGINT", (s) => void interrupted(s));
    process.once("SIGTERM", (s) => void interrupted(s));
  }
  tasks.add(task);
  return () => void tasks.delete(task);
}

/** Runs `fn` with a fresh temp folder, removed afterwards, also when the run is interrupted. */
export async function inTempDir<T>(prefix: string, fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const remove = () => rmSync(dir, { recursive: true, force: true });
  const done = untilDone(remove);
  try {
    return await fn(dir);
  } finally {
    remove();
    done();
  }
}
