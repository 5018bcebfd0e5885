// A case as a family member follows it (pure): how far it has come, who is coming and when, and
// who of the family is on the way. The responder's closing note only as the resident consented.
import {
  familyStageOf,
  type CaseEventDto,
  type CaseSummary,
  type FamilyCase,
  type FamilyStep,
} from "../../protocol/index.ts";

/**
 * The cases family follow: calls for help and services. Device health, enquiries and complaints
 * are the desk's business.
 */
export function isFamilyCase(c: Pick<CaseSummary, "kind">): boolean {
  return c.kind === "emergency" || c.kind === "service";
}

export function familyCaseOf(
  c: CaseSummary,
  timeline: readonly CaseEventDto[],
  medicalConsent: boolean,
): FamilyCase {
  const steps: FamilyStep[] = [{ type: "received", at: c.createdAt, name: null }];
  if (c.acceptedAt) steps.push({ type: "coming", at: c.acceptedAt, name: c.responderName });
  if (c.arrivedAt) steps.push({ type: "on_scene", at: c.arrivedAt, name: c.responderName });
  if (c.resolvedAt) steps.push({ type: "resolved", at: c.resolvedAt, name: null });
  if (c.cancelledAt) steps.push({ type: "cancelled", at: c.cancelledAt, name: null });
  for (const e of timeline) {
    if (e.type === "family_on_way") steps.push({ type: "family_on_way", at: e.at, name: e.actorName });
  }
  steps.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  const resolution = timeline.find((e) => e.type === "resolved")?.note ?? null;
  return {
    id: c.id,
    residentId: c.residentId,
    type: c.type,
    stage: familyStageOf(c.status),
    createdAt: c.createdAt,
    responderName: c.responderName,
    etaSeconds: c.etaSeconds,
    acceptedAt: c.acceptedAt,
    arrivedAt: c.arrivedAt,
    endedAt: c.resolvedAt ?? c.cancelledAt,
    away: c.location?.away ?? false,
    steps,
    resolutionNote: medicalConsent ? resolution : null,
  };
}
