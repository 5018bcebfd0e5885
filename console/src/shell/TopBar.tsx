import { useTranslation } from "react-i18next";
import type { User } from "../../../protocol/api.ts";
import { logout } from "../auth.ts";
import { ConnectionIndicator } from "./Connection.tsx";
import { LangSwitch } from "./LangSwitch.tsx";

const TABS = ["map", "devices", "responders", "kpis", "history"] as const;
export type Tab = (typeof TABS)[number];

export function TopBar({ user, tab, onTab }: { user: User; tab: Tab; onTab: (t: Tab) => void }) {
  const { t } = useTranslation();
  return (
    <header className="topbar">
      <h1 className="topbar-title">{t("app.title")}</h1>
      <nav className="tabs" role="tablist" aria-label={t("app.title")}>
        {TABS.map((id) => (
          <button
            key={id}
            type="button"
            role="tab"
            aria-selected={tab === id}
            className={`tab ${tab === id ? "tab-active" : ""}`}
            data-testid={`tab-${id}`}
            onClick={() => onTab(id)}
          >
            {t(`tabs.${id}`)}
          </button>
        ))}
      </nav>
      <div className="topbar-right">
        <ConnectionIndicator />
        <LangSwitch />
        <span className="user" data-testid="current-user">
          {user.displayName} · {t(`roles.${user.role}`)}
        </span>
        <button type="button" className="btn btn-ghost" data-testid="logout" onClick={() => void logout()}>
          {t("common.logout")}
        </button>
      </div>
    </header>
  );
}
