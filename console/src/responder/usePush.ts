// Lock-screen notifications: the phone's browser subscribes to Web Push with the platform's VAPID
// key and registers the subscription (with the UI language for the notification texts). An offer
// (or, on the family view, news of the elder's case) then reaches the phone even with this page
// closed; the socket still brings it while it is open.
import { useCallback, useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { api, type PushApp } from "../api.ts";
import { currentLanguage } from "../i18n.ts";

export type PushState = "unsupported" | "default" | "denied" | "subscribing" | "on" | "failed";

const supported = (): boolean =>
  "serviceWorker" in navigator && "PushManager" in window && "Notification" in window;

function keyBytes(base64url: string): Uint8Array<ArrayBuffer> {
  const b64 = base64url.replace(/-/g, "+").replace(/_/g, "/");
  const raw = atob(b64 + "=".repeat((4 - (b64.length % 4)) % 4));
  const out = new Uint8Array(new ArrayBuffer(raw.length));
  for (let i = 0; i < raw.length; i++) out[i] = raw.charCodeAt(i);
  return out;
}

/** Registers this browser's subscription; creates it first if there is none. */
async function subscribe(app: PushApp): Promise<PushSubscription> {
  const reg = await navigator.serviceWorker.ready;
  const { publicKey } = await api.pushKey(app);
  const sub =
    (await reg.pushManager.getSubscription()) ??
    (await reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: keyBytes(publicKey) }));
  const json = sub.toJSON();
  await api.pushSubscribe(app, {
    endpoint: sub.endpoint,
    keys: { p256dh: json.keys?.p256dh ?? "", auth: json.keys?.auth ?? "" },
    lang: currentLanguage(),
  });
  return sub;
}

/** At logout: this browser stops getting this user's notifications. */
export async function forgetPush(app: PushApp): Promise<void> {
  if (!supported()) return;
  try {
    const reg = await navigator.serviceWorker.getRegistration();
    const sub = await reg?.pushManager.getSubscription();
    if (!sub) return;
    await api.pushUnsubscribe(app, sub.endpoint).catch(() => undefined);
    await sub.unsubscribe();
  } catch {
    // Nothing registered: nothing to forget.
  }
}

export function usePush(app: PushApp): { state: PushState; enable: () => void } {
  const { i18n } = useTranslation();
  const [state, setState] = useState<PushState>(() =>
    !supported() ? "unsupported" : Notification.permission === "denied" ? "denied" : "default",
  );

  const register = useCallback(() => {
    setState("subscribing");
    subscribe(app).then(
      () => setState("on"),
      () => setState(Notification.permission === "denied" ? "denied" : "failed"),
    );
  }, [app]);

  // Already allowed: (re)register on every start and language change, so texts follow the UI.
  useEffect(() => {
    if (supported() && Notification.permission === "granted") register();
  }, [register, i18n.language]);

  const enable = useCallback(() => {
    if (!supported()) return;
    void Notification.requestPermission().then((p) => {
      if (p === "granted") register();
      else setState(p === "denied" ? "denied" : "default");
    });
  }, [register]);

  return { state, enable };
}
