// Exactly one welfare check per episode. An episode is one stretch of worrying silence (the motion
// sensor saw nobody since `startedAt`; a missed daily check-in works alike): it raises one case, and
// nothing more until the episode ends (someone moves again) and a new one begins. Pure.
import type { CaseType } from "../../protocol/index.ts";

export interface WelfareEpisode {
  /** When the silence began; identifies the episode. */
  startedAt: number;
  /** The episode a case was already raised for (its startedAt), if any. */
  raisedFor: number | null;
}

export type WelfareDecision =
  | { action: "open" }
  /** Someone is already on it: the silence is noted on that case instead of opening another. */
  | { action: "note"; caseId: number }
  | { action: "none"; reason: "already_raised" };

/** Open cases that already mean someone checks on the resident. */
const COVERS: readonly CaseType[] = ["welfare_check", "sos", "fall", "door_alert"];

export function decideWelfare(
  episode: WelfareEpisode,
  activeCases: readonly { id: number; type: CaseType }[],
): WelfareDecision {
  if (episode.raisedFor === episode.startedAt) return { action: "none", reason: "already_raised" };
  const covering = activeCases.find((c) => COVERS.includes(c.type));
  return covering ? { action: "note", caseId: covering.id } : { action: "open" };
}
