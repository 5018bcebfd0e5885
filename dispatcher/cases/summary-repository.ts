// SQL of case summaries: the queue on the console, a case as pushed to consoles and phones, and
// the case history staff search.
import {
  EscalationReasonSchema,
  type CaseEventType,
  type CaseStatus,
  type CaseSummary,
  type CaseType,
  type EscalationReason,
} from "../../protocol/index.ts";
import {
  isoTime,
  LIKE_ESCAPE,
  likePattern,
  parseJson,
  placeholders,
  scopeCondition,
  type Queryable,
  type SqlValue,
} from "../db/sql.ts";
import { NEXT_DUE_SQL } from "./follow-up-repository.ts";
import type { CaseRow } from "./repository.ts";

const CLOSED: CaseStatus = "closed";
const ESCALATED: CaseEventType = "escalated";

const FROM = `
  FROM "Case" c
  JOIN "Resident" r ON r.id = c."residentId"
  JOIN "Community" cm ON cm.id = c."communityId"
  LEFT JOIN "Responder" p ON p.id = c."responderId"`;

// A case's own location (a mobile press away from home) wins over the resident's address.
const SUMMARY_SELECT = `
  SELECT c.*, r.name AS "residentName", r.address AS address,
         COALESCE(c.lat, r.lat) AS lat, COALESCE(c.lng, r.lng) AS lng,
         cm.name AS "communityName", p.name AS "responderName", ${NEXT_DUE_SQL} AS "followUpDueAt"
  ${FROM}`;

type SummaryRow = Omit<CaseRow, "lat" | "lng"> & {
  residentName: string;
  address: string;
  lat: number;
  lng: number;
  communityName: string;
  responderName: string | null;
  followUpDueAt: number | null;
};

export async function findSummary(q: Queryable, id: number): Promise<CaseSummary | null> {
  const row = await q.get<SummaryRow>(`${SUMMARY_SELECT} WHERE c.id = ?`, [id]);
  if (!row) return null;
  return toSummary(row, (await escalationsOf(q, [id])).get(id) ?? []);
}

/** Several cases at once (one query per turn, however many steps it took), by id. */
export async function findSummaries(q: Queryable, ids: readonly number[]): Promise<Map<number, CaseSummary>> {
  if (ids.length === 0) return new Map();
  const rows = await q.all<SummaryRow>(`${SUMMARY_SELECT} WHERE c.id IN (${placeholders(ids.length)})`, ids);
  const summaries = await withEscalations(q, rows);
  return new Map(summaries.map((s) => [s.id, s]));
}

export interface CaseFilter {
  /** Everything not yet closed, whenever it was created. */
  openOnly: boolean;
  /** Created in [from, to), epoch ms. */
  from: number | null;
  to: number | null;
  /** Only these communities' cases; null = every community. */
  communityIds?: readonly number[] | null;
  /** Only this resident's cases, newest first, at most `limit`. */
  residentId?: number;
  limit?: number;
}

/** The queue's order: most urgent first, then the one waiting longest. */
export async function listSummaries(q: Queryable, f: CaseFilter): Promise<CaseSummary[]> {
  const where = new Where();
  if (f.openOnly) where.add(`c.status <> ?`, CLOSED);
  where.range(f.from, f.to);
  if (!where.scope(f.communityIds ?? null)) return [];
  if (f.residentId !== undefined) where.add(`c."residentId" = ?`, f.residentId);
  const order = f.residentId !== undefined ? `c."createdAt" DESC, c.id DESC` : `c.priority, c."createdAt"`;
  const limit = f.limit !== undefined ? ` LIMIT ${Math.trunc(f.limit)}` : "";
  const rows = await q.all<SummaryRow>(
    `${SUMMARY_SELECT} ${where.sql()} ORDER BY ${order}${limit}`,
    where.params,
  );
  return withEscalations(q, rows);
}

export interface HistoryFilter {
  /** A part of the resident's name or phone. */
  resident: string | null;
  device: string | null;
  /** A part of the responder's name. */
  responder: string | null;
  type: CaseType | null;
  status: CaseStatus | null;
  from: number | null;
  to: number | null;
  communityIds: readonly number[] | null;
  offset: number;
  limit: number;
}

/** One page of matching cases, newest first, and how many match in all. */
export async function searchSummaries(
  q: Queryable,
  f: HistoryFilter,
): Promise<{ items: CaseSummary[]; total: number }> {
  const where = new Where();
  if (f.resident !== null) {
    const like = likeLower(f.resident);
    where.add(`(LOWER(r.name) LIKE ? ${LIKE_ESCAPE} OR r.phone LIKE ? ${LIKE_ESCAPE})`, like, like);
  }
  if (f.device !== null) where.add(`LOWER(c."deviceId") LIKE ? ${LIKE_ESCAPE}`, likeLower(f.device));
  if (f.responder !== null) where.add(`LOWER(p.name) LIKE ? ${LIKE_ESCAPE}`, likeLower(f.responder));
  if (f.type !== null) where.add(`c.type = ?`, f.type);
  if (f.status !== null) where.add(`c.status = ?`, f.status);
  where.range(f.from, f.to);
  if (!where.scope(f.communityIds)) return { items: [], total: 0 };
  const total = await q.get<{ n: number }>(`SELECT COUNT(*) AS n ${FROM} ${where.sql()}`, where.params);
  const rows = await q.all<SummaryRow>(
    `${SUMMARY_SELECT} ${where.sql()} ORDER BY c."createdAt" DESC, c.id DESC LIMIT ? OFFSET ?`,
    [...where.params, f.limit, f.offset],
  );
  return { items: await withEscalations(q, rows), total: Number(total?.n ?? 0) };
}

