import { useTranslation } from "react-i18next";
import type { User } from "../../../protocol/api.ts";
import { can, type Permission } from "../../../protocol/roles.ts";
import { logout } from "../auth.ts";
import { ConnectionIndicator } from "./Connection.tsx";
import { LangSwitch } from "./LangSwitch.tsx";

/** Each tab and the right it needs: every role sees its own console (protocol/roles.ts). */
const TABS = {
  map: "case.read",
  devices: "device.read",
  responders: "responder.read",
  kpis: "report.read",
  history: "case.read",
  roster: "responder.read",
  orders: "case.read",
  reports: "report.read",
  log: "case.read",
  residents: "resident.read",
  team: "responder.manage",
  users: "user.manage",
  import: "resident.enrol",
  platform: "settings.manage",
} as const satisfies Record<string, Permission>;
export type Tab = keyof typeof TABS;
const REGISTER_TABS = new Set<Tab>(["residents", "team", "users", "import", "platform"]);
const CARE_TABS = new Set<Tab>(["roster", "orders", "reports", "log"]);

export const tabsOf = (user: User): Tab[] =>
  (Object.keys(TABS) as Tab[]).filter((id) => user.role !== "responder" && can(user.role, TABS[id]));

export function TopBar({ user, tab, onTab }: { user: User; tab: Tab; onTab: (t: Tab) => void }) {
  const { t } = useTranslation();
  const label = (id: Tab) =>
    REGISTER_TABS.has(id)
      ? t(`registers.nav.${id as "residents"}`)
      : CARE_TABS.has(id)
        ? t(`care.nav.${id as "roster"}`)
        : t(`tabs.${id as "map"}`);
  return (
    <header className="topbar">
      <h1 className="topbar-title">{t("app.title")}</h1>
      <nav className="tabs" role="tablist" aria-label={t("app.title")}>
        {tabsOf(user).map((id) => (
          <button
            key={id}
            type="button"
            role="tab"
            aria-selected={tab === id}
            className={`tab ${tab === id ? "tab-active" : ""}`}
            data-testid={`tab-${id}`}
            onClick={() => onTab(id)}
          >
            {label(id)}
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
