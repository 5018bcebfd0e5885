// The resident's own button, pressed again while help is still being arranged or on its way.
import { isActiveStatus, type Priority } from "../../../protocol/index.ts";
import { event } from "./helpers.ts";
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
  return done();
};
