// The leader lease of cluster mode (decision 0017): a session-level PostgreSQL advisory lock held
// on a connection of its own. PostgreSQL releases it when that session ends — the leader's process
// died, or its connection did — and a follower polling every `checkMs` takes it over. The taker
// raises the epoch; the leader's writes check it (fence.ts), so a leader that lost its session
// cannot commit after the next one took over. A leader that loses the lease does not step down
// in place: it is told (`lost`) and the process ends, to come back as a follower.
import pg from "pg";
import type { Logger } from "pino";
import type { Clock } from "../clock.ts";
import type { SqlDatabase } from "../db/sql.ts";
import { takeEpoch, tryLock } from "./repository.ts";

export interface LeaseOptions {
  databaseUrl: string;
  db: SqlDatabase;
  instance: string;
  httpUrl: string;
  checkMs: number;
  clock: Clock;
  logger: Logger;
}

export interface LeaseHandlers {
  /** This instance now leads with this epoch: start the leader's work. A throw gives the lease up. */
  acquired(epoch: number): Promise<void>;
  /** The lease is gone while leading (session lost, or a write found a newer epoch). Called once. */
  lost(reason: string): void;
}

export class Lease {
  private session: pg.Client | null = null;
  private held: number | null = null;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> = Promise.resolve();
  private stopped = false;
  private lostOnce = false;
  private handlers: LeaseHandlers | null = null;

  constructor(private readonly o: LeaseOptions) {}

  /** The epoch this instance leads with, or null while it follows. */
  epoch(): number | null {
    return this.held;
  }

  /** Makes the first attempt (and, if it wins, starts leading) before resolving; then keeps trying. */
  async start(handlers: LeaseHandlers): Promise<void> {
    this.handlers = handlers;
    await this.tick();
  }

  /** Called by the write fence: another instance took over. */
  fenced(reason: string): void {
    this.lose(reason);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
    const s = this.session;
    this.session = null;
    this.held = null;
    // Ending the session releases the lock at once; a follower takes over on its next check.
    await s?.end().catch(() => undefined);
  }

  private schedule(): void {
    if (this.stopped || this.lostOnce) return;
    this.timer = setTimeout(() => void this.tick(), this.o.checkMs);
    this.timer.unref();
  }

  private tick(): Promise<void> {
    this.timer = null;
    this.running = this.attempt().then(
      () => this.schedule(),
      (err: unknown) => {
        if (this.held !== null) this.lose(`lease check failed: ${(err as Error).message}`);
        else {
          this.o.logger.warn({ err }, "lease: could not try the lock; trying again");
          this.dropSession();
        }
        this.schedule();
      },
    );
    return this.running;
  }

  private async attempt(): Promise<void> {
    if (this.stopped || this.lostOnce) return;
    const session = this.session ?? (await this.connect());
    if (this.held !== null) {
      await session.query("SELECT 1"); // the session (and with it the lock) is still there
      return;
    }
    if (!(await tryLock(session))) return;
    let epoch: number;
    try {
      epoch = await takeEpoch(this.o.db, this.o.instance, this.o.httpUrl, this.o.clock.now());
    } catch (err) {
      // Holding the lock without an epoch fences nothing: let it go and try again later.
      this.dropSession();
      throw err;
    }
    this.held = epoch;
    this.o.logger.info({ epoch, instance: this.o.instance }, "lease taken: this instance leads");
    try {
      await this.handlers?.acquired(epoch);
    } catch (err) {
      this.lose(`could not start leading: ${(err as Error).message}`);
    }
  }

  private async connect(): Promise<pg.Client> {
    const session = new pg.Client({
      connectionString: this.o.databaseUrl,
      // A dead server or network ends the session within seconds, which is what frees the lock
      // for the others when it is this process's network that failed.
      keepAlive: true,
      keepAliveInitialDelayMillis: 2000,
      connectionTimeoutMillis: 5000,
      query_timeout: 5000,
      application_name: `eldercare-lease-${this.o.instance}`.slice(0, 63),
    });
    const gone = (why: string) => {
      if (this.session !== session) return;
      this.session = null;
      if (this.held !== null) this.lose(why);
    };
    session.on("error", (err) => gone(`lease session failed: ${err.message}`));
    session.on("end", () => gone("lease session ended"));
    await session.connect();
    this.session = session;
    return session;
  }

  private dropSession(): void {
    const s = this.session;
    this.session = null;
    void s?.end().catch(() => undefined);
  }

  private lose(reason: string): void {
    if (this.lostOnce || this.stopped) return;
    this.lostOnce = true;
    this.held = null;
    this.o.logger.error({ reason }, "lease lost: this instance no longer leads");
    this.dropSession();
    this.handlers?.lost(reason);
  }
}
