// Presence rules (pure): how an offer would reach a responder's phone now, and when silence makes
// them unreachable or takes them off duty. A live socket is a sign of life in itself (Socket.IO's
// ping/pong drops a dead one within ~45 s); otherwise the last heartbeat or request counts.
import type { PhoneState, PresenceNotice } from "../../protocol/index.ts";

export interface PhonePresence {
  /** Live Socket.IO connections of this responder. */
  sockets: number;
  /** Last sign of life (ms); null if never seen. */
  lastSeenAt: number | null;
  /** Push subscriptions (browsers that get notifications with the page closed). */
  pushDevices: number;
}

export interface PresenceWindow {
  /** Silent longer than this → unreachable. */
  presenceMs: number;
  /** Silent longer than this → taken off duty (unless working a case). */
  offDutyMs: number;
}

/** Heard from within the presence window (a live socket counts as now). */
export function recentlySeen(p: PhonePresence, now: number, w: Pick<PresenceWindow, "presenceMs">): boolean {
  return p.sockets > 0 || (p.lastSeenAt !== null && now - p.lastSeenAt <= w.presenceMs);
}

/**
 * `live`: the app is connected. `push_only`: not connected, but seen recently and subscribed to
 * push, so an offer arrives as a notification. `unreachable`: nothing would reach the phone in
 * time, so matching skips it (an app that is merely reconnecting and has no push counts here too).
 */
export function phoneStateOf(
  p: PhonePresence,
  now: number,
  w: Pick<PresenceWindow, "presenceMs">,
): PhoneState {
  if (p.sockets > 0) return "live";
  if (p.pushDevices > 0 && recentlySeen(p, now, w)) return "push_only";
  return "unreachable";
}

/**
 * Silent long enough to be taken off duty. A phone never seen since the platform started counts
 * from `since` (the start), so a restart does not take everyone off duty at once.
 */
export function silentTooLong(
  p: PhonePresence,
  now: number,
  since: number,
  w: Pick<PresenceWindow, "offDutyMs">,
): boolean {
  return p.sockets === 0 && now - Math.max(p.lastSeenAt ?? since, since) >= w.offDutyMs;
}

/** What the phone is told when it shows life again after the platform lost it. */
export function noticeOnReturn(silentSince: number, offDutyAt: number | null, now: number): PresenceNotice {
  return {
    kind: offDutyAt === null ? "was_unreachable" : "taken_off_duty",
    since: new Date(silentSince).toISOString(),
    until: new Date(now).toISOString(),
  };
}
