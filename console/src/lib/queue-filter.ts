// The queue's filters (escalated, unacknowledged, type, community). Pure.
import type { CaseSummary } from "../../../protocol/api.ts";
import type { CaseType } from "../../../protocol/domain.ts";
import { isUnackedEmergency } from "./queue.ts";

export interface QueueFilter {
  escalated: boolean;
  unacked: boolean;
  type: CaseType | null;
  communityId: number | null;
}

export const NO_FILTER: QueueFilter = { escalated: false, unacked: false, type: null, communityId: null };

export function isFiltering(f: QueueFilter): boolean {
  return f.escalated || f.unacked || f.type !== null || f.communityId !== null;
}

export function matchesFilter(c: CaseSummary, f: QueueFilter): boolean {
  return (
    (!f.escalated || c.escalated) &&
    (!f.unacked || isUnackedEmergency(c)) &&
    (f.type === null || c.type === f.type) &&
    (f.communityId === null || c.communityId === f.communityId)
  );
}
