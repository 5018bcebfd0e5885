// The platform-fault banner: shown to staff while the server reports a problem (the database
// cannot commit, the MQTT link is down), so nobody on a night shift trusts a quiet queue.
import { useTranslation } from "react-i18next";
import { formatTimestamp } from "../lib/format.ts";
import { useStore } from "../store.ts";

export function PlatformBanner() {
  const { t } = useTranslation();
  const platform = useStore((s) => s.platform);
  if (!platform || platform.status === "ok") return null;
  const now = Date.now();
  return (
    <div className="banner banner-fault" role="alert" data-testid="platform-banner">
      <strong>{t("platform.title")}</strong>
      <ul className="banner-list">
        {platform.problems.map((p) => (
          <li key={p.code} data-testid={`platform-problem-${p.code}`}>
            {t(`platform.${p.code}`, {
              since: formatTimestamp(p.since, now),
              fault: p.fault ? t(`platform.fault.${p.fault}`) : "",
            })}
          </li>
        ))}
      </ul>
    </div>
  );
}
