// The resident's own button, pressed again while help is still being arranged or on its way.
import { isActiveStatus, type Priority } from "../../../protocol/index.ts";
import { event } from "./helpers.ts";
import type { CaseLocation, CaseState } from "../state.ts";
import { done, fail, type Handler } from "./turn.ts";

/** A second press joins the open case instead of opening another, and makes it more urgent. */
export const press: Handler<"press"> = (s, c, t) => {
  if (!isActiveStatus(s.status))
    return fail("illegal_transition", `case ${s.id} is ${s.status}; a press opens a new case`);
  s.pressCount += 1;
  // One step more urgent per press, never past 1 (the top priority).
  s.priority = Math.max(1, s.priority - 1) as Priority;
  s.staffAckAt = null; // ring again on the console
  t.effects.push(event("press_joined", c.actor, null, { eventType: c.eventType, pressCount: s.pressCount }));
  // A newer fix of the pendant moves the case: the resident may have walked on.
  const l = c.location;
  if (l && (s.locationFixAt === null || l.fixAt > s.locationFixAt)) {
    placeAt(s, l);
    t.effects.push(
      event("location_updated", c.actor, null, {
        lat: l.lat,
        lng: l.lng,
        accuracy: l.accuracy,
        fixAt: new Date(l.fixAt).toISOString(),
        away: l.away,
      }),
    );
  }
  return done();
};

/** A family member on the way: recorded for staff and the responder, at any stage before closing. */
export const familyOnWay: Handler<"family_on_way"> = (s, c, t) => {
  if (s.status === "closed") return fail("illegal_transition", `case ${s.id} is closed`);
  t.effects.push(
    event("family_on_way", c.actor, null, c.etaMinutes === null ? {} : { etaMinutes: c.etaMinutes }),
  );
  return done();
};

export function placeAt(s: CaseState, l: CaseLocation | null): void {
  s.lat = l?.lat ?? null;
  s.lng = l?.lng ?? null;
  s.locationAccuracy = l?.accuracy ?? null;
  s.locationFixAt = l?.fixAt ?? null;
  s.away = l?.away ?? false;
}
