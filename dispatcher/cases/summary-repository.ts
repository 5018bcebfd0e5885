// SQL of case summaries: the queue on the console, a case as pushed to consoles and phones.
import { EscalationReasonSchema, type CaseStatus, type CaseSummary } from "../../protocol/index.ts";
import { isoTime, placeholders, scopeCondition, type Queryable, type SqlValue } from "../db/sql.ts";
import type { CaseRow } from "./repository.ts";

const CLOSED: CaseStatus = "closed";

const SUMMARY_SELECT = `
  SELECT c.*, r.name AS "residentName", r.address AS address,
         COALESCE(c.lat, r.lat) AS lat, COALESCE(c.lng, r.lng) AS lng,
         cm.name AS "communityName", p.name AS "responderName"
  FROM "Case" c
  JOIN "Resident" r ON r.id = c."residentId"
  JOIN "Community" cm ON cm.id = c."communityId"
  LEFT JOIN "Responder" p ON p.id = c."responderId"`;

type SummaryRow = Omit<CaseRow, "lat" | "lng"> & {
  residentName: string;
  address: string;
  lat: number;
  lng: number;
  communityName: string;
  responderName: string | null;
};

export async function findSummary(q: Queryable, id: number): Promise<CaseSummary | null> {
  const row = await q.get<SummaryRow>(`${SUMMARY_SELECT} WHERE c.id = ?`, [id]);
  return row ? toSummary(row) : null;
}

/** Several cases at once (one query per turn, however many steps it took), by id. */
export async function findSummaries(q: Queryable, ids: readonly number[]): Promise<Map<number, CaseSummary>> {
  if (ids.length === 0) return new Map();
  const rows = await q.all<SummaryRow>(`${SUMMARY_SELECT} WHERE c.id IN (${placeholders(ids.length)})`, ids);
  return new Map(rows.map((r) => [r.id, toSummary(r)]));
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

export async function listSummaries(q: Queryable, f: CaseFilter): Promise<CaseSummary[]> {
  const where: string[] = [];
  const params: SqlValue[] = [];
  const when = (condition: string, value: SqlValue) => {
    where.push(condition);
    params.push(value);
  };
  if (f.openOnly) when(`c.status <> ?`, CLOSED);
  if (f.from !== null) when(`c."createdAt" >= ?`, f.from);
  if (f.to !== null) when(`c."createdAt" < ?`, f.to);
  const scope = scopeCondition(`c."communityId"`, f.communityIds ?? null);
  if (scope) {
    where.push(scope.sql);
    params.push(...scope.params);
  }
  if (f.residentId !== undefined) when(`c."residentId" = ?`, f.residentId);
  const order = f.residentId !== undefined ? `c."createdAt" DESC, c.id DESC` : `c.priority, c."createdAt"`;
  const limit = f.limit !== undefined ? ` LIMIT ${Math.trunc(f.limit)}` : "";
  const sql = `${SUMMARY_SELECT} ${where.length ? `WHERE ${where.join(" AND ")}` : ""} ORDER BY ${order}${limit}`;
  return (await q.all<SummaryRow>(sql, params)).map(toSummary);
}

function toSummary(r: SummaryRow): CaseSummary {
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
    updatedAt: isoTime(r.updatedAt)!,
  };
}