/** Matches anywhere, whatever the case: LOWER on both sides, as PostgreSQL's LIKE is case-sensitive. */
const likeLower = (text: string) => likePattern(text.toLowerCase());

/** A WHERE clause built from conditions and their parameters. */
class Where {
  private readonly conditions: string[] = [];
  readonly params: SqlValue[] = [];

  add(condition: string, ...values: SqlValue[]): void {
    this.conditions.push(condition);
    this.params.push(...values);
  }

  /** Created in [from, to). */
  range(from: number | null, to: number | null): void {
    if (from !== null) this.add(`c."createdAt" >= ?`, from);
    if (to !== null) this.add(`c."createdAt" < ?`, to);
  }

  /** False when the scope is empty: nothing can match. */
  scope(communityIds: readonly number[] | null): boolean {
    if (communityIds?.length === 0) return false;
    const scope = scopeCondition(`c."communityId"`, communityIds);
    if (scope) this.add(scope.sql, ...scope.params);
    return true;
  }

  sql(): string {
    return this.conditions.length ? `WHERE ${this.conditions.join(" AND ")}` : "";
  }
}

/** Enough ids per query to stay far below every database's parameter limit. */
const CHUNK = 500;

/** Each case's escalations, once each, oldest first: the timeline is the record of them. */
async function escalationsOf(
  q: Queryable,
  caseIds: readonly number[],
): Promise<Map<number, EscalationReason[]>> {
  const out = new Map<number, EscalationReason[]>();
  for (let i = 0; i < caseIds.length; i += CHUNK) {
    const ids = caseIds.slice(i, i + CHUNK);
    const rows = await q.all<{ caseId: number; data: string | null }>(
      `SELECT "caseId", data FROM "CaseEvent" WHERE type = ? AND "caseId" IN (${placeholders(ids.length)})
       ORDER BY at, id`,
      [ESCALATED, ...ids],
    );
    for (const row of rows) {
      const reason = EscalationReasonSchema.safeParse(
        (parseJson(row.data) as { reason?: unknown } | null)?.reason,
      );
      if (!reason.success) continue;
      const list = out.get(row.caseId) ?? [];
      if (!list.includes(reason.data)) list.push(reason.data);
      out.set(row.caseId, list);
    }
  }
  return out;
}

async function withEscalations(q: Queryable, rows: SummaryRow[]): Promise<CaseSummary[]> {
  const escalations = await escalationsOf(
    q,
    rows.filter((r) => r.escalated === 1).map((r) => r.id),
  );
  return rows.map((r) => toSummary(r, escalations.get(r.id) ?? []));
}

function toSummary(r: SummaryRow, escalations: EscalationReason[]): CaseSummary {
  return {
    id: r.id,
    type: r.type,
    kind: r.kind,
    priority: r.priority,
    status: r.status,
    escalated: r.escalated === 1,
    escalationReason: r.escalationReason === null ? null : EscalationReasonSchema.parse(r.escalationReason),
    escalations,
    service: r.service,
    residentId: r.residentId,
    residentName: r.residentName,
    address: r.address,
    lat: r.lat,
    lng: r.lng,
    location:
      r.locationFixAt === null || r.locationAccuracy === null
        ? null
        : { accuracyMeters: r.locationAccuracy, fixAt: isoTime(r.locationFixAt)!, away: r.away === 1 },
    communityId: r.communityId,
    communityName: r.communityName,
    deviceId: r.deviceId,
    pressCount: r.pressCount,
    responderId: r.responderId,
    responderName: r.responderName,
    etaSeconds: r.etaSeconds,
    createdAt: isoTime(r.createdAt)!,
    acceptedAt: isoTime(r.acceptedAt),
    arrivedAt: isoTime(r.arrivedAt),
    resolvedAt: isoTime(r.resolvedAt),
    closedAt: isoTime(r.closedAt),
    cancelledAt: isoTime(r.cancelledAt),
    offerDeadline: isoTime(r.offerDeadline),
    escalationDeadline: isoTime(r.escalationDeadline),
    staffAckAt: isoTime(r.staffAckAt),
    followUpDueAt: isoTime(r.followUpDueAt),
    updatedAt: isoTime(r.updatedAt)!,
  };
}
