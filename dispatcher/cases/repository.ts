// Raw SQL for the case hot path. Every call is synchronous and meant to run inside one
// better-sqlite3 transaction, so a transition never interleaves with anything else.
import type { Database, Statement } from "better-sqlite3";
import { EscalationReasonSchema, type CaseSummary } from "../../protocol/index.ts";
import type { Actor, CaseState, OfferState } from "./state.ts";

const CASE_COLUMNS = [
  "type",
  "kind",
  "priority",
  "status",
  "escalated",
  "escalationReason",
  "service",
  "residentId",
  "deviceId",
  "openingEventId",
  "communityId",
  "responderId",
  "etaSeconds",
  "pressCount",
  "offerRound",
  "createdAt",
  "updatedAt",
  "acceptedAt",
  "arrivedAt",
  "resolvedAt",
  "closedAt",
  "cancelledAt",
  "offerDeadline",
  "escalationDeadline",
  "staffAckAt",
  "resolutionNote",
] as const;

type CaseRow = Omit<CaseState, "offers" | "escalated"> & { escalated: number };

const SUMMARY_SELECT = `
  SELECT c.*, r.name AS residentName, r.address AS address, r.lat AS lat, r.lng AS lng,
         cm.name AS communityName, p.name AS responderName
  FROM "Case" c
  JOIN "Resident" r ON r.id = c.residentId
  JOIN "Community" cm ON cm.id = c.communityId
  LEFT JOIN "Responder" p ON p.id = c.responderId`;

export class CaseRepository {
  private readonly stmt: Record<string, Statement>;

