// A CaseSummary factory for the console's unit tests.
import type { CaseSummary } from "../../protocol/api.ts";

export const T0 = Date.parse("2025-03-01T08:00:00.000Z");
export const iso = (ms: number) => new Date(ms).toISOString();

export function caseSummary(id: number, over: Partial<CaseSummary> = {}): CaseSummary {
  return {
    id,
    type: "sos",
    kind: "emergency",
    priority: 1,
    status: "new",
    escalated: false,
    escalationReason: null,
    escalations: [],
    service: null,
    residentId: id,
    residentName: `居民${id}`,
    address: "渭滨区经二路 1 号",
    lat: 34.36,
    lng: 107.2,
    location: null,
    communityId: 1,
    communityName: "经二路社区",
    deviceId: `dev-${id}`,
    pressCount: 1,
    responderId: null,
    responderName: null,
    etaSeconds: null,
    createdAt: iso(T0),
    acceptedAt: null,
    arrivedAt: null,
    resolvedAt: null,
    closedAt: null,
    cancelledAt: null,
    offerDeadline: null,
    escalationDeadline: null,
    staffAckAt: null,
    followUpDueAt: null,
    updatedAt: iso(T0),
    ...over,
  };
}
