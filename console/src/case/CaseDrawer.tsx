// Side drawer for one case: resident file, timeline, offers, candidates and staff actions.
// Refetches GET /api/cases/:id whenever the case changes (its updatedAt moves). A role that may
// only read dispatch (a manager) sees the file and the timeline, no action.
import { useCallback, useState } from "react";
import { useTranslation } from "react-i18next";
import type { CaseSummary } from "../../../protocol/api.ts";
import { isAwaitingArrivalStatus } from "../../../protocol/domain.ts";
import { api } from "../api.ts";
import { useLoad } from "../hooks/useLoad.ts";
import { useCan } from "../registers/can.ts";
import { store, useStore } from "../store.ts";
import { ResponderPhone } from "../responders/ResponderPhone.tsx";
import { CaseActions } from "./CaseActions.tsx";
import { FamilyCircle } from "./FamilyCircle.tsx";
import { AwayBadge, Guidance } from "./Guidance.tsx";
import { PriorityBadge, StatusBadge, useCaseTypeLabel } from "./labels.tsx";
import { Candidates, Offers } from "./Dispatch.tsx";
import { ResidentFileView } from "./ResidentFile.tsx";
import { Timeline } from "./Timeline.tsx";

export function CaseDrawer({ caseId }: { caseId: number }) {
  const { t } = useTranslation();
  const typeLabel = useCaseTypeLabel();
  const updatedAt = useStore((s) => s.cases.get(caseId)?.updatedAt);
  const [refresh, setRefresh] = useState(0);
  const mayDispatch = useCan()("case.dispatch");
  const { data: detail, error } = useLoad(() => api.caseDetail(caseId), [caseId, updatedAt, refresh]);

  /** Every action returns the new summary: show it at once, then reload the detail. */
  const changed = useCallback((summary: CaseSummary) => {
    store.upsertCase(summary);
    setRefresh((n) => n + 1);
  }, []);

  const c = detail?.case;
  return (
    <aside
      className="drawer"
      data-testid="case-drawer"
      role="dialog"
      aria-modal="false"
      aria-labelledby="drawer-title"
    >
      <header className="drawer-head">
        <h2 id="drawer-title">{t("drawer.title", { id: caseId })}</h2>
        <button
          type="button"
          className="btn btn-ghost"
          data-testid="drawer-close"
          aria-label={t("drawer.close")}
          onClick={() => store.selectCase(null)}
        >
          ✕
        </button>
      </header>
      {error && (
        <p className="form-error" role="alert">
          {t("drawer.failedToLoad", { message: error })}
        </p>
      )}
      {!detail && !error && <p className="muted">{t("common.loading")}</p>}
      {detail && c && (
        <div className="drawer-body">
          <div className="drawer-summary">
            <PriorityBadge priority={c.priority} />
            <span className="case-type">{typeLabel(c)}</span>
            <StatusBadge status={c.status} testId="case-status" />
            <AwayBadge location={c.location} />
            {c.escalated && (
              <span className="badge badge-escalated">
                {c.escalationReason
                  ? t("drawer.escalatedTo", { reason: t(`escalation.${c.escalationReason}`) })
                  : t("queue.escalated")}
              </span>
            )}
          </div>
          {c.responderName && (
            <p>
              {t("drawer.responder")}: <strong data-testid="case-responder">{c.responderName}</strong>{" "}
              <ResponderPhone id={c.responderId} />
            </p>
          )}
          <Guidance type={c.type} who="both" />
          {mayDispatch && <CaseActions c={c} onChanged={changed} />}
          <ResidentFileView r={detail.resident} deviceId={c.deviceId} caseId={c.id} />
          <FamilyCircle residentId={c.residentId} />
          {mayDispatch && detail.offers.some((o) => o.status === "pending") && (
            <Offers c={c} offers={detail.offers} onChanged={changed} />
          )}
          {/* Manual assignment is possible until someone is at the door. */}
          {mayDispatch && isAwaitingArrivalStatus(c.status) && (
            <Candidates c={c} candidates={detail.candidates} onChanged={changed} />
          )}
          <Timeline events={detail.timeline} />
        </div>
      )}
    </aside>
  );
}
