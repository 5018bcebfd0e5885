// A resident's service log (民情日记) on their page: every visit, service, follow-up call and
// welfare check, newest first, times in the platform's zone.
import { useTranslation } from "react-i18next";
import { useLoad } from "../hooks/useLoad.ts";
import { careApi } from "./api.ts";
import { shortDateTime } from "./time.ts";

export function ServiceLogList({ residentId }: { residentId: number }) {
  const { t } = useTranslation();
  const log = useLoad(() => careApi.serviceLog({ residentId: String(residentId) }), [residentId]);
  return (
    <section className="reg-section" data-testid="service-log">
      <h3>{t("care.log.title")}</h3>
      {log.error && <p className="error">{log.error}</p>}
      {log.data?.items.length === 0 && <p className="muted">{t("care.log.empty")}</p>}
      <ul className="care-list">
        {log.data?.items.map((e) => (
          <li key={e.id} data-kind={e.kind}>
            {shortDateTime(e.at)} · {t(`care.log.kind.${e.kind}`)}
            {e.responderName && ` · ${e.responderName}`}
            {e.minutes !== null && ` · ${t("care.log.minutes", { minutes: e.minutes })}`} — {e.content}
          </li>
        ))}
      </ul>
    </section>
  );
}
