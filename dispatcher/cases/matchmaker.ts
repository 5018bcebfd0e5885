// Collects the cases that need a responder, then matches them together on the next turn of the
// event loop: a burst of emergencies is assigned as a batch (minimum total priority-weighted ETA,
// Hungarian algorithm) instead of greedy first-come nearest.
import type { Database, Statement } from "better-sqlite3";
import type { Logger } from "pino";
import type { CaseKind, CaseType, Priority, ServiceKind } from "../../protocol/index.ts";
import {
  DEFAULT_MATCHING_OPTIONS,
  ResponderIndex,
  assignBatch,
  rankCandidates,
  type CaseNeed,
  type MatchingOptions,
  type RankedCandidate,
} from "../matching/index.ts";
import type { ResponderRegistry } from "../responders/registry.ts";
import type { Clock } from "../clock.ts";
import type { CandidateOffer, Command, Policy } from "./state.ts";

interface NeedRow {
  caseId: number;
  type: CaseType;
  kind: CaseKind;
  priority: Priority;
  service: ServiceKind | null;
  status: string;
  lat: number;
  lng: number;
  communityId: number;
  pairedVolunteerId: number | null;
}

export interface MatchmakerDeps {
  db: Database;
  clock: Clock;
  policy: Policy;
  responders: ResponderRegistry;
  logger: Logger;
  options?: MatchingOptions;
  /** Carries out the answers (one transaction). */
  offer(requests: { caseId: number; command: Command }[]): void;
}

export class Matchmaker {
  private readonly queue = new Map<number, number[]>();
  private scheduled: NodeJS.Immediate | null = null;
  private readonly needStmt: Statement;
  private stopped = false;

  constructor(private readonly deps: MatchmakerDeps) {
    this.needStmt = deps.db.prepare(`
      SELECT c.id AS caseId, c.type, c.kind, c.priority, c.service, c.status, r.lat, r.lng,
             c.communityId, r.pairedVolunteerId
      FROM "Case" c JOIN "Resident" r ON r.id = c.residentId WHERE c.id = ?`);
  }

  request(caseId: number, exclude: number[]): void {
    if (this.stopped) return;
    this.queue.set(caseId, exclude);
    this.scheduled ??= setImmediate(() => this.flush());
  }

  stop(): void {
    this.stopped = true;
    if (this.scheduled) clearImmediate(this.scheduled);
  }

  private flush(): void {
    this.scheduled = null;
    const started = performance.now();
    const needs: CaseNeed[] = [];
    for (const [caseId, exclude] of this.queue) {
      const row = this.needStmt.get(caseId) as NeedRow | undefined;
      if (!row || (row.status !== "new" && row.status !== "offered")) continue;
      needs.push({ ...row, excludeResponderIds: exclude });
    }
    this.queue.clear();
    if (needs.length === 0) return;
    const now = this.deps.clock.now();
    const options = this.deps.options ?? DEFAULT_MATCHING_OPTIONS;
    const index = new ResponderIndex(this.deps.responders.snapshot());
    const used = new Set<number>();
    const primary = new Map<number, number>();

    const emergencies = needs.filter((n) => n.kind === "emergency");
    if (emergencies.length > 1) {
      for (const a of assignBatch(emergencies, index, now, options).assignments) {
        primary.set(a.caseId, a.responderId);
        used.add(a.responderId);
      }
    }
    // Most urgent first, so parallel offers of an urgent case are not taken by a lesser one.
    needs.sort((a, b) => a.priority - b.priority || a.caseId - b.caseId);
    const requests = needs.map((need) => {
      const ranked = rankCandidates(need, index, now, options);
      const k = need.kind === "emergency" ? this.deps.policy.parallelOffers : 1;
      const primaryId = primary.get(need.caseId);
      // The batch may pick someone beyond this case's first radius step; then free them for others.
      if (primaryId !== undefined && !ranked.some((c) => c.responderId === primaryId)) used.delete(primaryId);
      const chosen = pick(ranked, k, primaryId, used);
      for (const c of chosen) used.add(c.responderId);
      const command: Command =
        chosen.length > 0 ? { type: "offer", candidates: chosen.map(toOffer) } : { type: "no_candidate" };
      return { caseId: need.caseId, command };
    });
    this.deps.logger.debug({ cases: needs.length, ms: +(performance.now() - started).toFixed(2) }, "matched");
    this.deps.offer(requests);
  }
}

function pick(
  ranked: RankedCandidate[],
  k: number,
  primaryId: number | undefined,
  used: Set<number>,
): RankedCandidate[] {
  const chosen: RankedCandidate[] = [];
  const first = primaryId === undefined ? undefined : ranked.find((c) => c.responderId === primaryId);
  if (first) chosen.push(first);
  for (const c of ranked) {
    if (chosen.length >= k) break;
    if (c === first || used.has(c.responderId)) continue;
    chosen.push(c);
  }
  return chosen;
}

function toOffer(c: RankedCandidate): CandidateOffer {
  return {
    responderId: c.responderId,
    etaSeconds: c.etaSeconds,
    distanceMeters: Math.round(c.distanceMeters),
  };
}
