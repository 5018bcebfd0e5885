// The responder phone app: duty toggle, location sharing, offers with countdown, the active job.
import { useEffect, useMemo, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { isAssignedStatus } from "../../../protocol/domain.ts";
import { api } from "../api.ts";
import { logout } from "../auth.ts";
import { useAsyncAction } from "../hooks/useAsync.ts";
import { formatTimestamp } from "../lib/format.ts";
import { startRealtime } from "../realtime.ts";
import type { Session } from "../session.ts";
import { store, useStore } from "../store.ts";
import { playChime, unlockAudio } from "../queue/alarm.ts";
import { ConnectionIndicator, ReconnectingBanner } from "../shell/Connection.tsx";
import { LangSwitch } from "../shell/LangSwitch.tsx";
import { ActiveCase } from "./ActiveCase.tsx";
import { ClaimableOrders } from "./ClaimableOrders.tsx";
import { OfferCard } from "./OfferCard.tsx";
import { useLocationSharing, type LocationState } from "./useLocationSharing.ts";

const NOTICE_MS = 8000;

function LocationLine({ state }: { state: LocationState }) {
  const { t } = useTranslation();
  const text =
    state.kind === "sharing"
      ? state.sentAt
        ? t("responderApp.locationSent", {
            time: formatTimestamp(new Date(state.sentAt).toISOString(), Date.now()),
          })
        : t("responderApp.locationOn")
      : state.kind === "waiting"
        ? t("responderApp.locationOn")
        : state.kind === "denied"
          ? t("responderApp.locationDenied")
          : state.kind === "unsupported"
            ? t("responderApp.locationUnsupported")
            : t("responderApp.offDutyHint");
  const bad = state.kind === "denied" || state.kind === "unsupported";
  return (
    <p className={bad ? "form-error" : "muted"} data-testid="location-state" data-state={state.kind}>
      {text}
    </p>
  );
}

export default function ResponderApp({ session }: { session: Session }) {
  const { t } = useTranslation();
  const me = useStore((s) => s.me);
  const offers = useStore((s) => s.offers);
  const cases = useStore((s) => s.cases);
  const withdrawn = useStore((s) => s.withdrawn);
  const [notice, setNotice] = useState<string | null>(null);
  const onDuty = me?.onDuty ?? false;
  const location = useLocationSharing(onDuty);

  useEffect(() => {
    const rt = startRealtime(session.token, "responder");
    return () => rt.stop();
  }, [session.token]);

  useEffect(() => {
    document.title = t("app.responderTitle");
  }, [t]);

  useEffect(() => {
    if ("serviceWorker" in navigator && import.meta.env.PROD) {
      navigator.serviceWorker.register("/sw.js").catch(() => undefined);
    }
  }, []);

  // A new offer: vibrate and chime (the card itself is big and red).
  const seen = useRef(new Set<number>());
  useEffect(() => {
    let fresh = false;
    for (const id of offers.keys()) {
      if (!seen.current.has(id)) {
        seen.current.add(id);
        fresh = true;
      }
    }
    if (fresh) {
      navigator.vibrate?.([400, 150, 400, 150, 400]);
      playChime();
    }
  }, [offers]);

  const show = (text: string) => setNotice(text);
  useEffect(() => {
    if (!notice) return;
    const id = setTimeout(() => setNotice(null), NOTICE_MS);
    return () => clearTimeout(id);
  }, [notice]);
  const lastWithdrawn = withdrawn[withdrawn.length - 1];
  useEffect(() => {
    if (lastWithdrawn) setNotice(t(`withdrawn.${lastWithdrawn.reason}`));
  }, [lastWithdrawn, t]);

  const duty = useAsyncAction(async (next: boolean) => store.setMe(await api.duty(next)));
  const active = useMemo(
    () =>
      [...cases.values()].find((c) => me !== null && c.responderId === me.id && isAssignedStatus(c.status)) ??
      null,
    [cases, me],
  );
  const offerList = useMemo(
    () => [...offers.values()].sort((a, b) => a.deadline.localeCompare(b.deadline)),
    [offers],
  );

  return (
    <div className="phone">
      <header className="phone-head">
        <div>
          <h1>{t("app.responderTitle")}</h1>
          {me && (
            <p className="muted" data-testid="responder-name">
              {me.name} · {t(`responderRole.${me.role}`)}
            </p>
          )}
        </div>
        <div className="phone-head-right">
          <ConnectionIndicator />
          <LangSwitch />
          <button
            type="button"
            className="btn btn-ghost"
            data-testid="logout"
            onClick={() => {
              // Nobody watches a logged-out phone: stop offers coming to it first.
              const off = onDuty ? api.duty(false).catch(() => undefined) : Promise.resolve();
              void off.then(logout);
            }}
          >
            {t("common.logout")}
          </button>
        </div>
      </header>
      <ReconnectingBanner />
      <main className="phone-main">
        {notice && (
          <p className="banner banner-info" role="status" data-testid="notice">
            {notice}
          </p>
        )}
        <section className="card duty-card">
          <p className={`duty-state ${onDuty ? "duty-on" : "duty-off"}`} data-testid="duty-state">
            {onDuty ? t("responderApp.onDuty") : t("responderApp.offDuty")}
          </p>
          <button
            type="button"
            className={onDuty ? "btn btn-secondary btn-huge" : "btn btn-primary btn-huge"}
            data-testid="duty-toggle"
            aria-pressed={onDuty}
            data-on-duty={onDuty}
            disabled={!me || duty.busy}
            onClick={() => {
              unlockAudio();
              void duty.run(!onDuty);
            }}
          >
            {onDuty ? t("responderApp.goOffDuty") : t("responderApp.goOnDuty")}
          </button>
          {duty.error && (
            <p className="form-error" role="alert">
              {duty.error}
            </p>
          )}
          <LocationLine state={location} />
        </section>

        {offerList.map((o) => (
          <OfferCard key={o.id} offer={o} onTaken={() => show(t("responderApp.taken"))} />
        ))}

        {active && (
          <ActiveCase key={active.id} c={active} onResolved={() => show(t("responderApp.resolvedThanks"))} />
        )}

        <ClaimableOrders />

        {!active && offerList.length === 0 && onDuty && (
          <p className="muted waiting">{t("responderApp.waiting")}</p>
        )}
      </main>
    </div>
  );
}
