// The responder phone app: duty, location sharing, presence heartbeats and lock-screen push,
// offers with countdown, the active job, "my jobs", and honest messages about what happened.
// The last known state is kept on the phone and actions taken offline are sent once when back.
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import type { CaseDetail, CaseSummary, ResponderMe } from "../../../protocol/api.ts";
import { isAssignedStatus } from "../../../protocol/domain.ts";
import { api } from "../api.ts";
import { logout } from "../auth.ts";
import { useAsyncAction } from "../hooks/useAsync.ts";
import { errorText } from "../i18n.ts";
import { formatClock, formatTimestamp } from "../lib/format.ts";
import { audioBlocked, playChime, unlockAudio } from "../queue/alarm.ts";
import { startRealtime, type Realtime } from "../realtime.ts";
import type { Session } from "../session.ts";
import { ConnectionIndicator, ReconnectingBanner } from "../shell/Connection.tsx";
import { LangSwitch } from "../shell/LangSwitch.tsx";
import { usePlatformSettings } from "../shell/usePlatformSettings.ts";
import { store, useStore } from "../store.ts";
import { ActiveCase } from "./ActiveCase.tsx";
import { MyJobs } from "./MyJobs.tsx";
import { ClaimableOrders } from "./ClaimableOrders.tsx";
import { OfferCard } from "./OfferCard.tsx";
import {
  createOutbox,
  pendingStatus,
  usePending,
  type Outcome,
  type PhoneAction,
  type Queued,
} from "./outbox.ts";
import { clearCache, loadCache, saveCache } from "./phone-cache.ts";
import "./phone.css";
import { useHeartbeat } from "./useHeartbeat.ts";
import { useLocationSharing, type LocationState } from "./useLocationSharing.ts";
import { PushLine } from "./PushLine.tsx";
import { forgetPush } from "./usePush.ts";
import { useWakeLock } from "./useWakeLock.ts";

const NOTICE_MS = 8000;
const RETRY_QUEUE_MS = 15_000;
const OFFER_VIBRATION = [400, 150, 400, 150, 400];
const ALERT_VIBRATION = [600, 200, 600, 200, 600];

type Notice = { text: string; urgent: boolean; testId?: string };

const ACTION_LABEL = {
  accept: "responderApp.accept",
  decline: "responderApp.decline",
  en_route: "responderApp.enRoute",
  arrived: "responderApp.arrived",
  resolve: "responderApp.resolve",
  note: "responderApp.note",
  call: "responderApp.call",
  help: "responderApp.askHelp",
} as const satisfies Record<PhoneAction["kind"], string>;

/** On the platform's clock, not the phone's. */
const hhmm = (ms: number) => formatClock(new Date(ms).toISOString());

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

function ResponderPushLine() {
  const { t } = useTranslation();
  return (
    <PushLine
      app="responder"
      texts={{
        enable: t("responderApp.enableNotifications"),
        on: t("responderApp.notificationsOn"),
        denied: t("responderApp.notificationsDenied"),
        unsupported: t("responderApp.notificationsUnsupported"),
      }}
    />
  );
}

