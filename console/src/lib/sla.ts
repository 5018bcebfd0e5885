// SLA clocks of the case queue, against the platform's service promise for emergencies
// (RESPONSE_TARGET_SECONDS: accept within 60 s, on scene within 15 min). Pure: the caller passes `now`.
import {
  isAwaitingArrivalStatus,
  isWaitingStatus,
  RESPONSE_TARGET_SECONDS,
  type CaseKind,
  type CaseStatus,
} from "../../../protocol/domain.ts";

export type SlaLevel = "none" | "ok" | "amber" | "red";

export interface SlaThresholds {
  amberSeconds: number;
  redSeconds: number;
}

/** Accept: amber from 45 s, red from the 60 s target. */
export const ACCEPT_SLA: SlaThresholds = { amberSeconds: 45, redSeconds: RESPONSE_TARGET_SECONDS.accept };
/** Arrival: amber from 10 min, red from the 15 min target. */
export const ARRIVAL_SLA: SlaThresholds = {
  amberSeconds: 10 * 60,
  redSeconds: RESPONSE_TARGET_SECONDS.onScene,
};

export function slaLevel(seconds: number, t: SlaThresholds): Exclude<SlaLevel, "none"> {
  if (seconds >= t.redSeconds) return "red";
  if (seconds >= t.amberSeconds) return "amber";
  return "ok";
}

export interface SlaClock {
  seconds: number;
  level: SlaLevel;
  /** False once the milestone is reached: the clock shows the final time. */
  running: boolean;
}

export interface ClockInput {
  kind: CaseKind;
  status: CaseStatus;
  createdAt: string;
  acceptedAt: string | null;
  arrivedAt: string | null;
  resolvedAt: string | null;
  closedAt: string | null;
  /** A cancelled case (false alarm, resident cancelled) stops waiting here, not at closing. */
  cancelledAt: string | null;
}

export interface CaseClocks {
  sincePress: SlaClock;
  /** null when it does not apply (technical case, or closed without ever being accepted). */
  toAccept: SlaClock | null;
  toArrival: SlaClock | null;
}

function seconds(fromMs: number, toMs: number): number {
  return Math.max(0, Math.floor((toMs - fromMs) / 1000));
}

function milestone(
  startMs: number,
  reachedIso: string | null,
  waiting: boolean,
  nowMs: number,
  t: SlaThresholds | null,
): SlaClock | null {
  if (reachedIso !== null) {
    const s = seconds(startMs, Date.parse(reachedIso));
    return { seconds: s, level: t ? slaLevel(s, t) : "none", running: false };
  }
  if (!waiting) return null;
  const s = seconds(startMs, nowMs);
  return { seconds: s, level: t ? slaLevel(s, t) : "none", running: true };
}

/**
 * The three clocks of a queue row. Arrival thresholds apply to emergencies only: service
 * requests (meals, bathing…) are booked visits with their own, looser escalation deadline.
 */
export function caseClocks(c: ClockInput, nowMs: number): CaseClocks {
  const start = Date.parse(c.createdAt);
  // Nobody waits for help any more once the case is cancelled; the follow-up call comes later.
  const endIso = c.cancelledAt ?? c.closedAt ?? null;
  const sincePress: SlaClock = {
    seconds: seconds(start, endIso ? Date.parse(endIso) : nowMs),
    level: "none",
    running: endIso === null,
  };
  if (c.kind === "technical") return { sincePress, toAccept: null, toArrival: null };
  return {
    sincePress,
    toAccept: milestone(start, c.acceptedAt, isWaitingStatus(c.status), nowMs, ACCEPT_SLA),
    toArrival: milestone(
      start,
      c.arrivedAt,
      isAwaitingArrivalStatus(c.status),
      nowMs,
      c.kind === "emergency" ? ARRIVAL_SLA : null,
    ),
  };
}

/** Seconds left until an ISO deadline (negative once passed). */
export function secondsUntil(deadlineIso: string, nowMs: number): number {
  return Math.ceil((Date.parse(deadlineIso) - nowMs) / 1000);
}
