// Ordering and grouping of the case queue. Pure.
import type { CaseSummary } from "../../../protocol/api.ts";
import { isActiveStatus, isOpenStatus } from "../../../protocol/domain.ts";

export type QueueCase = Pick<CaseSummary, "id" | "kind" | "priority" | "status" | "createdAt" | "staffAckAt">;

/** An emergency nobody on the console has acknowledged yet: it sounds and flashes. */
export function isUnackedEmergency(c: Pick<CaseSummary, "kind" | "status" | "staffAckAt">): boolean {
  return c.kind === "emergency" && c.staffAckAt === null && isActiveStatus(c.status);
}

/** Most urgent first (priority 1 before 4), then the one waiting longest; id breaks ties. */
export function compareQueue(a: QueueCase, b: QueueCase): number {
  return a.priority - b.priority || Date.parse(a.createdAt) - Date.parse(b.createdAt) || a.id - b.id;
}

export interface QueueSections<T> {
  /** Emergencies and service requests someone still has to act on. */
  active: T[];
  /** Resolved or cancelled: waiting for the follow-up call (回访) that closes them. */
  followUp: T[];
  /** Device health (offline, low battery, no activity): for staff, shown apart. */
  technical: T[];
}

export function groupQueue<T extends QueueCase>(cases: Iterable<T>): QueueSections<T> {
  const out: QueueSections<T> = { active: [], followUp: [], technical: [] };
  for (const c of cases) {
    if (!isOpenStatus(c.status)) continue;
    if (c.kind === "technical") out.technical.push(c);
    else if (isActiveStatus(c.status)) out.active.push(c);
    else out.followUp.push(c);
  }
  out.active.sort(compareQueue);
  out.followUp.sort(compareQueue);
  out.technical.sort(compareQueue);
  return out;
}
