// Retrying background work after a failure: exponential delays with jitter, so a storage fault
// is retried quickly at first and then without hammering a database that is still down, and a
// fleet of timers does not retry in lock-step.

export interface BackoffOptions {
  initialMs?: number;
  maxMs?: number;
  /** ± this share of each delay is random. */
  jitter?: number;
  random?: () => number;
}

const DEFAULTS: Required<BackoffOptions> = {
  initialMs: 200,
  maxMs: 10_000,
  jitter: 0.2,
  random: Math.random,
};

export class Backoff {
  private readonly o: Required<BackoffOptions>;
  private failures = 0;

  constructor(options: BackoffOptions = {}) {
    this.o = { ...DEFAULTS, ...options };
  }

  /** The delay before the next attempt after one more failure. */
  next(): number {
    const base = Math.min(this.o.maxMs, this.o.initialMs * 2 ** this.failures);
    this.failures = Math.min(this.failures + 1, 30);
    const spread = base * this.o.jitter;
    return Math.round(base - spread + 2 * spread * this.o.random());
  }

  reset(): void {
    this.failures = 0;
  }

  /** Failures since the last success. */
  get attempts(): number {
    return this.failures;
  }
}
