// The dispatch console: skip link, top bar, alarm banner, the tabs of the user's role (map + queue,
// devices, responders, KPIs, case history, the registers) and the case drawer. Owns the one
// realtime connection for staff and the alarm, which sounds on every tab.
import { lazy, Suspense, useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { can } from "../../../protocol/roles.ts";
import type { Session } from "../session.ts";
import { startRealtime } from "../realtime.ts";
import { useAlarm, useNeedsAction } from "../queue/useAlarm.ts";
import { AlarmBanner } from "../queue/AlarmBanner.tsx";
import { CaseQueue } from "../queue/CaseQueue.tsx";
import { CaseDrawer } from "../case/CaseDrawer.tsx";
import { store, useStore } from "../store.ts";
import { TopBar, type Tab } from "./TopBar.tsx";
import { ReconnectingBanner } from "./Connection.tsx";
import { PlatformBanner } from "./PlatformBanner.tsx";
import { usePlatformSettings } from "./usePlatformSettings.ts";
import { IntakeLauncher } from "../intake/IntakeLauncher.tsx";

const MapView = lazy(() => import("../map/MapView.tsx"));
const DeviceHealth = lazy(() => import("../devices/DeviceHealth.tsx"));
const ResponderList = lazy(() => import("../responders/ResponderList.tsx"));
const KpiPanel = lazy(() => import("../kpi/KpiPanel.tsx"));
const CaseHistory = lazy(() => import("../history/CaseHistory.tsx"));
const RosterPage = lazy(() => import("../care/RosterPage.tsx"));
const OrdersPage = lazy(() => import("../care/OrdersPage.tsx"));
const ReportsPage = lazy(() => import("../care/ReportsPage.tsx"));
const ServiceLogPage = lazy(() => import("../care/ServiceLog.tsx"));

const ResidentsPage = lazy(() => import("../registers/residents/ResidentsPage.tsx"));
const TeamPage = lazy(() => import("../registers/responders/TeamPage.tsx"));
const UsersPage = lazy(() => import("../registers/users/UsersPage.tsx"));
const ImportPage = lazy(() => import("../registers/import/ImportPage.tsx"));
const PlatformPage = lazy(() => import("../registers/PlatformPage.tsx"));

export default function ConsoleApp({ session }: { session: Session }) {
  const { t } = useTranslation();
  const [tab, setTab] = useState<Tab>("map");
  const selected = useStore((s) => s.selectedCaseId);
  const readOnly = useStore((s) => s.selectedReadOnly);
  const settings = usePlatformSettings(session.token);
  const needsAction = useNeedsAction();
  useAlarm(needsAction, settings.alarm);

  useEffect(() => {
    const rt = startRealtime(session.token, "staff");
    return () => rt.stop();
  }, [session.token]);

  // Escape closes the drawer.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === "Escape") store.selectCase(null);
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);

  const loading = <div className="page-loading">{t("common.loading")}</div>;
  return (
    <div className="console">
      <a
        className="skip-link"
        href="#case-queue"
        data-testid="skip-to-queue"
        onClick={() => {
          setTab("map");
          // The queue may have to mount first.
          requestAnimationFrame(() => document.getElementById("case-queue")?.focus());
        }}
      >
        {t("skip.toQueue")}
      </a>
      <TopBar user={session.user} tab={tab} onTab={setTab} />
      <PlatformBanner />
      <ReconnectingBanner />
      <AlarmBanner items={needsAction} />
      {can(session.user.role, "case.dispatch") && <IntakeLauncher />}
      {/* Drawn again in the platform's zone if it is not the default the first render used. */}
      <div className="console-body" key={settings.timeZone}>
        <main className="console-main" id="main">
          <Suspense fallback={loading}>
            {tab === "map" && (
              <div className="map-layout">
                <MapView />
                <CaseQueue needsAction={needsAction} />
              </div>
            )}
            {tab === "devices" && <DeviceHealth />}
            {tab === "responders" && <ResponderList />}
            {tab === "kpis" && <KpiPanel />}
            {tab === "history" && <CaseHistory />}
            {tab === "roster" && <RosterPage />}
            {tab === "orders" && <OrdersPage />}
            {tab === "reports" && <ReportsPage />}
            {tab === "log" && <ServiceLogPage />}
            {tab === "residents" && <ResidentsPage />}
            {tab === "team" && <TeamPage />}
            {tab === "users" && <UsersPage />}
            {tab === "import" && <ImportPage />}
            {tab === "platform" && <PlatformPage />}
          </Suspense>
        </main>
        {selected !== null && <CaseDrawer key={selected} caseId={selected} readOnly={readOnly} />}
      </div>
    </div>
  );
}
