import { memo, type KeyboardEvent } from "react";
import { useTranslation } from "react-i18next";
import type { CaseSummary } from "../../../protocol/api.ts";
import { api } from "../api.ts";
import { PriorityBadge, StatusBadge, useCaseTypeLabel } from "../case/labels.tsx";
import { useAsyncAction } from "../hooks/useAsync.ts";
import { useNow } from "../hooks/useNow.ts";
import { isUnackedEmergency } from "../lib/queue.ts";
import { caseClocks } from "../lib/sla.ts";
import { useCan } from "../registers/can.ts";
import { store } from "../store.ts";
import { SlaClock } from "./SlaClock.tsx";

interface Props {
  c: CaseSummary;
  selected: boolean;
}

/**
 * The three clocks of a row: the only part that changes every second, so with hundreds of open
 * cases the 1 Hz tick re-renders these and not every row's badges and labels.
 */
function RowClocks({ c }: { c: CaseSummary }) {
  const { t } = useTranslation();
  const clocks = caseClocks(c, useNow());
  return (
    <div className="case-row-clocks">
      <SlaClock label={t("sla.sincePress")} clock={clocks.sincePress} testId={`clock-press-${c.id}`} />
      <SlaClock label={t("sla.toAccept")} clock={clocks.toAccept} testId={`clock-accept-${c.id}`} />
      <SlaClock label={t("sla.toArrival")} clock={clocks.toArrival} testId={`clock-arrival-${c.id}`} />
    </div>
  );
}

export const CaseRow = memo(function CaseRow({ c, selected }: Props) {
  const { t } = useTranslation();
  const typeLabel = useCaseTypeLabel();
  const alarm = isUnackedEmergency(c);
  const ack = useAsyncAction(async () => store.upsertCase(await api.ack(c.id)));
  const mayDispatch = useCan()("case.dispatch");
  const open = () => store.selectCase(c.id);
  const onKey = (e: KeyboardEvent) => {
    if (e.key === "Enter" || e.key === " ") {
      e.preventDefault();
      open();
    }
  };

  return (
    <li
      className={`case-row kind-${c.kind} prio-row-${c.priority} ${alarm ? "case-alarm" : ""} ${selected ? "case-selected" : ""}`}
      data-testid={`case-row-${c.id}`}
      data-status={c.status}
      onClick={open}
    >
      <div className="case-row-main" role="button" tabIndex={0} aria-pressed={selected} onKeyDown={onKey}>
        <div className="case-row-line">
          <PriorityBadge priority={c.priority} />
          <span className="case-type">{typeLabel(c)}</span>
          <StatusBadge status={c.status} />
          {c.escalated && <span className="badge badge-escalated">{t("queue.escalated")}</span>}
          {alarm && <span className="badge badge-unacked">{t("queue.unacked")}</span>}
        </div>
        <div className="case-row-line">
          <strong className="case-resident">{c.residentName}</strong>
          <span className="muted">{c.communityName}</span>
          {c.pressCount > 1 && <span className="muted">{t("queue.presses", { count: c.pressCount })}</span>}
        </div>
        <div className="case-row-line">
          <span className={c.responderName ? "case-responder" : "case-responder muted"}>
            {c.responderName ?? t("queue.noResponder")}
          </span>
        </div>
        <RowClocks c={c} />
      </div>
      {alarm && mayDispatch && (
        <button
          type="button"
          className="btn btn-alarm btn-small"
          data-testid={`row-ack-${c.id}`}
          disabled={ack.busy}
          title={ack.error ?? undefined}
          onClick={(e) => {
            e.stopPropagation();
            void ack.run();
          }}
        >
          {t("queue.ack")}
        </button>
      )}
    </li>
  );
});
