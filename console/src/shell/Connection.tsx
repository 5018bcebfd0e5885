// Connection indicator (dot + text) and the banner shown while the live socket is down.
import { useTranslation } from "react-i18next";
import { useStore } from "../store.ts";

export function ConnectionIndicator() {
  const { t } = useTranslation();
  const connection = useStore((s) => s.connection);
  return (
    <span
      className={`conn conn-${connection}`}
      data-testid="connection"
      data-state={connection}
      role="status"
    >
      <span className="conn-dot" aria-hidden="true" />
      {t(`conn.${connection}`)}
    </span>
  );
}

export function ReconnectingBanner() {
  const { t } = useTranslation();
  const connection = useStore((s) => s.connection);
  const everSynced = useStore((s) => s.snapshotAt !== null);
  if (connection === "connected" || connection === "idle") return null;
  return (
    <div className="banner banner-warn" data-testid="reconnecting-banner" role="alert">
      {everSynced || connection === "reconnecting" ? t("conn.banner") : t("conn.bannerConnecting")}
    </div>
  );
}
