// The case file staff open on the console: the case, the resident's file, the timeline, the
// offers made, and who could go now.
import {
  guidanceFor,
  haversineMeters,
  isActiveStatus,
  type Candidate,
  type CaseDetail,
  type CaseSummary,
  type OfferDto,
} from "../../protocol/index.ts";
import type { Clock } from "../clock.ts";
import type { SqlDatabase } from "../db/sql.ts";
import { DomainError } from "../errors.ts";
import { etaSeconds, rankCandidates, type CaseNeed } from "../matching/index.ts";
import type { ResponderRegistry } from "../responders/registry.ts";
import { findResident, timeline } from "./case-file-repository.ts";
import * as repo from "./repository.ts";
import { findSummary } from "./summary-repository.ts";
import type { CaseRunner } from "./runner.ts";
import type { CandidateOffer } from "./state.ts";

/** A responder assigned by phone who shares no position gets this estimate. */
const UNKNOWN_ETA_SECONDS = 15 * 60;

export class CaseFile {
  constructor(
    private readonly db: SqlDatabase,
    private readonly registry: ResponderRegistry,
    private readonly clock: Clock,
    private readonly runner: CaseRunner,
  ) {}

  async detail(caseId: number): Promise<CaseDetail> {
    const [summary, state] = await Promise.all([
      findSummary(this.db, caseId),
      repo.loadCase(this.db, caseId),
    ]);
    if (!summary || !state)
      throw new DomainError("not_found", `case ${caseId} not found`, { entity: "case", id: caseId });
    const [resident, events] = await Promise.all([
      findResident(this.db, summary.residentId),
      timeline(this.db, caseId),
    ]);
    if (!resident)
      throw new DomainError("not_found", `resident ${summary.residentId} not found`, {
        entity: "resident",
        id: summary.residentId,
      });
    const { birthYear, ...file } = resident;
    const offers = await Promise.all(
      state.offers.filter((o) => o.id !== null).map((o) => this.runner.offerDto(caseId, o)),
    );
    return {
      case: summary,
      guidance: guidanceFor(summary.type),
      resident: {
        ...file,
        age: birthYear === null ? null : new Date(this.clock.now()).getFullYear() - birthYear,
      },
      timeline: events,
      offers,
      candidates: this.candidates(summary, resident.pairedVolunteer?.id ?? null, offers),
    };
  }

  /**
   * Who could go now, ranked as the engine ranks them, including those whose phone is counting
   * down this case's offer and those whose phone an offer would not reach (staff may ring them):
   * staff see each with their offer and phone state, and may assign any of them.
   */
  private candidates(
    c: CaseSummary,
    pairedVolunteerId: number | null,
    offers: readonly OfferDto[],
  ): Candidate[] {
    if (!isActiveStatus(c.status)) return [];
    const open = new Map(
      offers
        .filter((o) => o.status === "pending")
        .map((o) => [o.responderId, { id: o.id, createdAt: o.createdAt, deadline: o.deadline }]),
    );
    // The engine's own options and responder pool: the list shows the ETAs the engine would use.
    const need: CaseNeed = {
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
      includeOfferedHere: true,
    };
    const rank = (n: CaseNeed) =>
      rankCandidates(n, this.registry.pool, this.clock.now(), this.runner.matching);
    const reachable = rank(need);
    const listed = new Set(reachable.map((r) => r.responderId));
    // Those an offer would not reach come after, so the top of the list is whom the platform can
    // reach; ranking them on their own keeps them from narrowing the engine's own list.
    const unreachable = rank({ ...need, includeUnreachable: true }).filter(
      (r) => !listed.has(r.responderId) && this.registry.phoneOf(r.responderId).phoneState === "unreachable",
    );
    return [...reachable, ...unreachable].map((r) => ({
      responderId: r.responderId,
      name: r.name,
      role: r.role,
      transport: r.transport,
      distanceMeters: Math.round(r.distanceMeters),
      etaSeconds: r.etaSeconds,
      paired: r.paired,
      sameCommunity: r.sameCommunity,
      offer: open.get(r.responderId) ?? null,
      ...this.registry.phoneOf(r.responderId),
    }));
  }

  /** The offer terms for a responder staff chose by hand. */
  async candidateFor(caseId: number, responderId: number): Promise<CandidateOffer> {
    const summary = await findSummary(this.db, caseId);
    if (!summary)
      throw new DomainError("not_found", `case ${caseId} not found`, { entity: "case", id: caseId });
    const r = await this.registry.find(responderId);
    if (!r)
      throw new DomainError("not_found", `responder ${responderId} not found`, {
        entity: "responder",
        id: responderId,
      });
    if (r.lat === null || r.lng === null) {
      return { responderId, etaSeconds: UNKNOWN_ETA_SECONDS, distanceMeters: 0 };
    }
    const distance = haversineMeters(r.lat, r.lng, summary.lat, summary.lng);
    return {
      responderId,
      etaSeconds: etaSeconds(distance, r.transport, this.runner.matching),
      distanceMeters: Math.round(distance),
    };
  }
}
