// What dispatch staff do on a case from the console: assign or reassign a responder by hand, escalate
// (120, family, supervisor), acknowledge the alarm so the console stops ringing, and add notes (the
// assigned responder may note too). All but assigning stay possible until the case is closed, so the
// record can be completed after the visit.
import { isActiveStatus } from "../../../protocol/index.ts";
import { escalate as raise, event, handOver, offersClosed, pending, withdrawPending } from "./helpers.ts";
import { done, fail, type Handler, type Verdict } from "./turn.ts";

const closed = (): Verdict => fail("illegal_transition", "case is closed");

/**
 * Overrides the offer round: whoever staff choose has the case at once, without accepting on the
 * phone, and keeps it until staff reassign it.
 */
export const assign: Handler<"assign"> = (s, c, t) => {
  // At the door the visit has begun; help on the spot is not taken away by a reassignment.
  if (!isActiveStatus(s.status) || s.status === "on_scene")
    return fail("illegal_transition", `cannot assign a ${s.status} case`);
  const previous = s.responderId;
  const chosen = c.candidate;
  if (previous === chosen.responderId)
    return fail("illegal_transition", "already assigned to this responder");
  // The previous assignment ends; an open offer to the chosen responder becomes the assignment.
  for (const o of s.offers) if (o.status === "accepted") o.status = "withdrawn";
  const own = pending(s).find((o) => o.responderId === chosen.responderId);
  if (own) {
    own.status = "accepted";
    own.respondedAt = t.now;
    own.etaSeconds = chosen.etaSeconds;
  }
  t.effects.push(...offersClosed(withdrawPending(s, t.now), "reassigned"));
  if (!own) {
    s.offers.push({
      id: null,
      responderId: chosen.responderId,
      status: "accepted",
      etaSeconds: chosen.etaSeconds,
      distanceMeters: chosen.distanceMeters,
      createdAt: t.now,
      deadline: t.now,
      respondedAt: t.now,
    });
  }
  // Staff's choice stands: relief does not offer the case to anyone else (they may reassign by hand).
  const assigned = handOver(s, chosen.responderId, chosen.etaSeconds, t.now, "staff");
  t.effects.push(
    event(previous === null ? "assigned" : "reassigned", c.actor, null, {
      responderId: chosen.responderId,
      previousResponderId: previous,
    }),
    ...assigned,
  );
  if (previous !== null) t.effects.push({ kind: "responder_released", responderId: previous });
  return done();
};

/** Staff may escalate at any stage, again and again; the latest target is the recorded reason. */
export const escalate: Handler<"escalate"> = (s, c, t) => {
  if (s.status === "closed") return closed();
  raise(s, t, c.target, c.actor, c.note);
  // Handing over to the family or to 120 is a phone call: it is in the phone log too.
  if (c.target !== "staff") {
    t.effects.push({
      kind: "call_log",
      actor: c.actor,
      call: {
        direction: "outbound",
        party: c.target,
        number: c.target === "ambulance_120" ? "120" : null,
        name: null,
        outcome: "reached",
        note: c.note,
      },
    });
  }
  return done();
};

export const note: Handler<"note"> = (s, c, t) => {
  if (s.status === "closed") return closed();
  t.effects.push(event("note", c.actor, c.text, null));
  return done();
};

/** Idempotent: two dispatchers clicking at once record one acknowledgement. */
export const staffAck: Handler<"staff_ack"> = (s, c, t) => {
  if (s.status === "closed") return closed();
  if (s.staffAckAt !== null) return done();
  s.staffAckAt = t.now;
  t.effects.push(event("staff_acknowledged", c.actor, null, null));
  return done();
};
