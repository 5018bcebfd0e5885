// Side drawer for one case, in dispatch order: what happened and how long ago, and what to do first
// where the case type says (smoke: call 119); the resident's key facts; who is coming with their
// ETA, or the candidates to assign; the stage's main action; a compact toolbar of secondary
// actions; then the timeline, the full resident file and the family circle. Refetches
// GET /api/cases/:id whenever the case changes (its updatedAt moves). Opened from the history it
// is read-only, and so it is for a role that may only read dispatch (a manager). Focus moves to
// its heading on open and back where it came from on close.
import { useCallback, useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import type { CaseSummary } from "../../../protocol/api.ts";
import { isAwaitingArrivalStatus } from "../../../protocol/domain.ts";
import { api } from "../api.ts";
import { useLoad } from "../hooks/useLoad.ts";
import { etaText } from "../i18n.ts";
import { formatClock } from "../lib/format.ts";
import { useCan } from "../registers/can.ts";
import { store, useStore } from "../store.ts";
import { ResponderPhone } from "../responders/ResponderPhone.tsx";
import { CaseToolbar, StageAction } from "./CaseActions.tsx";
import { FamilyCircle } from "./FamilyCircle.tsx";
import { Guidance } from "./Guidance.tsx";
import { Candidates, Offers } from "./Dispatch.tsx";
import { KeyFacts, WhatHappened } from "./KeyFacts.tsx";
import { ResidentFileView } from "./ResidentFile.tsx";
import { Timeline } from "./Timeline.tsx";

function Coming({ c }: { c: CaseSummary }) {
  const { t } = useTranslation();
  if (!c.responderName) return null;
  const expected =
    c.acceptedAt !== null && c.etaSeconds !== null
      ? new Date(Date.parse(c.acceptedAt) + c.etaSeconds * 1000).toISOString()
      : null;
  return (
    <section className="drawer-section" aria-labelledby="coming-title">
      <h3 id="coming-title">{t("drawer.coming")}</h3>
      <p>
        <strong data-testid="case-responder">{c.responderName}</strong> <ResponderPhone id={c.responderId} />
        {c.etaSeconds !== null && isAwaitingArrivalStatus(c.status) && (
          <span className="muted" data-testid="case-eta">
            {" "}
            · {t("drawer.eta", { eta: etaText(c.etaSeconds) })}
            {expected && <> · {t("drawer.etaAt", { time: formatClock(expected) })}</>}
          </span>
        )}
      </p>
    </section>
  );
}

export function CaseDrawer({ caseId, readOnly }: { caseId: number; readOnly: boolean }) {
  const { t } = useTranslation();
  const updatedAt = useStore((s) => s.cases.get(caseId)?.updatedAt);
  const settings = useStore((s) => s.settings);
  const [refresh, setRefresh] = useState(0);
  const acts = useCan()("case.dispatch") && !readOnly;
  const { data: detail, error } = useLoad(() => api.caseDetail(caseId), [caseId, updatedAt, refresh]);
  const heading = useRef<HTMLHeadingElement>(null);

  // Focus the heading on open; give it back to whatever opened the drawer on close.
  useEffect(() => {
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    heading.current?.focus();
    return () => {
      if (opener?.isConnected) opener.focus();
      else document.getElementById("case-queue")?.focus();
    };
  }, [caseId]);

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
      data-read-only={readOnly}
      role="dialog"
      aria-modal="false"
      aria-labelledby="drawer-title"
    >
      <header className="drawer-head">
        <h2 id="drawer-title" ref={heading} tabIndex={-1}>
          {t("drawer.title", { id: caseId })}
          {readOnly && <span className="drawer-readonly"> · {t("drawer.readOnly")}</span>}
        </h2>
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
      {!detail && !error && <p className="muted drawer-loading">{t("common.loading")}</p>}
      {detail && c && (
        <div className="drawer-body">
          <WhatHappened c={c} />
          <Guidance type={c.type} who="both" />
          <KeyFacts r={detail.resident} caseId={acts ? c.id : null} />
          <Coming c={c} />
          {acts && detail.offers.some((o) => o.status === "pending") && (
            <Offers c={c} offers={detail.offers} listed={detail.candidates} onChanged={changed} />
          )}
          {/* Manual assignment is possible until someone is at the door. */}
          {acts && isAwaitingArrivalStatus(c.status) && (
            <Candidates c={c} candidates={detail.candidates} onChanged={changed} />
          )}
          {acts && <StageAction c={c} onChanged={changed} platform={settings} />}
          {acts && <CaseToolbar c={c} onChanged={changed} />}
          <Timeline events={detail.timeline} />
          <ResidentFileView r={detail.resident} deviceId={c.deviceId} caseId={acts ? c.id : null} />
          <FamilyCircle residentId={c.residentId} />
        </div>
      )}
    </aside>
  );
}
