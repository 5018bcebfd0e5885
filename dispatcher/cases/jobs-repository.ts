// SQL of a responder's own jobs ("my jobs" on the phone): the cases they took, with the time they
// spent at the door from the service log (民情日记).
import {
  CaseKindSchema,
  CaseStatusSchema,
  CaseTypeSchema,
  ServiceKindSchema,
  type Job,
} from "../../protocol/index.ts";
import { isoTime, type Queryable } from "../db/sql.ts";

interface JobRow {
  caseId: number;
  type: string;
  kind: string;
  service: string | null;
  status: string;
  residentName: string;
  address: string;
  acceptedAt: number | null;
  arrivedAt: number | null;
  resolvedAt: number | null;
  serviceMinutes: number | null;
}

/** Cases `responderId` took since `since` (epoch ms), newest first. */
export async function jobsOf(q: Queryable, responderId: number, since: number): Promise<Job[]> {
  const rows = await q.all<JobRow>(
    `SELECT c.id AS "caseId", c.type, c.kind, c.service, c.status, r.name AS "residentName",
            r.address, c."acceptedAt", c."arrivedAt", c."resolvedAt",
            (SELECT SUM(s."durationMinutes") FROM "ServiceLog" s
              WHERE s."caseId" = c.id AND s."responderId" = c."responderId") AS "serviceMinutes"
     FROM "Case" c JOIN "Resident" r ON r.id = c."residentId"
     WHERE c."responderId" = ? AND c."acceptedAt" >= ?
     ORDER BY c."acceptedAt" DESC`,
    [responderId, since],
  );
  return rows.map((r) => ({
    caseId: r.caseId,
    type: CaseTypeSchema.parse(r.type),
    kind: CaseKindSchema.parse(r.kind),
    service: r.service === null ? null : ServiceKindSchema.parse(r.service),
    status: CaseStatusSchema.parse(r.status),
    residentName: r.residentName,
    address: r.address,
    acceptedAt: isoTime(r.acceptedAt),
    arrivedAt: isoTime(r.arrivedAt),
    resolvedAt: isoTime(r.resolvedAt),
    serviceMinutes: r.serviceMinutes === null ? null : Number(r.serviceMinutes),
  }));
}
