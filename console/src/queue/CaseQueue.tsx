// The case queue beside the map: what needs action pinned on top, then open cases by priority and
// waiting time with live SLA clocks; filters narrow what is listed (never what sounds).
import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import type { CaseSummary } from "../../../protocol/api.ts";
import { CASE_TYPES, type CaseType } from "../../../protocol/domain.ts";
import { groupQueue } from "../lib/queue.ts";
import { isFiltering, matchesFilter, NO_FILTER, type QueueFilter } from "../lib/queue-filter.ts";
import { useStore } from "../store.ts";
import { CaseRow } from "./CaseRow.tsx";
import { NeedsActionList } from "./NeedsAction.tsx";
import type { NeedsAction } from "./useAlarm.ts";

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

function Filters({
  filter,
  onChange,
  cases,
}: {
  filter: QueueFilter;
  onChange: (f: QueueFilter) => void;
  cases: readonly CaseSummary[];
}) {
  const { t } = useTranslation();
  const communities = useMemo(() => {
    const m = new Map<number, string>();
    for (const c of cases) m.set(c.communityId, c.communityName);
    return [...m].sort((a, b) => a[1].localeCompare(b[1], "zh-CN"));
  }, [cases]);
  return (
    <div className="queue-filters" role="group" aria-label={t("queue.filters")}>
      <label className="check">
        <input
          type="checkbox"
          data-testid="filter-escalated"
          checked={filter.escalated}
          onChange={(e) => onChange({ ...filter, escalated: e.target.checked })}
        />
        {t("queue.filterEscalated")}
      </label>
      <label className="check">
        <input
          type="checkbox"
          data-testid="filter-unacked"
          checked={filter.unacked}
          onChange={(e) => onChange({ ...filter, unacked: e.target.checked })}
        />
        {t("queue.filterUnacked")}
      </label>
      <select
        aria-label={t("history.type")}
        data-testid="filter-type"
        value={filter.type ?? ""}
        onChange={(e) =>
          onChange({ ...filter, type: e.target.value === "" ? null : (e.target.value as CaseType) })
        }
      >
        <option value="">{t("queue.allTypes")}</option>
        {CASE_TYPES.map((type) => (
          <option key={type} value={type}>
            {t(`caseType.${type}`)}
          </option>
        ))}
      </select>
      <select
        aria-label={t("devices.community")}
        data-testid="filter-community"
        value={filter.communityId ?? ""}
        onChange={(e) =>
          onChange({ ...filter, communityId: e.target.value === "" ? null : Number(e.target.value) })
        }
      >
        <option value="">{t("queue.allCommunities")}</option>
        {communities.map(([id, name]) => (
          <option key={id} value={id}>
            {name}
          </option>
        ))}
      </select>
    </div>
  );
}

export function CaseQueue({ needsAction }: { needsAction: readonly NeedsAction[] }) {
  const { t } = useTranslation();
  const cases = useStore((s) => s.cases);
  const selected = useStore((s) => s.selectedCaseId);
  const [filter, setFilter] = useState<QueueFilter>(NO_FILTER);
  const all = useMemo(() => [...cases.values()], [cases]);
  const shown = useMemo(() => all.filter((c) => matchesFilter(c, filter)), [all, filter]);
  const sections = useMemo(() => groupQueue(shown), [shown]);

  return (
    <aside
      className="queue"
      aria-label={t("queue.title")}
      data-testid="case-queue"
      id="case-queue"
      tabIndex={-1}
    >
      <NeedsActionList items={needsAction} />
      <Filters filter={filter} onChange={setFilter} cases={all} />
      {isFiltering(filter) && (
        <p className="muted queue-empty" data-testid="queue-filtered">
          {t("queue.filteredOut", { shown: shown.length, total: all.length })}
        </p>
      )}
      <Section id="active" title={t("queue.active")} cases={sections.active} selected={selected} />
      {sections.followUp.length > 0 && (
        <Section id="followup" title={t("queue.followUp")} cases={sections.followUp} selected={selected} />
      )}
      <Section id="technical" title={t("queue.technical")} cases={sections.technical} selected={selected} />
    </aside>
  );
}
