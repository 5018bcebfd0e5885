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
  /** Elapsed (counting up) or left (counting down, negative once late), in whole seconds. */
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
  etaSeconds: number | null;
  followUpDueAt: string | null;
}

/** What a queue row shows, by what the case is waiting for; null = not shown for this case. */
export interface CaseClocks {
  /** How long since the press; stops when someone is at the door (or it is cancelled). */
  sincePress: SlaClock;
  /** Counting down to the accept target while nobody has it; once accepted, how long it took. */
  toAccept: SlaClock | null;
  /** Counting down to the responder's own ETA, while on the way. */
  eta: SlaClock | null;
  /** Counting down to the on-scene target (emergencies); once there, how long it took. */
  toArrival: SlaClock | null;
  /** Counting down to the next follow-up call, negative once overdue. */
  followUp: SlaClock | null;
}

function seconds(fromMs: number, toMs: number): number {
  return Math.max(0, Math.floor((toMs - fromMs) / 1000));
}

/** Seconds left until `deadlineMs`, negative once passed; red when passed, amber within `amberS`. */
function countdown(deadlineMs: number, nowMs: number, amberS: number): SlaClock {
  const left = Math.ceil((deadlineMs - nowMs) / 1000);
  return { seconds: left, level: left <= 0 ? "red" : left <= amberS ? "amber" : "ok", running: true };
}

/** How late past their own ETA a responder may be before the clock turns red. */
const ETA_LATE_RED_SECONDS = 5 * 60;

/**
 * Seconds to the responder's own ETA. Nearing it is good news, not a warning: amber only once
 * they are late, red when they are late by minutes.
 */
function etaCountdown(etaMs: number, nowMs: number): SlaClock {
  const left = Math.ceil((etaMs - nowMs) / 1000);
  const level = left > 0 ? "ok" : -left < ETA_LATE_RED_SECONDS ? "amber" : "red";
  return { seconds: left, level, running: true };
}

/**
 * The clocks of a queue row. Before an accept: time waited and the accept countdown; on the way:
 * the responder's ETA and the on-scene countdown; at the door: what each took. Arrival targets
 * apply to emergencies only: service requests are booked visits with their own, looser deadline.
 */
export function caseClocks(c: ClockInput, nowMs: number): CaseClocks {
  const start = Date.parse(c.createdAt);
  const at = (iso: string | null) => (iso === null ? null : Date.parse(iso));
  const [accepted, arrived] = [at(c.acceptedAt), at(c.arrivedAt)];
  // Nobody waits for help any more once someone is there or the case is cancelled.
  const end = arrived ?? at(c.cancelledAt) ?? at(c.closedAt);
  const sincePress: SlaClock = {
    seconds: seconds(start, end ?? nowMs),
    level: "none",
    running: end === null,
  };
  const none = { toAccept: null, eta: null, toArrival: null, followUp: null };
  if (c.kind === "technical") return { sincePress, ...none };
  const followUp =
    c.followUpDueAt !== null && !isAwaitingArrivalStatus(c.status) && c.status !== "on_scene"
      ? countdown(Date.parse(c.followUpDueAt), nowMs, 5 * 60)
      : null;
  const done = (ms: number, t: SlaThresholds | null): SlaClock => {
    const s = seconds(start, ms);
    return { seconds: s, level: t ? slaLevel(s, t) : "none", running: false };
  };
  const emergency = c.kind === "emergency";
  if (isWaitingStatus(c.status)) {
    return {
      sincePress,
      ...none,
      toAccept: countdown(
        start + ACCEPT_SLA.redSeconds * 1000,
        nowMs,
        ACCEPT_SLA.redSeconds - ACCEPT_SLA.amberSeconds,
      ),
      toArrival: emergency ? countdown(start + ARRIVAL_SLA.redSeconds * 1000, nowMs, 5 * 60) : null,
    };
  }
  const toAccept = accepted === null ? null : done(accepted, ACCEPT_SLA);
  if (isAwaitingArrivalStatus(c.status)) {
    return {
      sincePress,
      ...none,
      toAccept,
      eta:
        accepted !== null && c.etaSeconds !== null
          ? etaCountdown(accepted + c.etaSeconds * 1000, nowMs)
          : null,
      toArrival: emergency ? countdown(start + ARRIVAL_SLA.redSeconds * 1000, nowMs, 5 * 60) : null,
    };
  }
  return {
    sincePress,
    ...none,
    toAccept,
    toArrival: arrived === null ? null : done(arrived, emergency ? ARRIVAL_SLA : null),
    followUp,
  };
}

/** Seconds left until an ISO deadline (negative once passed). */
export function secondsUntil(deadlineIso: string, nowMs: number): number {
  return Math.ceil((Date.parse(deadlineIso) - nowMs) / 1000);
}
