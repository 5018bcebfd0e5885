// What to do first for a case that comes with its own instructions (smoke: call 119…), as a
// checklist; staff see their part and the responder's, the phone only the responder's.
import { useTranslation } from "react-i18next";
import { guidanceFor } from "../../../protocol/sensors.ts";
import type { CaseType } from "../../../protocol/domain.ts";

export function Guidance({ type, who }: { type: CaseType; who: "staff" | "responder" | "both" }) {
  const { t } = useTranslation();
  const g = guidanceFor(type);
  if (!g) return null;
  const parts = (who === "both" ? (["staff", "responder"] as const) : [who]).map((part) => ({
    part,
    steps: g[part],
  }));
  return (
    <section className="guidance" data-testid="guidance" aria-label={t("guidance.title")}>
      <h3>{t("guidance.title")}</h3>
      {parts.map(({ part, steps }) => (
        <div key={part}>
          {who === "both" && (
            <h4>{t(part === "staff" ? "guidance.staffTitle" : "guidance.responderTitle")}</h4>
          )}
          <ol data-testid={`guidance-${part}`}>
            {steps.map((s) => (
              <li key={s}>{t(`guidance.steps.${s}`)}</li>
            ))}
          </ol>
        </div>
      ))}
    </section>
  );
}

/** "Not at home" with the fix's accuracy: help goes to the pendant's position, not the flat. */
export function AwayBadge({ location }: { location: { accuracyMeters: number; away: boolean } | null }) {
  const { t } = useTranslation();
  if (!location?.away) return null;
  return (
    <span
      className="badge badge-away"
      data-testid="case-away"
      title={t("location.accuracy", { meters: Math.round(location.accuracyMeters) })}
    >
      {t("location.away")}
    </span>
  );
}
