// Starts bare-client-main.ts as its own process: the peer that stands where the platform's
// process stands, so a comparison with the platform differs only in what the platform does.
import { startScript } from "../../tests/helpers/service-process.ts";
import { loggedCount, profileEnv, stoppable, type Profiling } from "./platform.ts";

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
  const child = await startScript(
    "bench/lib/bare-client-main.ts",
    profileEnv(o.profiling, o.label),
    "bare client ready",
    30_000,
    [brokerUrl, ...(o.statuses ? ["--statuses"] : [])],
  );
  const { stop, output } = stoppable(child, `${o.label}: bare client`);
  return { pid: child.pid!, stop, statuses: () => loggedCount(output(), "bare client stopped") };
}
