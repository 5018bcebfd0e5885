// One turn of dispatch: the steps a press, a tap, a timer or a responder's change brought, then
// matching for every case that wants more responders, in the same transaction, until nobody wants
// more (decisions 0008, 0009). The store carries commands out (the live runner: SQL in the
// turn's transaction; the policy simulator: memory), so both run exactly this logic.
import {
  isEligible,
  match,
  soonEnough,
  widestEta,
  widestRadius,
  type MatchCommand,
  type MatchNeed,
  type MatchingOptions,
  type ResponderSource,
  type ResponderState,
} from "../matching/index.ts";
import { etaSeconds } from "../matching/eta.ts";
import { haversineMeters } from "../../protocol/geo.ts";
import { isDispatchable } from "../../protocol/domain.ts";
import { excludedResponders, offerSlots } from "./machine.ts";
import { pending, reliefBelow } from "./machine/offer-clock.ts";
import type { CaseSite, DispatchModel } from "./dispatch-model.ts";
import type { CaseState, Command, Effect, Policy } from "./state.ts";

/** One committed (or about to be committed) step of one case. */
export interface CaseStep {
  caseId: number;
  created: boolean;
  state: CaseState;
  effects: Effect[];
  /** Where the case is; set when the case was opened in this turn. */
  site?: CaseSite;
  /** Staff alerts the step stored, announced after the commit (decision 0013). */
  alertIds?: number[];
  /** Open alerts the step settled because it ended the case. */
  settledAlertIds?: number[];
}

export interface CaseStore {
  /** Applies one command to the case as stored; null when the engine refused it or nothing changed. */
  command(caseId: number, command: Command): Promise<CaseStep | null>;
  /** The stored truth on whether the responder may be offered a case now (memory is only a hint). */
  free(responderId: number): Promise<boolean>;
}

/** Nothing but the step's time moved: such a step is not written. */
export function unchanged(a: CaseState, b: CaseState): boolean {
  return JSON.stringify({ ...a, updatedAt: 0 }) === JSON.stringify({ ...b, updatedAt: 0 });
}

/** Rounds of matching in one turn: a preemption or a refused offer may call for another. */
const MAX_ROUNDS = 4;

export class Dispatch {
  constructor(
    readonly model: DispatchModel,
    readonly responders: ResponderSource,
    readonly policy: Policy,
    readonly options: MatchingOptions,
  ) {}

  /** What matching needs of a case that wants responders now, or null. */
  needOf(state: CaseState, site: CaseSite | undefined, now: number): MatchNeed | null {
    if (!site || !isDispatchable(state.kind)) return null;
    const slots = offerSlots(state, now, this.policy);
    if (slots <= 0) return null;
    const below = reliefBelow(state, now, this.policy);
    return {
      caseId: state.id,
      type: state.type,
      kind: state.kind,
      priority: state.priority,
      ...site,
      excludeResponderIds: excludedResponders(state, now, this.policy),
      slots,
      pendingCount: pending(state).length,
      createdAt: state.createdAt,
      ...(below !== null ? { etaBelowSeconds: below } : {}),
    };
  }

  /**
   * Carries a turn to its end: `steps` were taken already (a press opened a case, a tap, a tick);
   * `rematch` are cases to look at again (a responder came free nearby). Matching runs for every
   * case that asks for it; a responder who got a case gives up offers elsewhere. Returns every step.
   */
  async settle(
    store: CaseStore,
    steps: CaseStep[],
    rematch: Iterable<number>,
    now: number,
  ): Promise<CaseStep[]> {
    const out = [...steps];
    const latest = new Map<number, CaseState>();
    const taken = new Set<number>();
    let want = new Set(rematch);
    let leaving: { caseId: number; responderId: number }[] = [];
    const sites = new Map<number, CaseSite>();
    const record = (s: CaseStep) => {
      latest.set(s.caseId, s.state);
      if (s.site) sites.set(s.caseId, s.site);
      for (const e of s.effects) {
        if (e.kind === "find_candidates") want.add(s.caseId);
        if (e.kind === "responder_assigned")
          leaving.push(...this.otherOffers(e.responderId, s.caseId, latest));
      }
    };
    const take = (step: CaseStep | null) => {
      if (!step) return;
      out.push(step);
      record(step);
    };
    steps.forEach(record);
    for (let round = 0; round < MAX_ROUNDS && (want.size > 0 || leaving.length > 0); round++) {
      const withdrawals = leaving;
      leaving = [];
      for (const w of withdrawals) {
        take(
          await store.command(w.caseId, {
            type: "withdraw",
            responderId: w.responderId,
            reason: "reassigned",
          }),
        );
      }
      const needs: MatchNeed[] = [];
      for (const id of want) {
        const state = latest.get(id) ?? this.model.state(id);
        const need = state ? this.needOf(state, sites.get(id) ?? this.model.site(id), now) : null;
        if (need) needs.push(need);
      }
      want = new Set();
      for (const m of match(needs, this.responders, now, this.options, taken)) {
        const command = await this.confirmed(store, m);
        if (!command) continue;
        take(await store.command(m.caseId, command));
      }
    }
    return out;
  }

