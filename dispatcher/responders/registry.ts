// Responders as matching sees them: kept in memory (positions change every few seconds) and
// written through to the database in batches, so a fleet of phones is not a write storm.
import {
  SkillSchema,
  type AssignedCaseStatus,
  type PhoneState,
  type ResponderSummary,
} from "../../protocol/index.ts";
import { isoTime, type SqlDatabase, type Tx } from "../db/sql.ts";
import type { ResponderState } from "../matching/index.ts";
import * as repo from "./repository.ts";

export type ResponderEntry = ResponderState & { phone: string };

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

export class ResponderRegistry {
  private readonly entries = new Map<number, ResponderEntry>();
  private readonly unsavedLocations = new Set<number>();

  constructor(
    private readonly db: SqlDatabase,
    private readonly reach: PhoneReach = ALWAYS_LIVE,
  ) {}

  async load(): Promise<void> {
    for (const row of await repo.allResponders(this.db)) this.entries.set(row.id, fromRow(row));
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
    const entry = fromRow(row);
    this.entries.set(id, entry);
    return entry;
  }

  all(): ResponderEntry[] {
    return [...this.entries.values()];
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
    return r;
  }

  /** In memory at once; written by the next flushLocations(). */
  async setLocation(id: number, lat: number, lng: number, at: number): Promise<ResponderEntry | undefined> {
    const r = await this.find(id);
    if (!r) return undefined;
    r.lat = lat;
    r.lng = lng;
    r.locationAt = at;
    this.unsavedLocations.add(id);
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

  /**
   * Copies for matching, with `busy` and `reachable` filled in: a phone that nothing would reach
   * now (no live app, no recent push-capable sign of life) is not offered anything.
   */
  snapshot(busy: ReadonlySet<number> = new Set()): ResponderState[] {
    return this.all().map((r) => ({
      ...r,
      busy: busy.has(r.id),
      reachable: this.reach.stateOf(r.id) !== "unreachable",
    }));
  }

  /** The responder as staff and the phone see it. */
  summary(r: ResponderEntry, work: ResponderWork | undefined): ResponderSummary {
    return toResponderSummary(r, work, {
      phoneState: this.reach.stateOf(r.id),
      lastSeenAt: this.reach.lastSeenAt(r.id),
    });
  }
}

function toResponderSummary(
  r: ResponderEntry,
  work: ResponderWork | undefined,
  phone: { phoneState: PhoneState; lastSeenAt: number | null },
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
    phoneState: phone.phoneState,
    lastSeenAt: isoTime(phone.lastSeenAt),
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
    busy: false,
    lat: row.lat,
    lng: row.lng,
    locationAt: row.locationAt,
  };
}
