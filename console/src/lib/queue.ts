// Ordering and grouping of the case queue. Pure.
import type { CaseSummary } from "../../../protocol/api.ts";
import { isActiveStatus, isOpenStatus, isWaitingStatus } from "../../../protocol/domain.ts";

export type QueueCase = Pick<
  CaseSummary,
  "id" | "kind" | "priority" | "status" | "createdAt" | "staffAckAt" | "followUpDueAt"
>;

/**
 * An emergency nobody on the console has acknowledged while it still waits for a responder: it
 * sounds and flashes. Once a responder has it, it stops sounding (acknowledged or not).
 */
export function isUnackedEmergency(c: Pick<CaseSummary, "kind" | "status" | "staffAckAt">): boolean {
  return c.kind === "emergency" && c.staffAckAt === null && isWaitingStatus(c.status);
}

/** Most urgent first (priority 1 before 4), then the one waiting longest; id breaks ties. */
export function compareQueue(a: QueueCase, b: QueueCase): number {
  return a.priority - b.priority || Date.parse(a.createdAt) - Date.parse(b.createdAt) || a.id - b.id;
}

function compareFollowUp(a: QueueCase, b: QueueCase): number {
  const due = (c: QueueCase) => (c.followUpDueAt === null ? Infinity : Date.parse(c.followUpDueAt));
  return due(a) - due(b) || compareQueue(a, b);
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
  // The follow-up list: the call due soonest first; unbooked ones after, by urgency.
  out.followUp.sort(compareFollowUp);
  out.technical.sort(compareQueue);
  return out;
}
