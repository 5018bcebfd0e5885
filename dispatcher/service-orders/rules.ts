// The pure rules of a service order: which action may follow which, who may claim a published
// order, when the responder is reminded. No IO; the service applies the result.
import {
  localDate,
  nextDay,
  startOfLocalDay,
  type ServiceKind,
  type ServiceOrderStatus,
  type Skill,
} from "../../protocol/index.ts";

export interface OrderState {
  status: ServiceOrderStatus;
  responderId: number | null;
  claimed: boolean;
}

export type OrderAction =
  | { type: "assign"; responderId: number }
  | { type: "publish" }
  | { type: "claim"; responderId: number }
  | { type: "confirm"; responderId: number }
  | { type: "start"; responderId: number }
  /** The responder hands it back: to the queue, or to the published list it came from. */
  | { type: "release"; responderId: number }
  /** `by` null: staff record it on the responder's behalf. */
  | { type: "done"; by: number | null }
  | { type: "cancel" };

export type OrderDecision = { ok: true; next: OrderState } | { ok: false; reason: string };

/** Not done or cancelled: someone still has to do it. */
export const OPEN_ORDER_STATUSES: readonly ServiceOrderStatus[] = [
  "queued",
  "published",
  "assigned",
  "confirmed",
  "in_progress",
];

export function isOpenOrder(status: ServiceOrderStatus): boolean {
  return OPEN_ORDER_STATUSES.includes(status);
}

const refuse = (reason: string): OrderDecision => ({ ok: false, reason });
const to = (next: OrderState): OrderDecision => ({ ok: true, next });

export function decideOrder(o: OrderState, a: OrderAction): OrderDecision {
  if (!isOpenOrder(o.status)) return refuse(`the order is ${o.status}`);
  const holder = (id: number) => o.responderId === id;
  switch (a.type) {
    case "assign":
      if (o.status === "in_progress") return refuse("the service is under way");
      return to({ status: "assigned", responderId: a.responderId, claimed: false });
    case "publish":
      if (o.status !== "queued" && o.status !== "assigned")
        return refuse(`a ${o.status} order cannot be published`);
      return to({ status: "published", responderId: null, claimed: false });
    case "claim":
      if (o.status !== "published") return refuse("the order is not open for claiming");
      // Claiming is the volunteer's own yes: no separate confirmation.
      return to({ status: "confirmed", responderId: a.responderId, claimed: true });
    case "confirm":
      if (o.status !== "assigned" || !holder(a.responderId))
        return refuse("only the assigned responder confirms");
      return to({ ...o, status: "confirmed" });
    case "start":
      if ((o.status !== "assigned" && o.status !== "confirmed") || !holder(a.responderId))
        return refuse("only the responder who has the order starts it");
      return to({ ...o, status: "in_progress" });
    case "release":
      if ((o.status !== "assigned" && o.status !== "confirmed") || !holder(a.responderId))
        return refuse("only the responder who has the order hands it back, before starting");
      return to({ status: o.claimed ? "published" : "queued", responderId: null, claimed: false });
    case "done":
      if (o.responderId === null || (o.status !== "in_progress" && o.status !== "confirmed"))
        return refuse("only a confirmed or started order is done");
      if (a.by !== null && !holder(a.by)) return refuse("only the responder who has the order finishes it");
      return to({ ...o, status: "done" });
    case "cancel":
      return to({ ...o, status: "cancelled" });
  }
}

/** A responder may claim a published order of their own community for a service they offer. */
export function mayClaim(
  order: { status: ServiceOrderStatus; service: ServiceKind; communityId: number },
  responder: { skills: readonly Skill[]; communityId: number },
): boolean {
  return (
    order.status === "published" &&
    responder.communityId === order.communityId &&
    responder.skills.includes(order.service)
  );
}

/** The responder hears a reminder this long before the window opens. */
export const REMIND_BEFORE_MS = 60 * 60_000;

/** When the responder who has the order is reminded, or null (nobody has it, or it is over). */
export function reminderAt(o: OrderState & { windowFrom: number; remindedAt: number | null }): number | null {
  if (o.remindedAt !== null || o.responderId === null) return null;
  if (o.status !== "assigned" && o.status !== "confirmed") return null;
  return o.windowFrom - REMIND_BEFORE_MS;
}

/** The window has closed and the service has not been done. */
export function isOverdue(o: { status: ServiceOrderStatus; windowTo: number }, now: number): boolean {
  return isOpenOrder(o.status) && now > o.windowTo;
}

/** Fewer hours than this left in the day, and "today" becomes "by the end of tomorrow". */
export const REQUEST_MIN_WINDOW_MS = 3 * 60 * 60_000;

/**
 * The window of a request that names no time (a press, or a caller who says "when you can"): as
 * soon as convenient today, from now to the end of the day in the platform's zone; late in the
 * evening, to the end of tomorrow instead (nobody is sent to bathe someone at 23:00).
 */
export function requestWindow(now: number, timeZone: string): { from: number; to: number } {
  const tomorrow = nextDay(localDate(now, timeZone));
  const endOfToday = startOfLocalDay(tomorrow, timeZone)!;
  if (endOfToday - now >= REQUEST_MIN_WINDOW_MS) return { from: now, to: endOfToday };
  return { from: now, to: startOfLocalDay(nextDay(tomorrow), timeZone)! };
}
