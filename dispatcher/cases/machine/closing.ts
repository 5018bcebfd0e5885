// Closing a case: a cancel (the resident's button or staff after a false alarm), then the follow-up call
// (回访) that every resolved or cancelled case gets before it is closed and the button goes dark.
import {
  FOLLOW_UP_CASE_STATUSES,
  FOLLOW_UP_CLOSES_BY_DEFAULT,
  isActiveStatus,
  isWaitingStatus,
} from "../../../protocol/index.ts";
import { event, stopSearching } from "./helpers.ts";
import { done, fail, type Handler } from "./turn.ts";

export const cancel: Handler<"cancel"> = (s, c, t) => {
  if (!isActiveStatus(s.status)) return fail("illegal_transition", `cannot cancel a ${s.status} case`);
  // Once someone has the case, a cancel press no longer calls them off: a mistaken or confused press
  // must not leave a resident who fell alone. The device is told `rejected` (docs/protocol.md, Acks);
  // staff can still cancel after calling the home.
  if (c.actor.type === "device" && !isWaitingStatus(s.status)) {
    return fail("illegal_transition", "help is already on the way; the case stays open");
  }
  stopSearching(s, t, "cancelled");
  if (s.responderId !== null) t.effects.push({ kind: "responder_released", responderId: s.responderId });
  s.status = "cancelled";
  s.cancelledAt = t.now;
  // Not closed yet: a cancel is still verified by a call (回访) before it is.
  t.effects.push(event("cancelled", c.actor, c.reason, null), { kind: "ack_device", status: "cancelled" });
  return done();
};

/** Closing without the follow-up call is an explicit choice with a reason (e.g. the family was there). */
export const skipFollowUp: Handler<"skip_follow_up"> = (s, c, t) => {
  if (!FOLLOW_UP_CASE_STATUSES.some((status) => status === s.status)) {
    return fail(
      "illegal_transition",
      `only a resolved or cancelled case closes without follow-up (it is ${s.status})`,
    );
  }
  if (c.reason.trim() === "") return fail("illegal_transition", "closing without follow-up needs a reason");
  s.status = "closed";
  s.closedAt = t.now;
  t.effects.push(
    event("closed", c.actor, c.reason, { followUp: "skipped" }),
    { kind: "ack_device", status: "closed" },
    { kind: "follow_up_tasks_skipped", reason: c.reason, actor: c.actor },
  );
  return done();
};

/**
 * Records the call (also in the phone log). "Reached, resident fine" closes the case unless staff
 * say otherwise; any other outcome keeps it open unless staff choose to close. Nobody answering
 * never closes it: a retry call is booked instead, and the case waits in the follow-up list.
 */
export const followUp: Handler<"follow_up"> = (s, c, t) => {
  if (!FOLLOW_UP_CASE_STATUSES.some((status) => status === s.status)) {
    return fail(
      "illegal_transition",
      `follow-up comes after the case is resolved or cancelled (it is ${s.status})`,
    );
  }
  const answered = c.outcome !== "no_answer";
  const close = c.close ?? FOLLOW_UP_CLOSES_BY_DEFAULT[c.outcome];
  if (close && !answered) {
    return fail("illegal_transition", "a follow-up call nobody answered cannot close the case");
  }
  const retryAt = answered ? null : t.now + t.policy.followUpRetryMs;
  t.effects.push(
    event("follow_up", c.actor, c.note, { outcome: c.outcome, party: c.party, retryAt }),
    { kind: "follow_up", outcome: c.outcome, note: c.note, actor: c.actor },
    {
      kind: "call_log",
      call: {
        direction: "outbound",
        party: c.party,
        number: c.number,
        name: null,
        outcome: answered ? "reached" : "no_answer",
        note: c.note,
      },
      actor: c.actor,
    },
  );
  if (retryAt !== null) t.effects.push({ kind: "follow_up_task", reason: "retry", dueAt: retryAt });
  if (close) {
    s.status = "closed";
    s.closedAt = t.now;
    t.effects.push(
      event("closed", c.actor, null, null),
      { kind: "ack_device", status: "closed" },
      { kind: "follow_up_tasks_dropped" },
    );
  }
  return done();
};
