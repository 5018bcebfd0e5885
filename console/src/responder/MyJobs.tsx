// "My jobs": what this responder did this month, with today's and the month's service time
// (time at the door, from arrival to resolution, as the service log records it).
import { useTranslation } from "react-i18next";
import { api } from "../api.ts";
import { StatusBadge, useCaseTypeLabel } from "../case/labels.tsx";
import { useLoad } from "../hooks/useLoad.ts";
import { formatTimestamp } from "../lib/format.ts";

const hours = (minutes: number) => (Math.round((minutes / 60) * 10) / 10).toFixed(1);

export function MyJobs() {
  const { t } = useTranslation();
  const typeLabel = useCaseTypeLabel();
  const { data, error } = useLoad(() => api.jobs(), []);
  if (error) return <p className="form-error">{error}</p>;
  if (!data) return <p className="muted">{t("common.loading")}</p>;
  const now = Date.now();
  return (
    <section className="card" data-testid="my-jobs" aria-labelledby="my-jobs-title">
      <h2 id="my-jobs-title">{t("responderApp.myJobs")}</h2>
      <div className="job-totals">
        {(["today", "month"] as const).map((p) => (
          <div key={p} className="job-total" data-testid={`jobs-${p}`}>
            <span className="muted">
              {t(p === "today" ? "responderApp.today" : "responderApp.thisMonth")}
            </span>
            <strong>{t("responderApp.jobCount", { count: data[p].jobs })}</strong>
            <span data-testid={`hours-${p}`}>
              {t("responderApp.serviceHours", { hours: hours(data[p].serviceMinutes) })}
            </span>
          </div>
        ))}
      </div>
      {data.jobs.length === 0 ? (
        <p className="muted">{t("responderApp.noJobs")}</p>
      ) : (
        <ul className="job-list">
          {data.jobs.map((j) => (
            <li key={j.caseId} data-testid={`job-${j.caseId}`}>
              <div className="job-line">
                <strong>{j.residentName}</strong> <StatusBadge status={j.status} />
              </div>
              <div className="muted">
                {typeLabel(j)} · {j.acceptedAt ? formatTimestamp(j.acceptedAt, now) : "—"}
                {j.serviceMinutes !== null &&
                  ` · ${t("responderApp.serviceMinutes", { minutes: j.serviceMinutes })}`}
              </div>
              <div className="muted">{j.address}</div>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
