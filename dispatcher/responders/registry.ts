// Responders as matching sees them: kept in memory (positions change every few seconds) and
// written through to the database in batches, so a fleet of phones is not a write storm. The
// pool (matching's spatial index) is updated in place with every change of duty, position or
// work; listeners hear the changes that could help a waiting case (decision 0009).
import {
  SkillSchema,
  type AssignedCaseStatus,
  type PhoneState,
  type ResponderSummary,
} from "../../protocol/index.ts";
import { isoTime, type SqlDatabase, type Tx } from "../db/sql.ts";
import { ResponderPool, type ResponderState } from "../matching/index.ts";
import { takeWork, type Work } from "../cases/dispatch-model.ts";
import * as repo from "./repository.ts";

export type ResponderEntry = ResponderState & {
  phone: string;
  /** The duty roster says this responder is not on shift now (set by the rosters feature). */
  offShift: boolean;
};

/** What a responder is doing for a case: holding its offer, or working it. */
export interface ResponderWork {
  activity: "offered" | AssignedCaseStatus;
  caseId: number;
}

/** How the phones can be reached now (presence-tracker.ts); the registry only passes it on. */
export interface PhoneReach {
  stateOf(responderId: number): PhoneState;
  lastSeenAt(responderId: number): number | null;
}

/** Without presence tracking every phone counts as reachable. */
const ALWAYS_LIVE: PhoneReach = { stateOf: () => "live", lastSeenAt: () => null };

/**
 * Whether a responder may be offered cases at all: on duty, and on shift when a roster says when
 * (rosters/shifts.ts `isOffShift`); matching follows, since it reads only this. Presence changes
 * by the second, so it is the view's live `reachable` flag instead (see index()).
 */
export function dispatchable(r: ResponderEntry): boolean {
  return r.onDuty && !r.offShift;
}

/** A change that may let a responder take a waiting case (`reachable`: their phone is back). */
export type ResponderChange = "duty" | "location" | "freed" | "reachable";

export class ResponderRegistry {
  private readonly entries = new Map<number, ResponderEntry>();
  private readonly unsavedLocations = new Set<number>();
  private readonly listeners: ((r: ResponderEntry, change: ResponderChange) => void)[] = [];
  /** Matching's view: who could be asked, where, updated in place. */
  readonly pool = new ResponderPool();
  private readonly work = new Map<number, Work>();
  /** The copies the pool holds, with `onDuty` meaning dispatchable. */
  private readonly views = new Map<number, ResponderState>();
  private shiftRule: ((r: ResponderEntry) => boolean) | null = null;

  constructor(
    private readonly db: SqlDatabase,
    private readonly reach: PhoneReach = ALWAYS_LIVE,
  ) {}

  async load(): Promise<void> {
    for (const row of await repo.allResponders(this.db)) this.remember(fromRow(row));
  }

  /** Hears duty, position and freed-up changes (the case engine retries waiting cases nearby). */
  onChange(listener: (r: ResponderEntry, change: ResponderChange) => void): void {
    this.listeners.push(listener);
  }

  /** What the responder is doing for a case, as the case engine knows it. */
  workOf(id: number): ResponderWork | undefined {
    return this.work.get(id);
  }

  /** Set by the case engine after every committed step that changes it. */
  setWork(id: number, work: Work | undefined): void {
    if (work) this.work.set(id, work);
    else this.work.delete(id);
    const r = this.entries.get(id);
    if (!r) return;
    const freed = takeWork(r, work);
    this.index(r);
    if (freed) this.changed(r, "freed");
  }

  private remember(entry: ResponderEntry): ResponderEntry {
    const known = this.entries.get(entry.id);
    const wasOff = known?.offShift ?? false;
    if (known) Object.assign(known, { ...entry, busy: known.busy, holding: known.holding, offShift: wasOff });
    else this.entries.set(entry.id, entry);
    const r = this.entries.get(entry.id)!;
    // Work the engine reported before the roster knew this responder (added since the start).
    if (!known) takeWork(r, this.work.get(r.id));
    // A responder added or changed (a volunteer made a caregiver) is on or off shift from now,
    // not from the roster's next sweep.
    r.offShift = this.shiftRule ? this.shiftRule(r) : wasOff;
    this.index(r);
    if (wasOff && !r.offShift && r.onDuty) this.changed(r, "duty");
    return r;
  }

  /**
   * The roster's rule for whether a responder is off shift now (rosters/service.ts), applied to
   * every responder the registry learns of or reads again; the roster's sweep and edits still
   * call setOffShift for the ones it already holds.
   */
  useShiftRule(rule: (r: ResponderEntry) => boolean): void {
    this.shiftRule = rule;
  }

  /**
   * The pool indexes the matching view: `onDuty` there means dispatchable, and `reachable` is read
   * from presence whenever matching looks, so a phone falling silent is skipped from that moment.
   */
  private index(r: ResponderEntry): void {
    let view = this.views.get(r.id);
    if (!view) {
      view = { ...r };
      Object.defineProperty(view, "reachable", {
        enumerable: true,
        get: () => this.reach.stateOf(r.id) !== "unreachable",
      });
      this.views.set(r.id, view);
    }
    Object.assign(view, r, { onDuty: dispatchable(r) });
    this.pool.put(view);
  }

