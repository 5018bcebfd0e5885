// The console alarm: Web Audio tone patterns (no audio file), one per kind of trouble, plus the
// counters e2e tests read. Browsers block audio until the first user gesture; the flashing UI
// covers that gap.
import type { AlarmSound } from "../lib/alarm-plan.ts";

declare global {
  interface Window {
    /** Incremented every time an alarm sound is triggered (read by e2e tests). */
    __alarmSounds?: number;
    /** Which sounds, in order. */
    __alarmLog?: AlarmSound[];
  }
}

let ctx: AudioContext | null = null;

function audio(): AudioContext | null {
  if (ctx) return ctx;
  const Ctor =
    window.AudioContext ?? (window as { webkitAudioContext?: typeof AudioContext }).webkitAudioContext;
  if (!Ctor) return null;
  try {
    ctx = new Ctor();
  } catch {
    return null;
  }
  return ctx;
}

/** The browser holds sound back until the user touches the page (autoplay policy). */
export function audioBlocked(): boolean {
  return audio()?.state === "suspended";
}

/** Call from a user gesture: lets later alarms sound without another click. */
export function unlockAudio(): void {
  const c = audio();
  if (c && c.state === "suspended") void c.resume().catch(() => undefined);
}

function tone(c: AudioContext, at: number, freq: number, length: number, volume: number): void {
  const osc = c.createOscillator();
  const gain = c.createGain();
  osc.type = "square";
  osc.frequency.setValueAtTime(freq, at);
  gain.gain.setValueAtTime(0.0001, at);
  gain.gain.exponentialRampToValueAtTime(volume, at + 0.01);
  gain.gain.exponentialRampToValueAtTime(0.0001, at + length);
  osc.connect(gain).connect(c.destination);
  osc.start(at);
  osc.stop(at + length + 0.02);
}

/** Plays a pattern of beeps: [frequency Hz, seconds] pairs with a short gap between them. */
function playPattern(pattern: readonly (readonly [number, number])[], volume: number): void {
  const c = audio();
  if (!c) return;
  if (c.state === "suspended") void c.resume().catch(() => undefined);
  let t = c.currentTime + 0.02;
  for (const [freq, len] of pattern) {
    tone(c, t, freq, len, volume);
    t += len + 0.08;
  }
}

/** Each kind its own pattern, told apart without looking: [frequency Hz, seconds] pairs. */
const PATTERNS: Readonly<Record<AlarmSound, readonly (readonly [number, number])[]>> = {
  // A new emergency: the hi-lo siren, three times.
  emergency: [
    [960, 0.22],
    [720, 0.22],
    [960, 0.22],
    [720, 0.22],
    [960, 0.22],
    [720, 0.22],
  ],
  // A responder at the door asks for help: fast rising triplets.
  help: [
    [660, 0.1],
    [880, 0.1],
    [1175, 0.16],
    [660, 0.1],
    [880, 0.1],
    [1175, 0.16],
  ],
  // The engine escalated (nobody accepted, nobody in range): three long low tones.
  escalation: [
    [440, 0.45],
    [440, 0.45],
    [330, 0.6],
  ],
  // A high-risk resident's device failed: two slow falling tones.
  device: [
    [587, 0.35],
    [392, 0.5],
  ],
};

export function playAlarm(sound: AlarmSound): void {
  window.__alarmSounds = (window.__alarmSounds ?? 0) + 1;
  (window.__alarmLog ??= []).push(sound);
  playPattern(PATTERNS[sound], 0.25);
}

/** Short double beep (phone: a new offer). */
export function playChime(): void {
  playPattern(
    [
      [880, 0.15],
      [1175, 0.25],
    ],
    0.2,
  );
}

export function setAlarmFlag(on: boolean): void {
  document.body.dataset.alarm = on ? "on" : "off";
}
