// When a device tries again after losing its connection: exponential backoff with jitter, so a
// neighbourhood that lost power or a whole city behind one cell tower does not come back in
// lock-step and bury the broker (see docs/protocol.md, "Reconnecting"). A press never waits for
// this schedule: a device with an unacknowledged event tries at once (device.ts).
import { cappedExponential } from "./backoff.ts";

export interface ReconnectPolicy {
  /** Upper bound of the first wait after the connection is lost. */
  initialMs: number;
  /** Upper bound of any wait. */
  maxMs: number;
}

export const DEFAULT_RECONNECT: ReconnectPolicy = { initialMs: 2000, maxMs: 60_000 };

/**
 * Wait before reconnect attempt `attempt` (1 = first after the loss): a uniform draw from the
 * upper half of min(maxMs, initialMs · 2^(attempt-1)). The lower half is skipped so that a
 * broker that is still down is not hammered; the upper half spreads a fleet over the window.
 */
export function reconnectDelay(
  attempt: number,
  policy: ReconnectPolicy,
  random: () => number = Math.random,
): number {
  const ceiling = cappedExponential(attempt, policy);
  return Math.max(1, Math.round(ceiling * (0.5 + 0.5 * random())));
}
