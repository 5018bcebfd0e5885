import { memo, type KeyboardEvent } from "react";
import { useTranslation } from "react-i18next";
import type { CaseSummary } from "../../../protocol/api.ts";
import { api } from "../api.ts";
import { EscalationBadges } from "../case/EscalationBadges.tsx";
import { PriorityBadge, StatusBadge, useCaseTypeLabel } from "../case/labels.tsx";
import { useAsyncAction } from "../hooks/useAsync.ts";
import { useNow } from "../hooks/useNow.ts";
import { etaText } from "../i18n.ts";
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
 * The clocks of a row, by what the case waits for: the only part that changes every second, so
 * with hundreds of open cases the 1 Hz tick re-renders these and not every row's badges.
 */
function RowClocks({ c }: { c: CaseSummary }) {
  const { t } = useTranslation();
  const clocks = caseClocks(c, useNow());
  return (
    <div className="case-row-clocks">
      <SlaClock label={t("sla.waited")} clock={clocks.sincePress} testId={`clock-press-${c.id}`} />
      <SlaClock
        label={clocks.toAccept?.running ? t("sla.acceptIn") : t("sla.acceptedAfter")}
        lateLabel={t("sla.acceptLate")}
        clock={clocks.toAccept}
        testId={`clock-accept-${c.id}`}
      />
      <SlaClock
        label={t("sla.eta")}
        lateLabel={t("sla.etaLate")}
        clock={clocks.eta}
        testId={`clock-eta-${c.id}`}
      />
      <SlaClock
        label={clocks.toArrival?.running ? t("sla.arriveIn") : t("sla.arrivedAfter")}
        lateLabel={t("sla.arriveLate")}
        clock={clocks.toArrival}
        testId={`clock-arrival-${c.id}`}
      />
      <SlaClock
        label={t("sla.followUpDue")}
        lateLabel={t("sla.followUpOverdue")}
        clock={clocks.followUp}
        testId={`clock-followup-${c.id}`}
      />
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
      <div
        className="case-row-main"
        role="button"
        tabIndex={0}
        aria-pressed={selected}
        data-case-id={c.id}
        onKeyDown={onKey}
      >
        <div className="case-row-line">
          <PriorityBadge priority={c.priority} />
          <span className="case-type">{typeLabel(c)}</span>
          <StatusBadge status={c.status} />
          <EscalationBadges c={c} />
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
          {c.responderName && c.etaSeconds !== null && (
            <span className="muted">{t("drawer.eta", { eta: etaText(c.etaSeconds) })}</span>
          )}
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
