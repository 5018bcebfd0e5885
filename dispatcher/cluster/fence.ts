// The fencing half of the lease (decision 0017): while this instance leads, every write
// transaction first checks that the lease's epoch is still its own, share-locking the row, so a
// takeover waits for the write in flight and every later write of the old leader fails
// instead of committing beside the new one.
import type { SqlDatabase, Tx } from "../db/sql.ts";
import { currentEpoch } from "./repository.ts";

export class LeaseLostError extends Error {
  constructor(
    readonly mine: number,
    readonly current: number | null,
  ) {
    super(`this instance's lease (epoch ${mine}) was taken over (epoch now ${current ?? "none"})`);
    this.name = "LeaseLostError";
  }
}

export interface FenceSource {
  /** The epoch this instance leads with; null while following (its writes are not fenced). */
  epoch(): number | null;
  fenced(reason: string): void;
}

export function fenceWrites(db: SqlDatabase, lease: FenceSource): SqlDatabase {
  /** `fn`, run only after the lease's epoch is seen to be still this instance's. */
  const fenced = <T>(fn: (tx: Tx) => Promise<T>) => {
    const mine = lease.epoch();
    if (mine === null) return fn;
    return async (tx: Tx) => {
      const current = await currentEpoch(tx);
      if (current !== mine) {
        const err = new LeaseLostError(mine, current);
        lease.fenced(err.message);
        throw err;
      }
      return fn(tx);
    };
  };
  return {
    dialect: db.dialect,
    stats: db.stats,
    get: (sql, params) => db.get(sql, params),
    all: (sql, params) => db.all(sql, params),
    write: (fn) => db.write(fenced(fn)),
    commit: (fn) => db.commit(fenced(fn)),
    close: () => db.close(),
  };
}
