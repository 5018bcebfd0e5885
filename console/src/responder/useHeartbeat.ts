// Tells the platform the phone is alive while on duty (and at once when the page comes back to
// the front), so a phone that went quiet is not offered jobs it cannot see. The answer may carry
// what the phone missed while it was lost; that goes to the store to be shown once.
import { useEffect } from "react";
import { api } from "../api.ts";
import { store } from "../store.ts";

const DEFAULT_HEARTBEAT_SECONDS = 30;

export function useHeartbeat(onDuty: boolean, everySeconds = DEFAULT_HEARTBEAT_SECONDS): void {
  useEffect(() => {
    if (!onDuty) return;
    const beat = () => {
      api.heartbeat().then(
        (p) => {
          if (p.notice) store.setPresenceNotice(p.notice);
        },
        () => undefined, // offline: the next beat tries again
      );
    };
    const timer = setInterval(beat, everySeconds * 1000);
    const onVisible = () => {
      if (document.visibilityState === "visible") beat();
    };
    document.addEventListener("visibilitychange", onVisible);
    window.addEventListener("online", beat);
    return () => {
      clearInterval(timer);
      document.removeEventListener("visibilitychange", onVisible);
      window.removeEventListener("online", beat);
    };
  }, [onDuty, everySeconds]);
}
