// Responders as matching sees them: kept in memory (positions change every few seconds),
// written through to the DB in batches so a fleet of phones doesn't become a write storm.
import type { Database, Statement } from "better-sqlite3";
import type { ResponderSummary, ResponderRole, Skill, TransportMode } from "../../protocol/index.ts";
import type { ResponderState } from "../matching/index.ts";

type Activity = ResponderSummary["activity"];
type Entry = ResponderState & { phone: string };

interface ResponderRow {
  id: number;
  name: string;
  phone: string;
  role: ResponderRole;
  skills: string;
  transport: TransportMode;
  communityId: number;
  onDuty: number;
  lat: number | null;
  lng: number | null;
  locationAt: number | null;
}

export class ResponderRegistry {
  private readonly responders = new Map<number, Entry>();
  private readonly dirtyLocations = new Set<number>();
  private readonly stmt: Record<string, Statement>;

  constructor(private readonly db: Database) {
    this.stmt = {
      all: db.prepare(
        `SELECT id, name, phone, role, skills, transport, communityId, onDuty, lat, lng, locationAt FROM "Responder"`,
      ),
      one: db.prepare(
        `SELECT id, name, phone, role, skills, transport, communityId, onDuty, lat, lng, locationAt FROM "Responder" WHERE id = ?`,
      ),
      duty: db.prepare(`UPDATE "Responder" SET onDuty = ? WHERE id = ?`),
      location: db.prepare(`UPDATE "Responder" SET lat = ?, lng = ?, locationAt = ? WHERE id = ?`),
      offered: db.prepare(`SELECT responderId, caseId FROM "Offer" WHERE status = 'pending'`),
      offeredTo: db.prepare(
        `SELECT caseId FROM "Offer" WHERE responderId = ? AND status = 'pending' LIMIT 1`,
      ),
      assignedTo: db.prepare(
        `SELECT id AS caseId, status FROM "Case" WHERE responderId = ? AND status IN ('accepted','en_route','on_scene') LIMIT 1`,
      ),
      assigned: db.prepare(
        `SELECT responderId, id AS caseId, status FROM "Case" WHERE responderId IS NOT NULL AND status IN ('accepted','en_route','on_scene')`,
      ),
    };
    for (const row of this.stmt.all!.all() as ResponderRow[]) this.responders.set(row.id, fromRow(row));
  }

  get(id: number): Entry | undefined {
    return this.responders.get(id) ?? this.reload(id);
  }

  /** Picks up responders created after start (e.g. by an admin). */
  private reload(id: number): Entry | undefined {
    const row = this.stmt.one!.get(id) as ResponderRow | undefined;
    if (!row) return undefined;
    const state = fromRow(row);
    this.responders.set(id, state);
    return state;
  }

  setDuty(id: number, onDuty: boolean): ResponderState | undefined {
    const r = this.get(id);
    if (!r) return undefined;
    r.onDuty = onDuty;
    this.stmt.duty!.run(onDuty ? 1 : 0, id);
    return r;
  }

  setLocation(id: number, lat: number, lng: number, at: number): ResponderState | undefined {
    const r = this.get(id);
    if (!r) return undefined;
    r.lat = lat;
    r.lng = lng;
    r.locationAt = at;
    this.dirtyLocations.add(id);
    return r;
  }

  /** Writes buffered positions in one transaction. */
  flushLocations(): number {
    if (this.dirtyLocations.size === 0) return 0;
    const ids = [...this.dirtyLocations];
    this.dirtyLocations.clear();
    this.db.transaction(() => {
      for (const id of ids) {
        const r = this.responders.get(id);
        if (r) this.stmt.location!.run(r.lat, r.lng, r.locationAt, id);
      }
    })();
    return ids.length;
  }

  /** Who is holding an offer or working a case, straight from the DB so it can never drift. */
  activities(): Map<number, { activity: Activity; caseId: number }> {
    const map = new Map<number, { activity: Activity; caseId: number }>();
    for (const o of this.stmt.offered!.all() as { responderId: number; caseId: number }[]) {
      map.set(o.responderId, { activity: "offered", caseId: o.caseId });
    }
    for (const c of this.stmt.assigned!.all() as {
      responderId: number;
      caseId: number;
      status: Activity;
    }[]) {
      map.set(c.responderId, { activity: c.status, caseId: c.caseId });
    }
    return map;
  }

  /** Snapshot for matching, with `busy` filled in. */
  snapshot(): ResponderState[] {
    const busy = this.activities();
    return [...this.responders.values()].map((r) => ({ ...r, busy: busy.has(r.id) }));
  }

  summary(
    id: number,
    activities?: Map<number, { activity: Activity; caseId: number }>,
  ): ResponderSummary | null {
    const r = this.get(id);
    return r ? toSummary(r, activities ?? this.activityOf(id)) : null;
  }

  /** One responder's activity, with two indexed lookups instead of scanning every case. */
  private activityOf(id: number): Map<number, { activity: Activity; caseId: number }> {
    const map = new Map<number, { activity: Activity; caseId: number }>();
    const assigned = this.stmt.assignedTo!.get(id) as { caseId: number; status: Activity } | undefined;
    const offered = this.stmt.offeredTo!.get(id) as { caseId: number } | undefined;
    if (assigned) map.set(id, { activity: assigned.status, caseId: assigned.caseId });
    else if (offered) map.set(id, { activity: "offered", caseId: offered.caseId });
    return map;
  }

  summaries(): ResponderSummary[] {
    const activities = this.activities();
    return [...this.responders.values()].map((r) => toSummary(r, activities));
  }
}

function fromRow(row: ResponderRow): Entry {
  return {
    id: row.id,
    name: row.name,
    phone: row.phone,
    role: row.role,
    skills: JSON.parse(row.skills) as Skill[],
    transport: row.transport,
    communityId: row.communityId,
    onDuty: row.onDuty === 1,
    busy: false,
    lat: row.lat,
    lng: row.lng,
    locationAt: row.locationAt,
  };
}

function toSummary(
  r: Entry,
  activities: Map<number, { activity: Activity; caseId: number }>,
): ResponderSummary {
  const a = activities.get(r.id);
  return {
    id: r.id,
    name: r.name,
    phone: r.phone,
    role: r.role,
    skills: [...r.skills],
    transport: r.transport,
    communityId: r.communityId,
    onDuty: r.onDuty,
    activity: a?.activity ?? (r.onDuty ? "idle" : "off_duty"),
    caseId: a?.caseId ?? null,
    lat: r.lat,
    lng: r.lng,
    locationAt: r.locationAt === null ? null : new Date(r.locationAt).toISOString(),
  };
}
