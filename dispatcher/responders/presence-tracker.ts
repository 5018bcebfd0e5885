// Each responder phone's presence in memory: live sockets, last sign of life, what the sweep found.
// Signs of life are frequent (every heartbeat, request and socket), so they are written in batches;
// what the sweep decides is written at once. Only the leader tracks (from load() on): in a
// cluster it hears of the sockets on other instances as events and counts them all on taking
// the lease (census()), since a follower kept nothing.
import type { PhoneState, PresenceNotice } from "../../protocol/index.ts";
import type { Clock } from "../clock.ts";
import type { SqlDatabase, Tx } from "../db/sql.ts";
import { noticeOnReturn, phoneStateOf, type PhonePresence, type PresenceWindow } from "./presence.ts";
import * as repo from "./repository.ts";

interface Entry extends PhonePresence {
  silentSince: number | null;
  offDutyAt: number | null;
  /** For the phone, once, when it comes back. */
  notice: PresenceNotice | null;
  /** The state staff were last told. */
  announced: PhoneState | null;
  /** `changes` when a socket of this phone last came or went (a census taken before is older). */
  socketChange: number;
}

/** A count of the live sockets started at `changes`; see census(). */
export interface SocketCensus {
  readonly since: number;
}

export class PresenceTracker {
  private readonly entries = new Map<number, Entry>();
  private readonly unsaved = new Set<number>();
  /** Socket comings and goings so far. */
  private changes = 0;
  /** When tracking started: a phone never seen since counts its silence from here. */
  startedAt: number;
  /** From load() on (this instance leads); a follower's sockets are counted by the leader. */
  tracking = false;

  constructor(
    private readonly db: SqlDatabase,
    private readonly clock: Clock,
    readonly window: PresenceWindow,
    /** How many push subscriptions a responder has (the push feature knows). */
    private readonly pushDevices: (responderId: number) => number,
  ) {
    this.startedAt = clock.now();
  }

  async load(): Promise<void> {
    for (const row of await repo.allPresence(this.db)) {
      const { lastSeenAt, silentSince, offDutyAt } = row;
      this.entries.set(row.responderId, { ...this.blank(), lastSeenAt, silentSince, offDutyAt });
    }
    this.startedAt = this.clock.now();
    this.tracking = true;
  }

  private blank(): Entry {
    return {
      sockets: 0,
      lastSeenAt: null,
      pushDevices: 0,
      silentSince: null,
      offDutyAt: null,
      notice: null,
      announced: null,
      socketChange: 0,
    };
  }

  private entry(id: number): Entry {
    let e = this.entries.get(id);
    if (!e) {
      e = this.blank();
      this.entries.set(id, e);
    }
    return e;
  }

  private view(id: number): PhonePresence & Entry {
    const e = this.entry(id);
    e.pushDevices = this.pushDevices(id);
    return e;
  }

  /** A sign of life: a heartbeat, a request, a socket coming or going. */
  seen(id: number): void {
    const now = this.clock.now();
    const e = this.entry(id);
    e.lastSeenAt = now;
    if (e.silentSince !== null) {
      e.notice = noticeOnReturn(e.silentSince, e.offDutyAt, now);
      e.silentSince = null;
      e.offDutyAt = null;
    }
    this.unsaved.add(id);
  }

  socketUp(id: number): void {
    const e = this.entry(id);
    e.sockets += 1;
    e.socketChange = ++this.changes;
    this.seen(id);
  }

  socketDown(id: number): void {
    const e = this.entry(id);
    e.sockets = Math.max(0, e.sockets - 1);
    e.socketChange = ++this.changes;
    this.seen(id);
  }

  /** Call before asking the instances for their sockets; hand the result to census(). */
  startCensus(): SocketCensus {
    return { since: this.changes };
  }

  /**
   * Replaces the socket counts with what the instances reported (a phone on a dead instance is
   * gone), except for phones whose sockets came or went while the census was under way: their
   * events are newer. Returns the phones whose count changed, with their state before.
   */
  census(started: SocketCensus, counts: ReadonlyMap<number, number>): { id: number; before: PhoneState }[] {
    const changed: { id: number; before: PhoneState }[] = [];
    for (const id of new Set([...this.entries.keys(), ...counts.keys()])) {
      const e = this.entry(id);
      const sockets = counts.get(id) ?? 0;
      if (e.socketChange > started.since || e.sockets === sockets) continue;
      changed.push({ id, before: this.stateOf(id) });
      e.sockets = sockets;
      this.seen(id);
    }
    return changed;
  }

  /** The notice for a phone that came back, handed out once. */
  takeNotice(id: number): PresenceNotice | null {
    const e = this.entries.get(id);
    const notice = e?.notice ?? null;
    if (e) e.notice = null;
    return notice;
  }

  stateOf(id: number, now = this.clock.now()): PhoneState {
    return phoneStateOf(this.view(id), now, this.window);
  }

  /** Whether an offer would reach the phone now (matching skips the rest). */
  isReachable(id: number, now = this.clock.now()): boolean {
    return this.stateOf(id, now) !== "unreachable";
  }

  lastSeenAt(id: number): number | null {
    const e = this.entries.get(id);
    if (!e) return null;
    return e.sockets > 0 ? this.clock.now() : e.lastSeenAt;
  }

  /** Remembers what staff were told; true when `state` is news. */
  announce(id: number, state: PhoneState): boolean {
    const e = this.entry(id);
    if (e.announced === state) return false;
    e.announced = state;
    return true;
  }

  presence(id: number): PhonePresence & { silentSince: number | null; offDutyAt: number | null } {
    return this.view(id);
  }

  /** The sweep found the phone silent: remember since when (in `tx`, if given), to tell it later. */
  async markSilent(id: number, offDuty: boolean, tx?: Tx): Promise<void> {
    const now = this.clock.now();
    const e = this.entry(id);
    e.silentSince ??= e.lastSeenAt ?? this.startedAt;
    if (offDuty) e.offDutyAt = now;
    const row = this.rowOf(id, e);
    if (tx) await repo.savePresence(tx, row);
    else await this.db.write((t) => repo.savePresence(t, row));
    this.unsaved.delete(id);
  }

  private rowOf(id: number, e: Entry): repo.PresenceRow {
    return { responderId: id, lastSeenAt: e.lastSeenAt, silentSince: e.silentSince, offDutyAt: e.offDutyAt };
  }

  /** Writes the buffered signs of life in one transaction; on failure they stay buffered. */
  async flush(): Promise<number> {
    if (this.unsaved.size === 0) return 0;
    const ids = [...this.unsaved];
    this.unsaved.clear();
    try {
      await this.db.write(async (tx) => {
        for (const id of ids) await repo.savePresence(tx, this.rowOf(id, this.entry(id)));
      });
    } catch (err) {
      for (const id of ids) this.unsaved.add(id);
      throw err;
    }
    return ids.length;
  }

  /** At shutdown every live phone was seen just now, so a quick restart finds it still present. */
  markLiveSeen(): void {
    for (const [id, e] of this.entries) if (e.sockets > 0) this.seen(id);
  }
}
