// What happened and how long ago, and the few facts of the resident a dispatcher needs before
// anything else: who, how old, alone or not, what they live with, how to call them.
import { useTranslation } from "react-i18next";
import type { CaseSummary, ResidentFile } from "../../../protocol/api.ts";
import { useNow } from "../hooks/useNow.ts";
import { CallButton } from "../intake/CallButton.tsx";
import { formatClock, formatDuration } from "../lib/format.ts";
import { EscalationBadges } from "./EscalationBadges.tsx";
import { AwayBadge } from "./Guidance.tsx";
import { PriorityBadge, StatusBadge, useCaseTypeLabel } from "./labels.tsx";
import { ResidentIdentity } from "./ResidentFile.tsx";

export function WhatHappened({ c }: { c: CaseSummary }) {
  const { t } = useTranslation();
  const typeLabel = useCaseTypeLabel();
  const now = useNow();
  return (
    <div className="drawer-summary" data-testid="drawer-summary">
      <div className="drawer-summary-line">
        <PriorityBadge priority={c.priority} />
        <span className="case-type">{typeLabel(c)}</span>
        <StatusBadge status={c.status} testId="case-status" />
        <AwayBadge location={c.location} />
        <EscalationBadges c={c} />
      </div>
      <div className="drawer-summary-line muted">
        {t("drawer.pressed", { time: formatClock(c.createdAt) })} ·{" "}
        {t("drawer.waitingFor", { time: formatDuration((now - Date.parse(c.createdAt)) / 1000) })}
        {c.pressCount > 1 && <> · {t("queue.presses", { count: c.pressCount })}</>}
      </div>
    </div>
  );
}

/** With `caseId`, the phone number is a call button that logs the call on that case. */
export function KeyFacts({ r, caseId }: { r: ResidentFile; caseId: number | null }) {
  const { t } = useTranslation();
  return (
    <section className="drawer-section key-facts" aria-labelledby="key-facts-title" data-testid="key-facts">
      <h3 id="key-facts-title" className="sr-only">
        {t("drawer.keyFacts")}
      </h3>
      <p className="resident-name">
        <ResidentIdentity r={r} />{" "}
        {r.phone && <CallButton caseId={caseId} number={r.phone} party="resident" name={r.name} />}
      </p>
      <p className="muted address">{r.address}</p>
      {r.conditions.length > 0 && (
        <ul className="chips" aria-label={t("drawer.conditions")}>
          {r.conditions.map((x) => (
            <li key={x} className="chip chip-warn">
              {x}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