  constructor(readonly db: Database) {
    const cols = CASE_COLUMNS.map((c) => `"${c}"`).join(", ");
    const params = CASE_COLUMNS.map((c) => `@${c}`).join(", ");
    const sets = CASE_COLUMNS.map((c) => `"${c}" = @${c}`).join(", ");
    this.stmt = {
      insertCase: db.prepare(`INSERT INTO "Case" (${cols}) VALUES (${params})`),
      updateCase: db.prepare(`UPDATE "Case" SET ${sets} WHERE id = @id`),
      getCase: db.prepare(`SELECT * FROM "Case" WHERE id = ?`),
      offersOf: db.prepare(`SELECT * FROM "Offer" WHERE caseId = ? ORDER BY id`),
      pendingOffersFor: db.prepare(
        `SELECT * FROM "Offer" WHERE responderId = ? AND status = 'pending' ORDER BY id`,
      ),
      insertOffer: db.prepare(
        `INSERT INTO "Offer" (caseId, responderId, status, etaSeconds, distanceMeters, createdAt, deadline, respondedAt)
         VALUES (@caseId, @responderId, @status, @etaSeconds, @distanceMeters, @createdAt, @deadline, @respondedAt)`,
      ),
      updateOffer: db.prepare(
        `UPDATE "Offer" SET status = @status, respondedAt = @respondedAt WHERE id = @id`,
      ),
      insertEvent: db.prepare(
        `INSERT INTO "CaseEvent" (caseId, type, actorType, actorId, actorName, at, note, data)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      activeForResident: db.prepare(
        `SELECT id FROM "Case" WHERE residentId = ? AND kind = ? AND status IN ('new','offered','accepted','en_route','on_scene')
         ORDER BY id DESC LIMIT 1`,
      ),
      summary: db.prepare(`${SUMMARY_SELECT} WHERE c.id = ?`),
      pendingOfferOf: db.prepare(`SELECT caseId FROM "Offer" WHERE id = ? AND responderId = ?`),
      homeOf: db.prepare(
        `SELECT d.residentId, r.communityId FROM "Device" d JOIN "Resident" r ON r.id = d.residentId WHERE d.id = ?`,
      ),
      openIds: db.prepare(`SELECT id FROM "Case" WHERE status NOT IN ('closed')`),
      insertFollowUp: db.prepare(
        `INSERT INTO "FollowUp" (caseId, staffId, at, outcome, note) VALUES (?, ?, ?, ?, ?)`,
      ),
      insertServiceLog: db.prepare(
        `INSERT INTO "ServiceLog" (caseId, residentId, responderId, at, place, content, durationMinutes)
         SELECT c.id, c.residentId, ?, ?, r.address, ?, ? FROM "Case" c JOIN "Resident" r ON r.id = c.residentId WHERE c.id = ?`,
      ),
    };
  }

  insert(state: CaseState): number {
    const info = this.stmt.insertCase!.run(toRow(state));
    const id = Number(info.lastInsertRowid);
    this.saveOffers(id, state.offers);
    return id;
  }

  load(id: number): CaseState | null {
    const row = this.stmt.getCase!.get(id) as (CaseRow & { id: number }) | undefined;
    if (!row) return null;
    const offers = (this.stmt.offersOf!.all(id) as OfferRow[]).map(toOfferState);
    return { ...row, escalated: row.escalated === 1, offers };
  }

  /** The offers a responder has yet to answer, with their cases. */
  pendingOffersFor(responderId: number): { caseId: number; offer: OfferState }[] {
    return (this.stmt.pendingOffersFor!.all(responderId) as OfferRow[]).map((o) => ({
      caseId: o.caseId,
      offer: toOfferState(o),
    }));
  }

  save(state: CaseState): void {
    this.stmt.updateCase!.run({ ...toRow(state), id: state.id });
    this.saveOffers(state.id, state.offers);
  }

  private saveOffers(caseId: number, offers: OfferState[]): void {
    for (const o of offers) {
      if (o.id === null) {
        o.id = Number(this.stmt.insertOffer!.run({ caseId, ...o }).lastInsertRowid);
      } else {
        this.stmt.updateOffer!.run({ id: o.id, status: o.status, respondedAt: o.respondedAt });
      }
    }
  }

  addEvent(caseId: number, type: string, actor: Actor, at: number, note: string | null, data: unknown): void {
    this.stmt.insertEvent!.run(
      caseId,
      type,
      actor.type,
      actor.id,
      actor.name,
      at,
      note,
      data === null ? null : JSON.stringify(data),
    );
  }

  addFollowUp(
    caseId: number,
    staffId: number | null,
    at: number,
    outcome: string,
    note: string | null,
  ): void {
    this.stmt.insertFollowUp!.run(caseId, staffId, at, outcome, note);
  }

  addServiceLog(
    caseId: number,
    responderId: number | null,
    at: number,
    content: string,
    durationMinutes: number | null,
  ): void {
    this.stmt.insertServiceLog!.run(responderId, at, content, durationMinutes, caseId);
  }

  activeCaseFor(residentId: number, kind: string): number | null {
    const row = this.stmt.activeForResident!.get(residentId, kind) as { id: number } | undefined;
    return row?.id ?? null;
  }

  homeOf(deviceId: string): { residentId: number; communityId: number } | null {
    return (
      (this.stmt.homeOf!.get(deviceId) as { residentId: number; communityId: number } | undefined) ?? null
    );
  }

  caseOfOffer(offerId: number, responderId: number): number | null {
    const row = this.stmt.pendingOfferOf!.get(offerId, responderId) as { caseId: number } | undefined;
    return row?.caseId ?? null;
  }

  openCaseIds(): number[] {
    return (this.stmt.openIds!.all() as { id: number }[]).map((r) => r.id);
  }

  summary(id: number): CaseSummary | null {
    const row = this.stmt.summary!.get(id) as SummaryRow | undefined;
    return row ? toSummary(row) : null;
  }

  summaries(where: string, params: unknown[] = []): CaseSummary[] {
    return (
      this.db
        .prepare(`${SUMMARY_SELECT} WHERE ${where} ORDER BY c.priority, c.createdAt`)
        .all(...params) as SummaryRow[]
    ).map(toSummary);
  }
}

type SummaryRow = CaseRow & {
  id: number;
  residentName: string;
  address: string;
  lat: number;
  lng: number;
  communityName: string;
  responderName: string | null;
};

type OfferRow = OfferState & { caseId: number };

function toOfferState(o: OfferRow): OfferState {
  return {
    id: o.id,
    responderId: o.responderId,
    status: o.status,
    etaSeconds: o.etaSeconds,
    distanceMeters: o.distanceMeters,
    createdAt: o.createdAt,
    deadline: o.deadline,
    respondedAt: o.respondedAt,
  };
}

function toRow(s: CaseState): Record<string, unknown> {
  const row: Record<string, unknown> = {};
  for (const c of CASE_COLUMNS) row[c] = c === "escalated" ? (s.escalated ? 1 : 0) : s[c];
  return row;
}

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

export function toSummary(r: SummaryRow): CaseSummary {
  return {
    id: r.id,
    type: r.type,
    kind: r.kind,
    priority: r.priority,
    status: r.status,
    escalated: r.escalated === 1,
    escalationReason: r.escalationReason === null ? null : EscalationReasonSchema.parse(r.escalationReason),
    service: r.service,
    residentId: r.residentId,
    residentName: r.residentName,
    address: r.address,
    lat: r.lat,
    lng: r.lng,
    communityId: r.communityId,
    communityName: r.communityName,
    deviceId: r.deviceId,
    pressCount: r.pressCount,
    responderId: r.responderId,
    responderName: r.responderName,
    etaSeconds: r.etaSeconds,
    createdAt: iso(r.createdAt)!,
    acceptedAt: iso(r.acceptedAt),
    arrivedAt: iso(r.arrivedAt),
    resolvedAt: iso(r.resolvedAt),
    closedAt: iso(r.closedAt),
    cancelledAt: iso(r.cancelledAt),
    offerDeadline: iso(r.offerDeadline),
    escalationDeadline: iso(r.escalationDeadline),
    staffAckAt: iso(r.staffAckAt),
    updatedAt: iso(r.updatedAt)!,
  };
}
