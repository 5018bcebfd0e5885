// The family view (same PWA, route /family): each elder of the family member, their open case
// live (Socket.IO `family:case`, the snapshot refetched on every reconnect), their history, and
// what the resident agreed they may see of their health.
import { useCallback, useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { io, type Socket } from "socket.io-client";
import type { FamilyCase, FamilyElder } from "../../../protocol/api.ts";
import type { ClientToServerEvents, ServerToClientEvents } from "../../../protocol/socket.ts";
import { logout } from "../auth.ts";
import { errorText } from "../i18n.ts";
import { formatDateTime } from "../lib/format.ts";
import type { Session } from "../session.ts";
import { PushLine } from "../responder/PushLine.tsx";
import { forgetPush } from "../responder/usePush.ts";
import { LangSwitch } from "../shell/LangSwitch.tsx";
import { usePlatformSettings } from "../shell/usePlatformSettings.ts";
import { familyApi } from "./api.ts";
import { CaseProgress } from "./CaseProgress.tsx";

const OPEN_STAGES = new Set(["received", "coming", "on_scene"]);

function History({ residentId, version }: { residentId: number; version: number }) {
  const { t } = useTranslation();
  const [cases, setCases] = useState<FamilyCase[] | null>(null);
  useEffect(() => {
    let live = true;
    familyApi.history(residentId).then(
      (c) => live && setCases(c),
      () => live && setCases([]),
    );
    return () => {
      live = false;
    };
  }, [residentId, version]);
  const past = (cases ?? []).filter((c) => !OPEN_STAGES.has(c.stage));
  return (
    <details className="family-history" data-testid="family-history">
      <summary>{t("familyApp.history")}</summary>
      {past.length === 0 ? (
        <p className="muted">{t("familyApp.noHistory")}</p>
      ) : (
        <ul>
          {past.map((c) => (
            <li key={c.id}>
              {t(`caseType.${c.type}`)} · {t(`familyStage.${c.stage}`)} ·{" "}
              <time dateTime={c.createdAt}>{formatDateTime(c.createdAt)}</time>
            </li>
          ))}
        </ul>
      )}
    </details>
  );
}

export default function FamilyApp({ session }: { session: Session }) {
  const { t } = useTranslation();
  const [elders, setElders] = useState<FamilyElder[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [connected, setConnected] = useState(false);
  const [version, setVersion] = useState(0);
  // Times in the platform's zone, wherever the family member lives.
  const { timeZone } = usePlatformSettings(session.token);

  const load = useCallback(() => {
    familyApi.home().then(
      (h) => {
        setElders(h.elders);
        setError(null);
      },
      (err: unknown) => setError(errorText(err)),
    );
  }, []);

  /** A case moved: show it at once on its elder (an older case's news never replaces a newer open one). */
  const caseChanged = useCallback((c: FamilyCase) => {
    setElders((list) =>
      (list ?? []).map((e) =>
        e.residentId !== c.residentId ||
        (e.openCase && e.openCase.id > c.id && OPEN_STAGES.has(e.openCase.stage))
          ? e
          : { ...e, openCase: c },
      ),
    );
    setVersion((v) => v + 1);
  }, []);

  useEffect(() => {
    document.title = t("familyApp.title");
  }, [t]);

  // The phone app's service worker shows the notices with this page closed.
  useEffect(() => {
    if ("serviceWorker" in navigator && import.meta.env.PROD) {
      navigator.serviceWorker.register("/sw.js").catch(() => undefined);
    }
  }, []);

  const signOut = async () => {
    await forgetPush("family");
    await logout();
  };

  useEffect(() => {
    const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io({
      auth: { token: session.token },
      transports: ["websocket"],
      reconnectionDelayMax: 5000,
    });
    socket.on("connect", () => {
      setConnected(true);
      load(); // the snapshot after every (re)connect, then the deltas
    });
    socket.on("disconnect", () => setConnected(false));
    socket.on("family:case", caseChanged);
    return () => {
      socket.close();
    };
  }, [session.token, load, caseChanged]);

  return (
    <main className="phone family" data-testid="family-app" key={timeZone}>
      <header className="phone-head">
        <h1>{t("familyApp.title")}</h1>
        <span className="muted" data-testid="connection" data-state={connected ? "connected" : "offline"}>
          {connected ? t("familyApp.live") : t("familyApp.offline")}
        </span>
        <LangSwitch />
        <button type="button" className="btn btn-ghost" data-testid="logout" onClick={() => void signOut()}>
          {t("familyApp.signOut")}
        </button>
      </header>
      <PushLine
        app="family"
        texts={{
          enable: t("familyApp.enableNotifications"),
          on: t("familyApp.notificationsOn"),
          denied: t("familyApp.notificationsDenied"),
          unsupported: t("familyApp.notificationsUnsupported"),
        }}
      />
      {error && <p className="form-error">{error}</p>}
      {elders?.length === 0 && <p className="muted">{t("familyApp.noElders")}</p>}
      {elders?.map((e) => (
        <section key={e.residentId} className="family-elder" data-testid={`family-elder-${e.residentId}`}>
          <h2>
            {e.name} <span className="muted">({e.relation})</span>
          </h2>
          {e.openCase ? (
            <CaseProgress c={e.openCase} onChanged={caseChanged} />
          ) : (
            <p className="muted" data-testid="family-all-well">
              {t("familyApp.noOpenCase")}
            </p>
          )}
          {e.medical && (
            <div className="family-medical" data-testid="family-medical">
              <h3>{t("familyApp.medical")}</h3>
              <p>
                {t("familyApp.conditions")}: {e.medical.conditions.join("、") || "—"}
              </p>
              <p>
                {t("familyApp.medicines")}: {e.medical.medicines.join("、") || "—"}
              </p>
            </div>
          )}
          <History residentId={e.residentId} version={version} />
        </section>
      ))}
    </main>
  );
}
