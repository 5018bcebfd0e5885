// Brute-force protection of the login: failed attempts are counted per account and per client
// address; past the limit further attempts are refused (429, Retry-After) for a while, whatever
// the password, and each lockout of an account lasts twice as long as the one before (up to a
// ceiling). Unknown usernames are counted like known ones, so a lockout reveals nothing.
// Counters live in this process (rate-limiter-flexible's memory store); with several dispatcher
// instances each counts its own attempts (docs/security.md).
import { RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible";

export interface LoginGuardOptions {
  /** Failed attempts per account within `windowSeconds` before it is locked. */
  accountFailures?: number;
  /** Failed attempts per client address within `windowSeconds` before it is locked. */
  addressFailures?: number;
  windowSeconds?: number;
  /** The first lockout; each further one of the same account doubles it, up to `maxLockSeconds`. */
  lockSeconds?: number;
  maxLockSeconds?: number;
}

const DEFAULTS: Required<LoginGuardOptions> = {
  accountFailures: 10,
  addressFailures: 50,
  windowSeconds: 60,
  lockSeconds: 60,
  maxLockSeconds: 15 * 60,
};

export type GuardVerdict = { allowed: true } | { allowed: false; retryAfterSeconds: number };

export class LoginGuard {
  private readonly o: Required<LoginGuardOptions>;
  private readonly byAccount: RateLimiterMemory;
  private readonly byAddress: RateLimiterMemory;
  /** Lockouts per account within a day, for the doubling. */
  private readonly lockouts: RateLimiterMemory;

  constructor(options: LoginGuardOptions = {}) {
    this.o = { ...DEFAULTS, ...options };
    this.byAccount = new RateLimiterMemory({
      points: this.o.accountFailures,
      duration: this.o.windowSeconds,
    });
    this.byAddress = new RateLimiterMemory({
      points: this.o.addressFailures,
      duration: this.o.windowSeconds,
      blockDuration: this.o.lockSeconds,
    });
    this.lockouts = new RateLimiterMemory({ points: 1_000_000, duration: 24 * 3600 });
  }

  /** May this attempt go ahead at all? (Before the password is looked at.) */
  async check(account: string, address: string): Promise<GuardVerdict> {
    const [a, b] = await Promise.all([this.byAccount.get(key(account)), this.byAddress.get(address)]);
    const blocked = [a, b].filter((r) => r !== null && r.remainingPoints <= 0) as RateLimiterRes[];
    if (blocked.length === 0) return { allowed: true };
    return { allowed: false, retryAfterSeconds: retryAfter(blocked) };
  }

  /** Counts a failed attempt; `locked` when this one locked the account or the address. */
  async failed(account: string, address: string): Promise<{ locked: boolean }> {
    const [a, b] = await Promise.all([this.byAccount.penalty(key(account)), this.byAddress.penalty(address)]);
    let locked = b.remainingPoints === 0 && b.consumedPoints === this.o.addressFailures;
    if (a.remainingPoints === 0 && a.consumedPoints === this.o.accountFailures) {
      const n = (await this.lockouts.penalty(key(account))).consumedPoints;
      const seconds = Math.min(this.o.maxLockSeconds, this.o.lockSeconds * 2 ** (n - 1));
      await this.byAccount.block(key(account), seconds);
      locked = true;
    }
    return { locked };
  }

  /** A successful login clears the account's failures (not the address's: others may share it). */
  async succeeded(account: string): Promise<void> {
    await this.byAccount.delete(key(account));
  }
}

/** Usernames are matched exactly by the database; counting them case-folded is only stricter. */
const key = (account: string) => account.trim().toLowerCase();

function retryAfter(blocked: RateLimiterRes[]): number {
  return Math.max(1, Math.ceil(Math.max(...blocked.map((r) => r.msBeforeNext)) / 1000));
}