  /** Presence saw the phone's state change: a phone reachable again may take a waiting case. */
  reachChanged(id: number): void {
    const r = this.entries.get(id);
    if (r && this.reach.stateOf(id) !== "unreachable") this.changed(r, "reachable");
  }

  private changed(r: ResponderEntry, change: ResponderChange): void {
    for (const l of this.listeners) l(r, change);
  }

  /** From memory. */
  get(id: number): ResponderEntry | undefined {
    return this.entries.get(id);
  }

  /** From memory, or from the database for a responder added since the start. */
  async find(id: number): Promise<ResponderEntry | undefined> {
    const known = this.entries.get(id);
    if (known) return known;
    const row = await repo.findResponder(this.db, id);
    if (!row) return undefined;
    return this.remember(fromRow(row));
  }

  all(): ResponderEntry[] {
    return [...this.entries.values()];
  }

  /**
   * After the responder register changed a responder: reads it again (keeping its live duty and
   * position, which the phone owns), or drops it when it was retired.
   */
  async refresh(id: number): Promise<ResponderEntry | undefined> {
    const row = await repo.findResponder(this.db, id);
    const known = this.entries.get(id);
    if (!row) {
      // Retired: matching must not ask them from this moment.
      this.entries.delete(id);
      this.views.delete(id);
      this.pool.delete(id);
      this.unsavedLocations.delete(id);
      return undefined;
    }
    const entry = fromRow(row);
    // remember() keeps the work the engine reported and the roster's word, and re-indexes the pool
    // (skills may have changed).
    return this.remember(
      known
        ? { ...entry, onDuty: known.onDuty, lat: known.lat, lng: known.lng, locationAt: known.locationAt }
        : entry,
    );
  }

  /** `alsoInTx` writes in the same transaction (e.g. the audit entry of an automatic change). */
  async setDuty(
    id: number,
    onDuty: boolean,
    alsoInTx?: (tx: Tx) => Promise<void>,
  ): Promise<ResponderEntry | undefined> {
    const r = await this.find(id);
    if (!r) return undefined;
    await this.db.write(async (tx) => {
      await repo.setDuty(tx, id, onDuty);
      await alsoInTx?.(tx);
    });
    r.onDuty = onDuty;
    this.index(r);
    if (onDuty) this.changed(r, "duty");
    return r;
  }

  /**
   * The roster's word on whether the responder is on shift now (memory only: the rosters feature
   * computes it from the stored roster at every start and sweep). Coming on shift may help a
   * waiting case, like coming on duty.
   */
  setOffShift(id: number, offShift: boolean): void {
    const r = this.entries.get(id);
    if (!r || r.offShift === offShift) return;
    r.offShift = offShift;
    this.index(r);
    if (!offShift && r.onDuty) this.changed(r, "duty");
  }

  /** In memory at once; written by the next flushLocations(). */
  async setLocation(id: number, lat: number, lng: number, at: number): Promise<ResponderEntry | undefined> {
    const r = await this.find(id);
    if (!r) return undefined;
    r.lat = lat;
    r.lng = lng;
    r.locationAt = at;
    this.unsavedLocations.add(id);
    this.index(r);
    this.changed(r, "location");
    return r;
  }

  /** Writes the buffered positions in one transaction; on failure they stay buffered. */
  async flushLocations(): Promise<number> {
    if (this.unsavedLocations.size === 0) return 0;
    const ids = [...this.unsavedLocations];
    this.unsavedLocations.clear();
    try {
      await this.db.write(async (tx) => {
        for (const id of ids) {
          const r = this.entries.get(id);
          if (r) await repo.setLocation(tx, id, r);
        }
      });
    } catch (err) {
      for (const id of ids) this.unsavedLocations.add(id);
      throw err;
    }
    return ids.length;
  }

  /** How an offer would reach the responder's phone now, and when it was last heard. */
  phoneOf(id: number): { phoneState: PhoneState; lastSeenAt: string | null } {
    return { phoneState: this.reach.stateOf(id), lastSeenAt: isoTime(this.reach.lastSeenAt(id)) };
  }

  /** The responder as staff and the phone see it. */
  summary(r: ResponderEntry, work: ResponderWork | undefined): ResponderSummary {
    return toResponderSummary(r, work, this.phoneOf(r.id));
  }
}

function toResponderSummary(
  r: ResponderEntry,
  work: ResponderWork | undefined,
  phone: { phoneState: PhoneState; lastSeenAt: string | null },
): ResponderSummary {
  return {
    id: r.id,
    name: r.name,
    phone: r.phone,
    role: r.role,
    skills: [...r.skills],
    transport: r.transport,
    communityId: r.communityId,
    onDuty: r.onDuty,
    activity: work?.activity ?? (r.onDuty ? "idle" : "off_duty"),
    caseId: work?.caseId ?? null,
    lat: r.lat,
    lng: r.lng,
    locationAt: isoTime(r.locationAt),
    ...phone,
  };
}

function fromRow(row: repo.ResponderRow): ResponderEntry {
  return {
    id: row.id,
    name: row.name,
    phone: row.phone,
    role: row.role,
    skills: SkillSchema.array().parse(JSON.parse(row.skills)),
    transport: row.transport,
    communityId: row.communityId,
    onDuty: row.onDuty === 1,
    offShift: false,
    busy: false,
    holding: null,
    lat: row.lat,
    lng: row.lng,
    locationAt: row.locationAt,
  };
}
