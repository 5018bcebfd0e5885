// Resend schedule of an unacknowledged device event: exponential backoff with jitter, on a clock
// that tests may replace with a fake one they move by hand.

export interface ResendPolicy {
  /** Delay after the first attempt. */
  initialMs: number;
  /** Upper bound of the (un-jittered) delay. */
  maxMs: number;
}

export const DEFAULT_RESEND: ResendPolicy = { initialMs: 1000, maxMs: 8000 };

/** The timer functions resends are scheduled with. */
export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const realTimers: Timers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/** Relative jitter applied to every delay (±20 %), so a fleet does not resend in lockstep. */
export const RESEND_JITTER = 0.2;

/** initialMs · 2^(n-1), capped at maxMs (n >= 1): the un-jittered step of both backoffs. */
export function cappedExponential(n: number, policy: { initialMs: number; maxMs: number }): number {
  const exponent = Math.max(0, Math.min(n - 1, 30));
  return Math.min(policy.initialMs * 2 ** exponent, policy.maxMs);
}

/**
 * Delay before the next copy after `attempts` copies were sent (attempts >= 1):
 * initialMs · 2^(attempts-1), capped at maxMs, then scaled by a factor in [0.8, 1.2).
 */
export function resendDelay(
  attempts: number,
  policy: ResendPolicy,
  random: () => number = Math.random,
): number {
  const base = cappedExponential(attempts, policy);
  const factor = 1 - RESEND_JITTER + 2 * RESEND_JITTER * random();
  return Math.max(1, Math.round(base * factor));
}
