// Caches device credential lookups so a connect storm (every device reconnecting after a
// broker restart or a cell-tower outage) costs one database read per device, not one per
// attempt. Unknown ids are cached too, so a device with a wrong id retrying in a loop does
// not reach the database either; concurrent lookups of the same id share one query.
// A failed lookup (database down) is not cached: the next attempt asks again. forget() drops an
// entry when the platform changes a device (new secret, retired), so the change counts at once.
import type { DeviceCredentialLookup } from "./types.ts";

type Credential = { secretHash: string } | null;

export interface CredentialCacheOptions {
  lookup: DeviceCredentialLookup;
  ttlMs: number;
  /** Bound on cached ids, so a flood of random usernames cannot grow memory without limit. */
  maxEntries?: number;
  now?: () => number;
}

export class CredentialCache {
  private readonly entries = new Map<string, { value: Credential; expiresAt: number }>();
  private readonly pending = new Map<string, Promise<Credential>>();
  private readonly maxEntries: number;
  private readonly now: () => number;

  constructor(private readonly opts: CredentialCacheOptions) {
    this.maxEntries = opts.maxEntries ?? 100_000;
    this.now = opts.now ?? Date.now;
  }

  get(deviceId: string): Promise<Credential> {
    const hit = this.entries.get(deviceId);
    if (hit && hit.expiresAt > this.now()) return Promise.resolve(hit.value);
    if (hit) this.entries.delete(deviceId);

    const inFlight = this.pending.get(deviceId);
    if (inFlight) return inFlight;

    const query: Promise<Credential> = Promise.resolve()
      .then(() => this.opts.lookup(deviceId))
      .then((value) => {
        // Unless forget() came in between: then this answer may predate the change.
        if (this.pending.get(deviceId) === query) {
          this.store(deviceId, value ? { secretHash: value.secretHash } : null);
        }
        return value;
      })
      .finally(() => {
        if (this.pending.get(deviceId) === query) this.pending.delete(deviceId);
      });
    this.pending.set(deviceId, query);
    return query;
  }

  /** The next get() asks the database, also if a lookup is under way right now. */
  forget(deviceId: string): void {
    this.entries.delete(deviceId);
    this.pending.delete(deviceId);
  }

  get size(): number {
    return this.entries.size;
  }

  private store(deviceId: string, value: Credential): void {
    if (this.opts.ttlMs <= 0) return;
    // Map keeps insertion order, so the first key is the oldest entry.
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(deviceId, { value, expiresAt: this.now() + this.opts.ttlMs });
  }
}
