// Starts bare-client-main.ts as its own process: the peer that stands where the platform's
// process stands, so a comparison with the platform differs only in what the platform does.
import { spawn } from "node:child_process";
import { REPO_ROOT } from "./config.ts";
import { profileEnv, stoppable, waitForOutput, type Profiling } from "./platform.ts";

export interface RunningBareClient {
  pid: number;
  stop(): Promise<void>;
  /** After stop: the statuses it took in (null without --statuses, or if it said nothing). */
  statuses(): number | null;
}

export async function startBareClient(
  brokerUrl: string,
  o: { label: string; statuses?: boolean; profiling?: Profiling },
): Promise<RunningBareClient> {
  const args = ["--import", "tsx", "bench/lib/bare-client-main.ts", brokerUrl];
  if (o.statuses) args.push("--statuses");
  const child = spawn(process.execPath, args, {
    cwd: REPO_ROOT,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, ...profileEnv(o.profiling, o.label) },
  });
  const { stop, output } = stoppable(child, `${o.label}: bare client`);
  try {
    await waitForOutput(child, "bare client ready", `${o.label}: bare client`);
  } catch (err) {
    await stop();
    throw err;
  }
  return { pid: child.pid!, stop, statuses: () => loggedCount(output(), "bare client stopped") };
}

/** The `statuses` count of the last JSON log line whose msg is `msg`. */
export function loggedCount(output: string, msg: string): number | null {
  for (const line of output.split("\n").reverse()) {
    if (!line.includes(`"${msg}"`)) continue;
    const statuses = (JSON.parse(line) as { statuses?: unknown }).statuses;
    return typeof statuses === "number" ? statuses : null;
  }
  return null;
}
