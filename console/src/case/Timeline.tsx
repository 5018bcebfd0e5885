import type { TFunction } from "i18next";
import { useTranslation } from "react-i18next";
import type { CaseEventDto } from "../../../protocol/api.ts";
import {
  CallDirectionSchema,
  CallOutcomeSchema,
  CallPartySchema,
  EscalationReasonSchema,
  FollowUpOutcomeSchema,
} from "../../../protocol/domain.ts";
import { DeviceFaultSchema } from "../../../protocol/mqtt.ts";
import { etaText } from "../i18n.ts";
import { formatClock, formatTimestamp } from "../lib/format.ts";
import { useStore } from "../store.ts";

type T = TFunction;

const num = (v: unknown): number | null => (typeof v === "number" && Number.isFinite(v) ? v : null);
const ids = (v: unknown): number[] =>
  Array.isArray(v) ? v.filter((x): x is number => typeof x === "number") : [];

/**
 * The detail of a step worth reading in the timeline (escalation target, follow-up outcome,
 * who was offered or assigned…), from the event's `data`. Null when there is nothing to add.
 */
function eventDetail(e: CaseEventDto, t: T, nameOf: (id: number) => string): string | null {
  const d = e.data;
  if (!d) return null;
  switch (e.type) {
    case "escalated": {
      const reason = EscalationReasonSchema.safeParse(d.reason);
      if (!reason.success) return typeof d.reason === "string" ? d.reason : null;
      return t(`escalation.${reason.data}`);
    }
    case "follow_up": {
      const outcome = FollowUpOutcomeSchema.safeParse(d.outcome);
      if (!outcome.success) return null;
      const party = CallPartySchema.safeParse(d.party);
      const retryAt = num(d.retryAt);
      return [
        party.success ? t(`callParty.${party.data}`) : null,
        t(`outcome.${outcome.data}`),
        retryAt === null
          ? null
          : t("drawer.followUpDue", { time: formatClock(new Date(retryAt).toISOString()) }),
      ]
        .filter((x) => x !== null)
        .join(" · ");
    }
    case "family_on_way": {
      const minutes = num(d.etaMinutes);
      return minutes === null ? null : t("location.familyEta", { minutes });
    }
    case "location_updated": {
      const accuracy = num(d.accuracy);
      const where = accuracy === null ? null : t("location.accuracy", { meters: Math.round(accuracy) });
      return d.away === true && where ? `${t("location.away")} · ${where}` : where;
    }
    case "press_joined": {
      const count = num(d.pressCount);
      return count === null ? null : t("queue.presses", { count });
    }
    case "accepted": {
      const eta = num(d.etaSeconds);
      const from = num(d.tookOverFrom);
      const parts = [
        eta === null ? null : t("drawer.eta", { eta: etaText(eta) }),
        from === null ? null : t("drawer.tookOver", { name: nameOf(from) }),
      ].filter((p): p is string => p !== null);
      return parts.length ? parts.join(t("common.listSeparator")) : null;
    }
    case "assigned":
    case "reassigned": {
      const id = num(d.responderId);
      return id === null ? null : nameOf(id);
    }
    case "offered": {
      // Who was asked, with the ETA the engine used for each.
      const offers = Array.isArray(d.offers) ? (d.offers as Record<string, unknown>[]) : [];
      const list = offers.length
        ? offers.flatMap((o) => {
            const id = num(o.responderId);
            const eta = num(o.etaSeconds);
            if (id === null) return [];
            return [eta === null ? nameOf(id) : `${nameOf(id)} ${t("drawer.eta", { eta: etaText(eta) })}`];
          })
        : ids(d.responderIds).map(nameOf);
      // A relief: the case has someone on the way who is still far.
      const relief = d.relief as Record<string, unknown> | undefined;
      const relieved = num(relief?.responderId);
      const remaining = num(relief?.remainingSeconds);
      if (relieved !== null && remaining !== null)
        list.push(t("drawer.relief", { name: nameOf(relieved), eta: etaText(remaining) }));
      return list.length ? list.join(t("common.listSeparator")) : null;
    }
    case "offer_expired": {
      const list = ids(d.responderIds);
      return list.length ? list.map(nameOf).join(t("common.listSeparator")) : null;
    }
    case "offer_withdrawn": {
      const id = num(d.responderId);
      return id === null ? null : nameOf(id);
    }
    case "device_fault": {
      const faults = Array.isArray(d.faults) ? d.faults : [];
      const known = faults.flatMap((f) => {
        const fault = DeviceFaultSchema.safeParse(f);
        return fault.success ? [t(`deviceFault.${fault.data}`)] : [];
      });
      return known.length ? known.join(t("common.listSeparator")) : null;
    }
    case "call": {
      const direction = CallDirectionSchema.safeParse(d.direction);
      const party = CallPartySchema.safeParse(d.party);
      const outcome = CallOutcomeSchema.safeParse(d.outcome);
      if (!direction.success || !party.success || !outcome.success) return null;
      const number = typeof d.number === "string" ? ` ${d.number}` : "";
      return `${t(`callDirection.${direction.data}`)} · ${t(`callParty.${party.data}`)}${number} · ${t(`callOutcome.${outcome.data}`)}`;
    }
    default:
      return null;
  }
}

/** Every step of the case to the second, oldest first. */
export function Timeline({ events }: { events: readonly CaseEventDto[] }) {
  const { t } = useTranslation();
  const responders = useStore((s) => s.responders);
  const nameOf = (id: number) => responders.get(id)?.name ?? `#${id}`;
  const now = Date.now();
  return (
    <section className="drawer-section" aria-labelledby="timeline-title">
      <h3 id="timeline-title">{t("drawer.timeline")}</h3>
      <ol className="timeline" data-testid="timeline">
        {events.map((e) => {
          const detail = eventDetail(e, t, nameOf);
          return (
            <li key={e.id} data-event={e.type}>
              <time dateTime={e.at}>{formatTimestamp(e.at, now)}</time>
              <span className="timeline-what">{t(`event.${e.type}`)}</span>
              <span className="muted">{e.actorName ?? t(`actor.${e.actorType}`)}</span>
              {detail && (
                <span className="timeline-detail" data-testid="timeline-detail">
                  {detail}
                </span>
              )}
              {e.note && <span className="timeline-note">{e.note}</span>}
            </li>
          );
        })}
      </ol>
    </section>
  );
}
