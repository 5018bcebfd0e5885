// Responders as matching sees them: kept in memory (positions change every few seconds) and
// written through to the database in batches, so a fleet of phones is not a write storm.
import { SkillSchema, type AssignedCaseStatus, type ResponderSummary } from "../../protocol/index.ts";
import { isoTime, type SqlDatabase } from "../db/sql.ts";
import type { ResponderState } from "../matching/index.ts";
import * as repo from "./repository.ts";

export type ResponderEntry = ResponderState & { phone: string };

/** What a responder is doing for a case: holding its offer, or working it. */
export interface ResponderWork {
  activity: "offered" | AssignedCaseStatus;
  caseId: number;
}

export class ResponderRegistry {
  private readonly entries = new Map<number, ResponderEntry>();
  private readonly unsavedLocations = new Set<number>();

  constructor(private readonly db: SqlDatabase) {}

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

  /**
   * After the responder register changed a responder: reads it again (keeping its live duty and
   * position, which the phone owns), or drops it when it was retired.
   */
  async refresh(id: number): Promise<ResponderEntry | undefined> {
    const row = await repo.findResponder(this.db, id);
    const known = this.entries.get(id);
    if (!row) {
      this.entries.delete(id);
      this.unsavedLocations.delete(id);
      return undefined;
    }
    const entry = fromRow(row);
    if (known)
      Object.assign(known, {
        ...entry,
        onDuty: known.onDuty,
        lat: known.lat,
        lng: known.lng,
        locationAt: known.locationAt,
      });
    else this.entries.set(id, entry);
    return this.entries.get(id);
  }

  async setDuty(id: number, onDuty: boolean): Promise<ResponderEntry | undefined> {
    const r = await this.find(id);
    if (!r) return undefined;
    await this.db.write((tx) => repo.setDuty(tx, id, onDuty));
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

  /** Copies for matching, with `busy` filled in. */
  snapshot(busy: ReadonlySet<number> = new Set()): ResponderState[] {
    return this.all().map((r) => ({ ...r, busy: busy.has(r.id) }));
  }
}

export function toResponderSummary(r: ResponderEntry, work: ResponderWork | undefined): ResponderSummary {
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
