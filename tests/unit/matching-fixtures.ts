// Shared builders for the matching tests: a small world around Baoji, positions given in meters.
import type { CaseNeed, ResponderState } from "../../dispatcher/matching/index.ts";
import { offsetMeters } from "../../protocol/geo.ts";

export const BAOJI = { lat: 34.36, lng: 107.24 };
export const NOW = Date.UTC(2025, 5, 1, 8, 0, 0);
/** A point `east` and `north` meters away from Baoji's centre. */
export function at(east: number, north: number): { lat: number; lng: number } {
  return offsetMeters(BAOJI, north, east);
}

/** An on-duty, free caregiver trained in first aid and lifting, walking, located a minute ago. */
export function responder(
  id: number,
  east: number,
  north: number,
  overrides: Partial<ResponderState> = {},
): ResponderState {
  return {
    id,
    name: `照护员${id}`,
    role: "caregiver",
    skills: ["first_aid", "lifting"],
    transport: "walk",
    communityId: 1,
    onDuty: true,
    busy: false,
    ...at(east, north),
    locationAt: NOW - 60_000,
    ...overrides,
  };
}

/** An SOS at Baoji's centre in community 1, priority 1, no paired volunteer. */
export function sos(caseId = 1, overrides: Partial<CaseNeed> = {}): CaseNeed {
  return {
    caseId,
    type: "sos",
    kind: "emergency",
    priority: 1,
    service: null,
    ...at(0, 0),
    communityId: 1,
    pairedVolunteerId: null,
    excludeResponderIds: [],
    ...overrides,
  };
}
