// What dispatch keeps in memory between steps, so that no press, timer or position update has to
// ask the database who is busy or what is due (issue 20, decision 0009): every active case (its
// state and where it is), who holds an offer or works a case (derived from those states, as the
// SQL `responderWork` derives it from the tables), and one due-time index over every deadline.
// IO-free: the live runner feeds it committed steps, the policy simulator its own.
import TinyQueue from "tinyqueue";
import { isActiveStatus, isAssignedStatus, type Priority } from "../../protocol/index.ts";
import type { CaseNeed, ResponderState } from "../matching/index.ts";
import type { ResponderWork } from "../responders/registry.ts";
import type { CaseState } from "./state.ts";

/** Where a case is and what it needs, for matching: fixed while the case is open. */
export type CaseSite = Pick<CaseNeed, "lat" | "lng" | "communityId" | "pairedVolunteerId" | "service">;

/** What a responder is doing, with the urgency of the case they hold an offer for. */
export type Work = ResponderWork & { priority: Priority };

/**
 * Matching's view of a responder follows their work: busy while holding an offer or working a
 * case; `holding` names the offer a more urgent case may take. Returns true when they came free.
 */
export function takeWork(r: ResponderState, work: Work | undefined): boolean {
  const wasBusy = r.busy;
  r.busy = work !== undefined;
  r.holding = work?.activity === "offered" ? { caseId: work.caseId, priority: work.priority } : null;
  return wasBusy && !r.busy;
}

interface Tracked {
  state: CaseState;
  site: CaseSite;
}

export class DispatchModel {
  private readonly cases = new Map<number, Tracked>();
  /** Responder → the active cases they hold an offer on or work. */
  private readonly claims = new Map<number, Set<number>>();
  private readonly work = new Map<number, Work>();
  private readonly due = newDueQueue();
  private readonly dueAt = new Map<number, number>();

  /** `onWork` hears every change of what a responder is doing (the registry keeps matching's view). */
  constructor(private readonly onWork: (responderId: number, work: Work | undefined) => void = () => {}) {}

  /**
   * Takes in a case as committed. `site` is needed the first time a case is seen.
   * Returns the responders whose work changed.
   */
  observe(state: CaseState, site?: CaseSite): number[] {
    const before = this.cases.get(state.id);
    const where = site ?? before?.site;
    const touched = new Set(before ? claimants(before.state) : []);
    if (isActiveStatus(state.status) && where) this.cases.set(state.id, { state, site: where });
    else this.cases.delete(state.id);
    const tracked = this.cases.get(state.id);
    for (const r of touched) this.claims.get(r)?.delete(state.id);
    if (tracked) {
      for (const r of claimants(state)) {
        touched.add(r);
        let mine = this.claims.get(r);
        if (!mine) this.claims.set(r, (mine = new Set()));
        mine.add(state.id);
      }
    }
    this.arm(state);
    const changed: number[] = [];
    for (const r of touched) if (this.refreshWork(r)) changed.push(r);
    return changed;
  }

  /** Puts taken deadlines back (their turn failed to commit): each case due again at its time. */
  rearm(caseIds: Iterable<number>): void {
    for (const id of caseIds) {
      const state = this.cases.get(id)?.state;
      if (state) this.arm(state);
    }
  }

  state(caseId: number): CaseState | undefined {
    return this.cases.get(caseId)?.state;
  }

  site(caseId: number): CaseSite | undefined {
    return this.cases.get(caseId)?.site;
  }

  /** Active cases, oldest first. */
  activeCases(): CaseState[] {
    return [...this.cases.values()].map((t) => t.state);
  }

  get size(): number {
    return this.cases.size;
  }

  workOf(responderId: number): Work | undefined {
    return this.work.get(responderId);
  }

  allWork(): ReadonlyMap<number, Work> {
    return this.work;
  }

  /** Cases where `responderId` holds a pending offer. */
  offersHeldBy(responderId: number): number[] {
    return [...(this.claims.get(responderId) ?? [])].filter((id) =>
      this.cases.get(id)?.state.offers.some((o) => o.responderId === responderId && o.status === "pending"),
    );
  }

  /** The earliest deadline of any case, or null. */
  nextDue(): number | null {
    for (;;) {
      const top = this.due.peek();
      if (!top) return null;
      if (this.dueAt.get(top.caseId) === top.at) return top.at;
      this.due.pop(); // superseded
    }
  }

  /** The cases whose deadline has come, each once; their entries are consumed. */
  takeDue(now: number): number[] {
    const ids: number[] = [];
    for (let at = this.nextDue(); at !== null && at <= now; at = this.nextDue()) {
      const { caseId } = this.due.pop()!;
      this.dueAt.delete(caseId);
      ids.push(caseId);
    }
    return ids;
  }

  private arm(state: CaseState): void {
    const times = [state.offerDeadline, state.escalationDeadline].filter((t): t is number => t !== null);
    const at = isActiveStatus(state.status) && times.length > 0 ? Math.min(...times) : null;
    if (at === null) {
      this.dueAt.delete(state.id);
      return;
    }
    if (this.dueAt.get(state.id) === at) return;
    this.dueAt.set(state.id, at);
    this.due.push({ at, caseId: state.id });
  }

  /** Working a case outranks holding an offer for another (as in the SQL responderWork). */
  private refreshWork(responderId: number): boolean {
    let next: Work | undefined;
    for (const id of this.claims.get(responderId) ?? []) {
      const s = this.cases.get(id)!.state;
      if (s.responderId === responderId && isAssignedStatus(s.status)) {
        next = { activity: s.status, caseId: s.id, priority: s.priority };
        break;
      }
      if (!next) next = { activity: "offered", caseId: s.id, priority: s.priority };
    }
    if (this.claims.get(responderId)?.size === 0) this.claims.delete(responderId);
    const before = this.work.get(responderId);
    if (sameWork(before, next)) return false;
    if (next) this.work.set(responderId, next);
    else this.work.delete(responderId);
    this.onWork(responderId, next);
    return true;
  }
}

function newDueQueue() {
  return new TinyQueue<{ at: number; caseId: number }>([], (a, b) => a.at - b.at);
}

/** Who a case claims: responders with a pending offer, and the assigned responder while assigned. */
function claimants(s: CaseState): number[] {
  const ids = s.offers.filter((o) => o.status === "pending").map((o) => o.responderId);
  if (s.responderId !== null && isAssignedStatus(s.status)) ids.push(s.responderId);
  return ids;
}

function sameWork(a: Work | undefined, b: Work | undefined): boolean {
  return (
    a === b || (!!a && !!b && a.activity === b.activity && a.caseId === b.caseId && a.priority === b.priority)
  );
}