export default function ResponderApp({ session }: { session: Session }) {
  const { t } = useTranslation();
  const responderId = session.user.responderId ?? 0;
  const me = useStore((s) => s.me);
  const offers = useStore((s) => s.offers);
  const cases = useStore((s) => s.cases);
  const withdrawn = useStore((s) => s.withdrawn);
  const snapshotAt = useStore((s) => s.snapshotAt);
  const connection = useStore((s) => s.connection);
  const dutyDeskPhone = useStore((s) => s.dutyDeskPhone);
  const presenceNotice = useStore((s) => s.presenceNotice);
  const { timeZone } = usePlatformSettings(session.token);
  const [notice, setNotice] = useState<Notice | null>(null);
  const [view, setView] = useState<"now" | "jobs">("now");
  const [soundBlocked, setSoundBlocked] = useState(false);
  const [openedOffer] = useState(
    () => Number(new URLSearchParams(window.location.search).get("offer")) || null,
  );
  const onDuty = me?.onDuty ?? false;
  const location = useLocationSharing(onDuty);
  useHeartbeat(onDuty);
  const realtime = useRef<Realtime | null>(null);

  const say = useCallback((text: string, urgent = false, testId?: string) => {
    setNotice({ text, urgent, ...(testId ? { testId } : {}) });
    if (urgent) navigator.vibrate?.(ALERT_VIBRATION);
  }, []);

  // What was done offline and has now been answered. The notice sums up every answer since the
  // phone last started queueing, so a refusal stays in view when a later action goes through.
  const sentBatch = useRef<{ action: string; refused: string | null }[]>([]);
  const sentRef = useRef<(q: Queued, o: Exclude<Outcome, { kind: "queued" }>) => void>(() => undefined);
  sentRef.current = (q, o) => {
    if (o.kind === "done" && o.summary) store.upsertCase(o.summary);
    sentBatch.current.push({
      action: t(ACTION_LABEL[q.action.kind]),
      refused: o.kind === "done" ? null : errorText(o.error),
    });
    const refused = sentBatch.current.filter((r) => r.refused !== null);
    const done = sentBatch.current.filter((r) => r.refused === null).map((r) => r.action);
    const lines = [
      ...refused.map((r) => t("responderApp.sentFailed", { action: r.action, reason: r.refused })),
      ...(done.length > 0
        ? [t("responderApp.sentOk", { action: done.join(t("common.listSeparator")) })]
        : []),
    ];
    setNotice({ text: lines.join(" "), urgent: refused.length > 0, testId: "sent-notice" });
    if (o.kind === "refused") navigator.vibrate?.(ALERT_VIBRATION);
    void realtime.current?.resync();
  };
  const outbox = useMemo(() => createOutbox(responderId, (q, o) => sentRef.current(q, o)), [responderId]);
  const queued = usePending(outbox);
  const wasQueued = useRef(0);
  useEffect(() => {
    if (wasQueued.current === 0 && queued.length > 0) sentBatch.current = [];
    wasQueued.current = queued.length;
  }, [queued.length]);

  // The copy kept on the phone first, so a reload without network still shows the job.
  const [cached] = useState(() => {
    const c = loadCache(responderId);
    if (c && store.get().snapshotAt === null) store.responderSnapshot(c.me, c.syncedAt);
    return c;
  });

  useEffect(() => {
    const rt = startRealtime(session.token, "responder");
    realtime.current = rt;
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

  // Back online: send what waits (the socket reconnecting means the network is back too).
  useEffect(() => {
    if (connection === "connected") void outbox.flush();
  }, [connection, outbox]);
  useEffect(() => {
    const flush = () => void outbox.flush();
    window.addEventListener("online", flush);
    const timer = setInterval(() => {
      if (outbox.pending().length > 0) flush();
    }, RETRY_QUEUE_MS);
    return () => {
      window.removeEventListener("online", flush);
      clearInterval(timer);
    };
  }, [outbox]);

  // A new offer: vibrate and chime (the card itself is big and red); say so if sound is blocked.
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
      navigator.vibrate?.(OFFER_VIBRATION);
      playChime();
      setSoundBlocked(audioBlocked());
    }
  }, [offers]);

  useEffect(() => {
    if (!notice || notice.urgent) return;
    const id = setTimeout(() => setNotice(null), NOTICE_MS);
    return () => clearTimeout(id);
  }, [notice]);

  const lastWithdrawn = withdrawn[withdrawn.length - 1];
  useEffect(() => {
    if (!lastWithdrawn) return;
    const { reason } = lastWithdrawn;
    say(
      t(`withdrawn.${reason}`),
      reason === "reassigned",
      reason === "declined" ? "declined-notice" : "withdrawn-notice",
    );
  }, [lastWithdrawn, t, say]);

  useEffect(() => {
    if (!presenceNotice) return;
    const at = (iso: string) => hhmm(Date.parse(iso));
    const vars = { since: at(presenceNotice.since), until: at(presenceNotice.until) };
    say(
      t(
        presenceNotice.kind === "taken_off_duty"
          ? "responderApp.takenOffDuty"
          : "responderApp.wasUnreachable",
        vars,
      ),
      true,
      "presence-notice",
    );
    store.setPresenceNotice(null);
  }, [presenceNotice, t, say]);

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

  // A job that leaves this phone without the responder resolving it: say why, loudly.
  const held = useRef<number | null>(null);
  const resolvedHere = useRef(new Set<number>());
  useEffect(() => {
    const previous = held.current;
    held.current = active?.id ?? null;
    if (previous === null || previous === active?.id || me === null) return;
    if (resolvedHere.current.has(previous)) return;
    const explain = (c: CaseSummary) => {
      if (c.responderId !== null && c.responderId !== me.id) {
        say(
          t("responderApp.reassignedAway", { name: c.responderName ?? t("push.someoneElse") }),
          true,
          "reassigned-notice",
        );
      } else if (c.status === "cancelled") {
        say(t("responderApp.cancelledActive", { resident: c.residentName }), true, "reassigned-notice");
      }
    };
    const known = store.get().cases.get(previous);
    if (known) explain(known);
    // Learned from a fresh snapshot (after a reload or reconnect): ask what became of it.
    else
      api.caseDetail(previous).then(
        (d) => explain(d.case),
        () => undefined,
      );
  }, [active, me, t, say]);

  // The resident's file for the job; offline, the copy kept with the job.
  const [resident, setResident] = useState<CaseDetail["resident"] | null>(() =>
    cached && cached.me.activeCase?.id === active?.id ? cached.resident : null,
  );
  useEffect(() => {
    if (!active) return setResident(null);
    let live = true;
    api.caseDetail(active.id).then(
      (d) => live && setResident(d.resident),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [active?.id, connection]);

  // Keep what the phone knows on the phone.
  useEffect(() => {
    if (!me || snapshotAt === null) return;
    const copy: ResponderMe = {
      responder: me,
      offers: [],
      activeCase: active,
      presence: {
        phoneState: me.phoneState,
        onDuty: me.onDuty,
        heartbeatSeconds: 30,
        presenceSeconds: 120,
        notice: null,
      },
      dutyDeskPhone,
    };
    saveCache(responderId, copy, snapshotAt, active && resident ? resident : null);
  }, [me, active, resident, snapshotAt, dutyDeskPhone, responderId]);

  const screenOn = useWakeLock(active !== null);

  const act = useCallback(
    async (a: PhoneAction): Promise<Outcome> => {
      const outcome = await outbox.run(a);
      if (outcome.kind === "queued") {
        say(t("responderApp.queued"), false, "queued-notice");
      } else if (outcome.kind === "done") {
        if (outcome.summary) store.upsertCase(outcome.summary);
        if (a.kind === "resolve") {
          resolvedHere.current.add(a.caseId);
          say(t("responderApp.resolvedThanks"));
        } else if (a.kind === "note") say(t("responderApp.noteSaved"));
        else if (a.kind === "help") say(t("responderApp.helpSent"), false, "help-notice");
      } else if (a.kind !== "accept" && a.kind !== "decline") {
        say(errorText(outcome.error), true);
      }
      return outcome;
    },
    [outbox, say, t],
  );

  const duty = useAsyncAction(async (next: boolean) => store.setMe(await api.duty(next)));

  const leave = async () => {
    // Nobody watches a logged-out phone: stop offers coming to it first.
    if (onDuty) await api.duty(false).catch(() => undefined);
    await outbox.flush().catch(() => undefined);
    await forgetPush("responder");
    clearCache(responderId);
    await logout();
  };

  const pendingOfActive = active ? pendingStatus(active.id, queued) : null;
  const offline = connection !== "connected";

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
          <button type="button" className="btn btn-ghost" data-testid="logout" onClick={() => void leave()}>
            {t("common.logout")}
          </button>
        </div>
      </header>
      <ReconnectingBanner />
      <nav className="phone-tabs">
        <button
          type="button"
          aria-pressed={view === "now"}
          data-testid="tab-now"
          onClick={() => setView("now")}
        >
          {t("responderApp.activeTitle")}
        </button>
        <button
          type="button"
          aria-pressed={view === "jobs"}
          data-testid="tab-jobs"
          onClick={() => setView("jobs")}
        >
          {t("responderApp.myJobs")}
        </button>
      </nav>
      <main className="phone-main" key={timeZone}>
        {notice && (
          <p
            className={notice.urgent ? "banner banner-alarm phone-notice" : "banner banner-info phone-notice"}
            role={notice.urgent ? "alert" : "status"}
            data-testid={notice.testId ?? "notice"}
            onClick={() => setNotice(null)}
          >
            {notice.text}
          </p>
        )}
        {soundBlocked && (
          <button
            type="button"
            className="btn btn-danger"
            data-testid="enable-sound"
            onClick={() => {
              unlockAudio();
              playChime();
              setSoundBlocked(false);
            }}
          >
            {t("responderApp.soundBlocked")} · {t("responderApp.enableSound")}
          </button>
        )}
        {view === "jobs" ? (
          <MyJobs />
        ) : (
          <>
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
              <ResponderPushLine />
              <p className={offline ? "sync-line sync-offline" : "sync-line muted"} data-testid="last-sync">
                {snapshotAt === null
                  ? t("responderApp.neverSynced")
                  : t("responderApp.lastSync", { time: hhmm(snapshotAt) })}
                {offline && ` · ${t("responderApp.offline")}`}
              </p>
            </section>

            {queued.length > 0 && (
              <section className="card pending-card" data-testid="pending-actions">
                <h2>{t("responderApp.pendingTitle", { count: queued.length })}</h2>
                <ul>
                  {queued.map((q) => (
                    <li key={q.key}>
                      {t(ACTION_LABEL[q.action.kind])} · {hhmm(q.at)}
                    </li>
                  ))}
                </ul>
              </section>
            )}

            {offerList.map((o) => (
              <OfferCard
                key={o.id}
                offer={o}
                highlight={o.id === openedOffer}
                act={act}
                onAnswered={(how) => {
                  if (how === "closed") say(t("responderApp.taken"));
                  if (how === "declined") say(t("responderApp.declined"), false, "declined-notice");
                }}
              />
            ))}
            {openedOffer !== null && snapshotAt !== null && !offers.has(openedOffer) && !active && (
              <p className="muted" data-testid="offer-gone">
                {t("responderApp.offerGone")}
              </p>
            )}

            {active && (
              <ActiveCase
                key={active.id}
                c={active}
                resident={resident}
                pending={pendingOfActive}
                dutyDeskPhone={dutyDeskPhone}
                act={act}
              />
            )}
            {active && screenOn && <p className="muted">{t("responderApp.screenOn")}</p>}

            <ClaimableOrders />

            {!active && offerList.length === 0 && onDuty && (
              <p className="muted waiting">{t("responderApp.waiting")}</p>
            )}
          </>
        )}
      </main>
    </div>
  );
}
