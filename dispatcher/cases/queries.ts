// Read side of cases for the console: lists, the case file with its timeline, candidates.
import type { PrismaClient } from "../../generated/prisma/client.ts";
import {
  ActorTypeSchema,
  CaseEventTypeSchema,
  ContactSchema,
  LivingSituationSchema,
  type Candidate,
  type CaseDetail,
  type CaseSummary,
  type ResidentFile,
} from "../../protocol/index.ts";
import { z } from "zod";
import { DomainError } from "../errors.ts";
import {
  DEFAULT_MATCHING_OPTIONS,
  ResponderIndex,
  etaSeconds,
  haversineMeters,
  rankCandidates,
} from "../matching/index.ts";
import type { ResponderRegistry } from "../responders/registry.ts";
import type { Clock } from "../clock.ts";
import type { CaseService } from "./service.ts";
import type { CandidateOffer } from "./state.ts";

/** A responder assigned by phone who shares no position gets this estimate. */
const UNKNOWN_ETA_SECONDS = 15 * 60;

export class CaseQueries {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly cases: CaseService,
    private readonly responders: ResponderRegistry,
    private readonly clock: Clock,
  ) {}

  list(scope: "open" | "all", from: number | null, to: number | null): CaseSummary[] {
    const where: string[] = [];
    const params: unknown[] = [];
    if (scope === "open") where.push(`c.status <> 'closed'`);
    if (from !== null) {
      where.push(`c.createdAt >= ?`);
      params.push(from);
    }
    if (to !== null) {
      where.push(`c.createdAt < ?`);
      params.push(to);
    }
    return this.cases.repo.summaries(where.length ? where.join(" AND ") : "1 = 1", params);
  }

  assertResponderMayRead(caseId: number, responderId: number): void {
    const state = this.cases.repo.load(caseId);
    if (!state) throw new DomainError("not_found", `case ${caseId} not found`);
    if (state.responderId !== responderId && !state.offers.some((o) => o.responderId === responderId)) {
      throw new DomainError("forbidden", "this case is not yours");
    }
  }

  async detail(caseId: number): Promise<CaseDetail> {
    const summary = this.cases.repo.summary(caseId);
    const state = this.cases.repo.load(caseId);
    if (!summary || !state) throw new DomainError("not_found", `case ${caseId} not found`);
    const [resident, events] = await Promise.all([
      this.prisma.resident.findUniqueOrThrow({
        where: { id: summary.residentId },
        include: { community: true, grid: { include: { gridWorker: true } }, pairedVolunteer: true },
      }),
      this.prisma.caseEvent.findMany({ where: { caseId }, orderBy: [{ at: "asc" }, { id: "asc" }] }),
    ]);
    const file: ResidentFile = {
      id: resident.id,
      name: resident.name,
      gender: resident.gender === "male" ? "male" : "female",
      age: new Date(this.clock.now()).getFullYear() - resident.birthYear,
      phone: resident.phone,
      address: resident.address,
      lat: resident.lat,
      lng: resident.lng,
      livingSituation: LivingSituationSchema.parse(resident.livingSituation),
      conditions: z.array(z.string()).parse(resident.conditions),
      medicines: z.array(z.string()).parse(resident.medicines),
      emergencyContacts: z.array(ContactSchema).parse(resident.emergencyContacts),
      keyHolder: resident.keyHolder,
      pairedVolunteer: resident.pairedVolunteer
        ? {
            id: resident.pairedVolunteer.id,
            name: resident.pairedVolunteer.name,
            phone: resident.pairedVolunteer.phone,
          }
        : null,
      communityName: resident.community.name,
      gridName: resident.grid.name,
      gridWorker: resident.grid.gridWorker?.name ?? null,
    };
    return {
      case: summary,
      resident: file,
      timeline: events.map((e) => ({
        id: e.id,
        type: CaseEventTypeSchema.parse(e.type),
        actorType: ActorTypeSchema.parse(e.actorType),
        actorId: e.actorId,
        actorName: e.actorName,
        at: e.at.toISOString(),
        note: e.note,
        data:
          e.data !== null && typeof e.data === "object" && !Array.isArray(e.data)
            ? (e.data as Record<string, unknown>)
            : null,
      })),
      offers: state.offers.filter((o) => o.id !== null).map((o) => this.cases.offerDto(caseId, o)),
      candidates: this.candidates(summary, resident.pairedVolunteerId),
    };
  }

  private candidates(c: CaseSummary, pairedVolunteerId: number | null): Candidate[] {
    if (c.status === "closed" || c.status === "resolved" || c.status === "cancelled") return [];
    const index = new ResponderIndex(this.responders.snapshot());
    const ranked = rankCandidates(
      {
        caseId: c.id,
        type: c.type,
        kind: c.kind,
        priority: c.priority,
        service: c.service,
        lat: c.lat,
        lng: c.lng,
        communityId: c.communityId,
        pairedVolunteerId,
        excludeResponderIds: c.responderId === null ? [] : [c.responderId],
      },
      index,
      this.clock.now(),
      DEFAULT_MATCHING_OPTIONS,
    );
    return ranked.map((r) => ({
      responderId: r.responderId,
      name: r.name,
      role: r.role,
      transport: r.transport,
      distanceMeters: Math.round(r.distanceMeters),
      etaSeconds: r.etaSeconds,
      paired: r.paired,
      sameCommunity: r.sameCommunity,
    }));
  }

  /** Staff may assign anyone on the roster (e.g. after a phone call), not only ranked candidates. */
  candidateFor(caseId: number, responderId: number): CandidateOffer {
    const summary = this.cases.repo.summary(caseId);
    if (!summary) throw new DomainError("not_found", `case ${caseId} not found`);
    const r = this.responders.get(responderId);
    if (!r) throw new DomainError("not_found", `responder ${responderId} not found`);
    if (r.lat === null || r.lng === null) {
      return { responderId, etaSeconds: UNKNOWN_ETA_SECONDS, distanceMeters: 0 };
    }
    const distance = haversineMeters(r.lat, r.lng, summary.lat, summary.lng);
    return {
      responderId,
      etaSeconds: etaSeconds(distance, r.transport, DEFAULT_MATCHING_OPTIONS),
      distanceMeters: Math.round(distance),
    };
  }
}
