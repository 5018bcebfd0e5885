// Shared builders for the matching tests: a small world around Baoji, positions given in meters.
import type { CaseNeed, ResponderState } from "../../dispatcher/matching/index.ts";

export const BAOJI = { lat: 34.36, lng: 107.24 };
export const NOW = Date.UTC(2025, 5, 1, 8, 0, 0);
const METERS_PER_DEGREE = 111_194.9; // mean Earth radius 6371 km

/** A point `east` and `north` meters away from Baoji's centre. */
export function at(east: number, north: number): { lat: number; lng: number } {
  const lat = BAOJI.lat + north / METERS_PER_DEGREE;
  const lng = BAOJI.lng + east / (METERS_PER_DEGREE * Math.cos((BAOJI.lat * Math.PI) / 180));
  return { lat, lng };
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
