// Push next to the socket, never instead of it: every message a responder's phone must not miss
// (an offer, its withdrawal, a job taken away or cancelled) also goes out as a Web Push
// notification, which reaches a locked phone or a closed page; so do the stages of a case that a
// family member chose to hear of.
import type { Notifier } from "../notifier.ts";
import type { Clock } from "../clock.ts";
import type { FamilyPush } from "../family/notifier.ts";
import { cancelledMessage, offerMessage, releasedMessage, withdrawnMessage } from "./messages.ts";
import type { PushService } from "./service.ts";

/** Long enough for a phone coming out of a tunnel; a withdrawal or reassignment is stale after that. */
const NOTICE_TTL_SECONDS = 15 * 60;

export function withPush<N extends Omit<Notifier, "ackDevice">>(base: N, push: PushService, clock: Clock): N {
  return {
    ...base,
    offer(responderId, offer) {
      base.offer(responderId, offer);
      // An offer is worthless after its deadline: the push service drops it then.
      const ttl = (Date.parse(offer.deadline) - clock.now()) / 1000;
      if (ttl > 0) push.deliver(responderId, (lang) => offerMessage(lang, offer, clock.now()), ttl);
    },
    offerWithdrawn(responderId, w) {
      base.offerWithdrawn(responderId, w);
      push.deliver(responderId, (lang) => withdrawnMessage(lang, w, clock.now()), NOTICE_TTL_SECONDS);
    },
    caseReleased(responderId, summary) {
      base.caseReleased(responderId, summary);
      push.deliver(responderId, (lang) => releasedMessage(lang, summary, clock.now()), NOTICE_TTL_SECONDS);
    },
    caseChanged(summary, created) {
      base.caseChanged(summary, created);
      // Cancelled in this very step while someone had it: they must turn back.
      const justCancelled =
        summary.status === "cancelled" &&
        summary.cancelledAt !== null &&
        summary.cancelledAt === summary.updatedAt;
      if (justCancelled && summary.responderId !== null) {
        push.deliver(
          summary.responderId,
          (lang) => cancelledMessage(lang, summary, clock.now()),
          NOTICE_TTL_SECONDS,
        );
      }
    },
  };
}

/** A family notice is still worth showing an hour late (the live view has the rest). */
const FAMILY_TTL_SECONDS = 60 * 60;

/** The family notifier's Web Push channel: one notification per case, each stage replacing the last. */
export function familyPush(push: PushService, clock: Clock): FamilyPush {
  return {
    deliver(userId, message) {
      push.deliverToFamily(
        userId,
        (lang) => {
          const m = message(lang);
          return {
            kind: "family",
            caseId: m.caseId,
            offerId: null,
            title: m.title,
            body: m.body,
            tag: `family-case-${m.caseId}`,
            url: m.url,
            urgent: false,
            at: new Date(clock.now()).toISOString(),
          };
        },
        FAMILY_TTL_SECONDS,
      );
    },
  };
}
