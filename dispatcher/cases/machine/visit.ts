// The visit: the responder who has the case sets off, arrives at the door and resolves it. Only that
// responder may report their own progress; staff may resolve any active case (e.g. after a call).
import { FOLLOW_UP_AFTER_RESOLVE_MS, isActiveStatus, isAssignedStatus } from "../../../protocol/index.ts";
import { event, offersClosed, stopSearching, withdrawPending } from "./helpers.ts";
import { done, fail, type Handler, type Verdict } from "./turn.ts";

const notAssigned = (): Verdict => fail("not_assigned", "you are not assigned to this case");

export const enRoute: Handler<"en_route"> = (s, c, t) => {
  if (s.status !== "accepted") return fail("illegal_transition", `cannot set off from ${s.status}`);
  if (s.responderId !== c.responderId) return notAssigned();
  s.status = "en_route";
  t.effects.push(event("en_route", c.actor, null, null));
  return done();
};

/** Setting off first is optional: a neighbour may simply walk over. */
export const arrive: Handler<"arrive"> = (s, c, t) => {
  if (s.status !== "accepted" && s.status !== "en_route")
    return fail("illegal_transition", `cannot arrive from ${s.status}`);
  if (s.responderId !== c.responderId) return notAssigned();
  s.status = "on_scene";
  s.arrivedAt = t.now;
  // At the door nobody can take the case over any more: offers kept for the grace window close.
  t.effects.push(...offersClosed(withdrawPending(s, t.now), "taken"));
  s.offerDeadline = null;
  t.effects.push(event("arrived", c.actor, null, null), { kind: "ack_device", status: "arrived" });
  return done();
};

/**
 * The responder at the case asks the duty desk for an ambulance (120): a loud staff alert and a
 * timeline entry. Staff then escalate (call 120, tell the family) as they would for any case.
 */
export const askHelp: Handler<"ask_help"> = (s, c, t) => {
  if (!isAssignedStatus(s.status))
    return fail("illegal_transition", `cannot ask for help on a ${s.status} case`);
  if (s.responderId !== c.responderId) return notAssigned();
  t.effects.push(event("help_requested", c.actor, c.note, null), {
    kind: "alert_staff",
    alert: "help_requested",
    message: c.note ?? "the responder asks for an ambulance (120)",
  });
  return done();
};

/** `responderId` null is staff resolving the case themselves; the service log then names no responder. */
export const resolve: Handler<"resolve"> = (s, c, t) => {
  if (!isActiveStatus(s.status)) return fail("illegal_transition", `cannot resolve a ${s.status} case`);
  if (c.responderId !== null && s.responderId !== c.responderId) return notAssigned();
  stopSearching(s, t, "resolved");
  s.status = "resolved";
  s.resolvedAt = t.now;
  s.resolutionNote = c.note;
  // Every service is logged with time, place, person and content (民情日记).
  t.effects.push(event("resolved", c.actor, c.note, null), {
    kind: "service_log",
    responderId: s.responderId,
    content: c.note,
  });
  if (s.responderId !== null) t.effects.push({ kind: "responder_released", responderId: s.responderId });
  // 回访: every resolved emergency gets a call the next day; the case closes after it (or a skip).
  if (s.kind === "emergency") {
    t.effects.push({
      kind: "follow_up_task",
      reason: "scheduled",
      dueAt: t.now + FOLLOW_UP_AFTER_RESOLVE_MS,
    });
  }
  return done();
};
