// The case queue beside the map: open cases by priority then waiting time, live SLA clocks.
import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import type { CaseSummary } from "../../../protocol/api.ts";
import { groupQueue } from "../lib/queue.ts";
import { useStore } from "../store.ts";
import { CaseRow } from "./CaseRow.tsx";

function Section({
  id,
  title,
  cases,
  selected,
}: {
  id: string;
  title: string;
  cases: CaseSummary[];
  selected: number | null;
}) {
  const { t } = useTranslation();
  return (
    <section
      className={`queue-section queue-${id}`}
      aria-labelledby={`queue-${id}-title`}
      data-testid={`queue-${id}`}
    >
      <h2 id={`queue-${id}-title`} className="queue-heading">
        {title} <span className="count">{t("queue.count", { count: cases.length })}</span>
      </h2>
      {cases.length === 0 ? (
        <p className="muted queue-empty">{t("queue.empty")}</p>
      ) : (
        <ul className="queue-list">
          {cases.map((c) => (
            <CaseRow key={c.id} c={c} selected={c.id === selected} />
          ))}
        </ul>
      )}
    </section>
  );
}

export function CaseQueue() {
  const { t } = useTranslation();
  const cases = useStore((s) => s.cases);
  const selected = useStore((s) => s.selectedCaseId);
  const sections = useMemo(() => groupQueue(cases.values()), [cases]);

  return (
    <aside className="queue" aria-label={t("queue.title")} data-testid="case-queue">
      <Section id="active" title={t("queue.active")} cases={sections.active} selected={selected} />
      {sections.followUp.length > 0 && (
        <Section id="followup" title={t("queue.followUp")} cases={sections.followUp} selected={selected} />
      )}
      <Section id="technical" title={t("queue.technical")} cases={sections.technical} selected={selected} />
    </aside>
  );
}
