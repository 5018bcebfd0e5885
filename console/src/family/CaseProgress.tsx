// One case as the family follows it: received → someone coming (who, ETA) → on scene → resolved,
// with family members on their way, and "I'm on my way".
import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { FamilyCase } from "../../../protocol/api.ts";
import { formatTimestamp } from "../lib/format.ts";
import { useAsyncAction } from "../hooks/useAsync.ts";
import { familyApi } from "./api.ts";

const ENDED = new Set(["resolved", "cancelled"]);

export function CaseProgress({ c, onChanged }: { c: FamilyCase; onChanged: (c: FamilyCase) => void }) {
  const { t } = useTranslation();
  const [eta, setEta] = useState("");
  const [told, setTold] = useState(false);
  const onMyWay = useAsyncAction(async () => {
    const minutes = /^\d+$/.test(eta.trim()) ? Number(eta.trim()) : null;
    onChanged(await familyApi.onMyWay(c.id, minutes));
    setTold(true);
  });
  const now = Date.now();
  return (
    <section className="card family-case" data-testid="family-case" data-stage={c.stage} data-case-id={c.id}>
      <header className="offer-head">
        <h2>{t(`caseType.${c.type}`)}</h2>
        <span className={`badge family-stage stage-${c.stage}`} data-testid="family-stage">
          {t(`familyStage.${c.stage}`)}
        </span>
      </header>
      {c.away && <p className="badge badge-away">{t("familyApp.away")}</p>}
      {c.stage === "coming" && c.responderName && (
        <p className="family-coming" data-testid="family-coming">
          <strong>{t("familyApp.responderComing", { name: c.responderName })}</strong>
          {c.etaSeconds !== null && (
            <span> · {t("familyApp.eta", { minutes: Math.max(1, Math.round(c.etaSeconds / 60)) })}</span>
          )}
        </p>
      )}
      <ol className="family-steps" data-testid="family-steps">
        {c.steps.map((s, i) => (
          <li key={`${s.type}-${i}`} data-step={s.type}>
            <span>{t(`familyStage.${s.type}`)}</span>
            {s.name && <span> · {s.name}</span>}
            <time className="muted" dateTime={s.at}>
              {" "}
              {formatTimestamp(s.at, now)}
            </time>
          </li>
        ))}
      </ol>
      {c.resolutionNote && (
        <p>
          {t("familyApp.resolutionNote")}: {c.resolutionNote}
        </p>
      )}
      {!ENDED.has(c.stage) && (
        <div className="family-on-way">
          <label className="field">
            <span>{t("familyApp.onMyWayEta")}</span>
            <input
              data-testid="family-eta"
              inputMode="numeric"
              value={eta}
              onChange={(e) => setEta(e.target.value)}
            />
          </label>
          <button
            type="button"
            className="btn btn-primary btn-big"
            data-testid="family-on-my-way"
            disabled={onMyWay.busy}
            onClick={() => void onMyWay.run()}
          >
            {t("familyApp.onMyWay")}
          </button>
          {told && (
            <p className="muted" data-testid="family-on-my-way-sent">
              {t("familyApp.onMyWaySent")}
            </p>
          )}
          {onMyWay.error && <p className="form-error">{onMyWay.error}</p>}
        </div>
      )}
    </section>
  );
}
