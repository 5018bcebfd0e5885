// Drives the alarm from the store. What needs action: every new emergency nobody acknowledged
// while it still waits for a responder, and every stored staff alert nobody acknowledged. Each
// sounds with its own tone when it appears and repeats as the platform says (lib/alarm-plan.ts);
// an escalation stops sounding once a responder has the case, but stays listed until a person
// acknowledges it. Keeps `document.body.dataset.alarm` and the tab title in step.
import { useEffect, useMemo, useRef } from "react";
import { useTranslation } from "react-i18next";
import type { CaseSummary, PlatformInfo, StaffAlert } from "../../../protocol/api.ts";
import { AUTO_ESCALATION_REASONS, isWaitingStatus, type AlertKind } from "../../../protocol/domain.ts";
import { EMPTY_MEMORY, planAlarm, type AlarmItem, type AlarmSound } from "../lib/alarm-plan.ts";
import { compareQueue, isUnackedEmergency } from "../lib/queue.ts";
import { useStore } from "../store.ts";
import { playAlarm, setAlarmFlag, unlockAudio } from "./alarm.ts";

/** Sounds never closer than this, however many things happen at once. */
const MIN_GAP_MS = 10_000;

export type NeedsAction =
  | { key: string; type: "case"; c: CaseSummary }
  | { key: string; type: "alert"; alert: StaffAlert; c: CaseSummary | undefined };

const SOUND_OF: Readonly<Record<AlertKind, AlarmSound>> = {
  no_candidate: "escalation",
  no_accept: "escalation",
  offers_exhausted: "escalation",
  eta_over_cap: "escalation",
  help_requested: "help",
  device_fault: "device",
};

const ESCALATIONS: readonly AlertKind[] = AUTO_ESCALATION_REASONS;

/** Still worth a sound: an escalation whose case a responder has taken (or that ended) is not. */
function sounding(item: NeedsAction): boolean {
  if (item.type === "case") return true;
  if (!ESCALATIONS.includes(item.alert.kind)) return true;
  return item.c !== undefined && isWaitingStatus(item.c.status);
}

/** Everything that needs a person, newest trouble first within each group: alerts, then cases. */
export function useNeedsAction(): NeedsAction[] {
  const cases = useStore((s) => s.cases);
  const alerts = useStore((s) => s.alerts);
  return useMemo(() => {
    const fromAlerts: NeedsAction[] = [...alerts.values()]
      .sort((a, b) => Date.parse(b.at) - Date.parse(a.at))
      .map((alert) => ({ key: `alert:${alert.id}`, type: "alert", alert, c: cases.get(alert.caseId) }));
    const fromCases: NeedsAction[] = [...cases.values()]
      .filter(isUnackedEmergency)
      .sort(compareQueue)
      .map((c) => ({ key: `case:${c.id}`, type: "case", c }));
    return [...fromAlerts, ...fromCases];
  }, [cases, alerts]);
}

export function useAlarm(items: readonly NeedsAction[], policy: PlatformInfo["alarm"]): void {
  const { t } = useTranslation();
  const memory = useRef(EMPTY_MEMORY);
  const on = items.length > 0;
  const alarmItems = useMemo<AlarmItem[]>(
    () =>
      items
        .filter(sounding)
        .map((i) => ({ key: i.key, sound: i.type === "case" ? "emergency" : SOUND_OF[i.alert.kind] })),
    [items],
  );

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

  // Decide now, and again whenever the plan says something falls due.
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | null = null;
    const decide = () => {
      const d = planAlarm(alarmItems, memory.current, Date.now(), {
        repeats: policy.repeats,
        repeatMs: policy.repeatSeconds * 1000,
        minGapMs: MIN_GAP_MS,
      });
      memory.current = d.memory;
      if (d.sound) playAlarm(d.sound);
      if (d.nextAt !== null) timer = setTimeout(decide, Math.max(0, d.nextAt - Date.now()));
    };
    decide();
    return () => {
      if (timer !== null) clearTimeout(timer);
    };
  }, [alarmItems, policy.repeats, policy.repeatSeconds]);

  useEffect(() => setAlarmFlag(on), [on]);

  useEffect(() => {
    document.title = on ? t("alarm.title", { count: items.length }) : t("app.title");
  }, [on, items.length, t]);
}