  /**
   * Of the cases `caseIds`, those where matching would do something now (offer, or answer a first
   * no-candidate); a quiet retry of a case still without candidates costs no write at all.
   */
  worthMatching(caseIds: Iterable<number>, now: number): number[] {
    const needs: MatchNeed[] = [];
    for (const id of caseIds) {
      const state = this.model.state(id);
      const need = state ? this.needOf(state, this.model.site(id), now) : null;
      if (need) needs.push(need);
    }
    const worth = new Set<number>();
    for (const m of match(needs, this.responders, now, this.options)) {
      if (m.command.type !== "no_candidate" || !this.model.state(m.caseId)?.escalated) worth.add(m.caseId);
    }
    return [...worth].filter((id) => needs.some((n) => n.caseId === id));
  }

  /** Cases wanting responders that any of `rs` could take: to retry when they come on duty, free up or move. */
  helpedBy(rs: readonly ResponderState[], now: number): number[] {
    const located = rs.filter((r) => r.lat !== null && r.lng !== null);
    if (located.length === 0) return [];
    const radius = widestRadius(this.options);
    const maxEta = widestEta(this.options);
    const could = (need: MatchNeed, r: ResponderState) => {
      if (!isEligible(need, r, now, this.options)) return false;
      const d = haversineMeters(need.lat, need.lng, r.lat!, r.lng!);
      const eta = etaSeconds(d, r.transport, this.options);
      return d <= radius && eta <= maxEta && soonEnough(need, eta);
    };
    const out: number[] = [];
    for (const state of this.model.activeCases()) {
      const need = this.needOf(state, this.model.site(state.id), now);
      if (need && located.some((r) => could(need, r))) out.push(state.id);
    }
    return out;
  }

  /** A late tap from someone who meanwhile took another case: one case at a time. */
  busyElsewhere(responderId: number, caseId: number): boolean {
    const work = this.model.workOf(responderId);
    return work !== undefined && work.activity !== "offered" && work.caseId !== caseId;
  }

  /** Every case that still wants responders (the slow safety sweep). */
  wanting(now: number): number[] {
    return this.model
      .activeCases()
      .filter((s) => this.needOf(s, this.model.site(s.id), now) !== null)
      .map((s) => s.id);
  }

  /** Pending offers `responderId` holds on other cases, now that they have one. */
  private otherOffers(responderId: number, caseId: number, latest: ReadonlyMap<number, CaseState>) {
    return this.model
      .offersHeldBy(responderId)
      .filter((id) => id !== caseId)
      .filter((id) =>
        (latest.get(id) ?? this.model.state(id))?.offers.some(
          (o) => o.responderId === responderId && o.status === "pending",
        ),
      )
      .map((id) => ({ caseId: id, responderId }));
  }

  /** An offer goes only to responders the store confirms are free. */
  private async confirmed(store: CaseStore, m: MatchCommand): Promise<Command | null> {
    if (m.command.type !== "offer") return m.command;
    const ok = [];
    for (const c of m.command.candidates) if (await store.free(c.responderId)) ok.push(c);
    return ok.length > 0 ? { type: "offer", candidates: ok } : null;
  }
}
