// Drives the alarm from the store: sounds when an unacknowledged emergency appears, repeats while
// any stays unacknowledged, and keeps `document.body.dataset.alarm` in step.
import { useEffect, useMemo, useRef } from "react";
import { useTranslation } from "react-i18next";
import type { CaseSummary } from "../../../protocol/api.ts";
import { compareQueue, isUnackedEmergency } from "../lib/queue.ts";
import { useStore } from "../store.ts";
import { playAlarm, setAlarmFlag, unlockAudio } from "./alarm.ts";

const REPEAT_MS = 10_000;

function useUnackedEmergencies(): CaseSummary[] {
  const cases = useStore((s) => s.cases);
  return useMemo(() => [...cases.values()].filter(isUnackedEmergency).sort(compareQueue), [cases]);
}

export function useAlarm(): CaseSummary[] {
  const { t } = useTranslation();
  const unacked = useUnackedEmergencies();
  const seen = useRef(new Set<number>());
  const on = unacked.length > 0;

  // Declared first: effects run in order, so the flag set below is not overwritten on mount.
  useEffect(() => {
    setAlarmFlag(false);
    window.__alarmSounds ??= 0;
    // The first click anywhere unlocks audio for later alarms.
    const unlock = () => unlockAudio();
    window.addEventListener("pointerdown", unlock, { once: true });
    window.addEventListener("keydown", unlock, { once: true });
    return () => {
      window.removeEventListener("pointerdown", unlock);
      window.removeEventListener("keydown", unlock);
      setAlarmFlag(false);
    };
  }, []);

  // Sound once per newly seen emergency.
  useEffect(() => {
    let fresh = false;
    for (const c of unacked) {
      if (!seen.current.has(c.id)) {
        seen.current.add(c.id);
        fresh = true;
      }
    }
    if (fresh) playAlarm();
  }, [unacked]);

  // Flag, repeat and the tab title while anything is unacknowledged.
  useEffect(() => {
    setAlarmFlag(on);
    if (!on) return;
    const repeat = setInterval(playAlarm, REPEAT_MS);
    return () => clearInterval(repeat);
  }, [on]);

  useEffect(() => {
    document.title = on ? t("alarm.title", { count: unacked.length }) : t("app.title");
  }, [on, unacked.length, t]);

  return unacked;
}
