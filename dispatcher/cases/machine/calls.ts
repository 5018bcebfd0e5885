// Phone calls about a case: the hotline call that opened it, the verification call after a cancel,
// follow-up calls (回访), calls to family, the key-holder or 120. Every call is a fact of the record,
// so one can be logged at any stage, also after the case is closed (a late call to the family).
import { event } from "./helpers.ts";
import { done, type Handler } from "./turn.ts";

export const call: Handler<"call"> = (_s, c, t) => {
  const { direction, party, outcome, number, name } = c.call;
  t.effects.push(event("call", c.actor, c.call.note, { direction, party, outcome, number, name }), {
    kind: "call_log",
    call: c.call,
    actor: c.actor,
  });
  return done();
};
