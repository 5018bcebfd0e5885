import { useTranslation } from "react-i18next";
import type { CaseEventDto } from "../../../protocol/api.ts";
import { formatTimestamp } from "../lib/format.ts";

const KNOWN = [
  "created",
  "press_joined",
  "offered",
  "accepted",
  "declined",
  "offer_expired",
  "no_candidate",
  "assigned",
  "reassigned",
  "en_route",
  "arrived",
  "resolved",
  "cancelled",
  "closed",
  "escalated",
  "note",
  "follow_up",
  "staff_acknowledged",
] as const;

/** Every step of the case to the second, oldest first. */
export function Timeline({ events }: { events: readonly CaseEventDto[] }) {
  const { t } = useTranslation();
  const now = Date.now();
  return (
    <section className="drawer-section" aria-labelledby="timeline-title">
      <h3 id="timeline-title">{t("drawer.timeline")}</h3>
      <ol className="timeline" data-testid="timeline">
        {events.map((e) => {
          const known = KNOWN.find((k) => k === e.type);
          return (
            <li key={e.id} data-event={e.type}>
              <time dateTime={e.at}>{formatTimestamp(e.at, now)}</time>
              <span className="timeline-what">{known ? t(`event.${known}`) : e.type}</span>
              <span className="muted">{e.actorName ?? t(`actor.${e.actorType}`)}</span>
              {e.note && <span className="timeline-note">{e.note}</span>}
            </li>
          );
        })}
      </ol>
    </section>
  );
}
