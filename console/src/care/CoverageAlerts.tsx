// The stored coverage alerts of the user's communities (a stretch ahead with no caregiver on
// shift, raised 12 h before it starts): kept live from the socket, each acknowledged by whoever
// has seen it. An alert stays until the roster covers the stretch or the stretch has gone by.
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import type { CoverageAlert } from "../../../protocol/api.ts";
import { errorText } from "../i18n.ts";
import { useLoad } from "../hooks/useLoad.ts";
import { formatShortDateTime } from "../lib/format.ts";
import { careApi } from "./api.ts";
import { onCoverageAlert } from "./order-events.ts";

export function CoverageAlerts() {
  const { t } = useTranslation();
  const [reload, setReload] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const alerts = useLoad(() => careApi.coverageAlerts(), [reload]);
  useEffect(() => onCoverageAlert(() => setReload((n) => n + 1)), []);

  const acknowledge = (a: CoverageAlert) => {
    setError(null);
    careApi.acknowledgeCoverageAlert(a.id).then(
      () => setReload((n) => n + 1),
      (err: unknown) => setError(errorText(err)),
    );
  };

  const open = alerts.data ?? [];
  return (
    <div className="care-coverage" aria-labelledby="coverage-title">
      <h3 id="coverage-title">{t("care.coverage.title")}</h3>
      {(alerts.error ?? error) && <p className="error">{alerts.error ?? error}</p>}
      {alerts.data && open.length === 0 && (
        <p className="muted" data-testid="coverage-none">
          {t("care.coverage.none")}
        </p>
      )}
      {open.length > 0 && (
        <ul className="care-list" data-testid="coverage-alerts">
          {open.map((a) => (
            <li key={a.id} data-testid={`coverage-alert-${a.id}`}>
              <strong>{a.communityName}</strong> · {formatShortDateTime(a.from)}–
              {formatShortDateTime(a.until)}{" "}
              <span className="muted">
                {t("care.coverage.raised", { at: formatShortDateTime(a.raisedAt) })}
              </span>
              {" · "}
              {a.acknowledgedAt ? (
                <span className="muted" data-testid={`coverage-seen-${a.id}`}>
                  {t("care.coverage.seenBy", {
                    name: a.acknowledgedBy ?? "—",
                    at: formatShortDateTime(a.acknowledgedAt),
                  })}
                </span>
              ) : (
                <button
                  type="button"
                  className="btn btn-ghost"
                  data-testid={`coverage-ack-${a.id}`}
                  onClick={() => acknowledge(a)}
                >
                  {t("care.coverage.acknowledge")}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
