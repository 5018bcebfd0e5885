// The console alarm: a Web Audio beep pattern (no audio file) plus the flag e2e tests read.
// Browsers block audio until the first user gesture; the flashing UI covers that gap.

declare global {
  interface Window {
    /** Incremented every time the alarm sound is triggered (read by e2e tests). */
    __alarmSounds?: number;
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

/** Emergency alarm: hi-lo siren, three times. */
export function playAlarm(): void {
  window.__alarmSounds = (window.__alarmSounds ?? 0) + 1;
  playPattern(
    [
      [960, 0.22],
      [720, 0.22],
      [960, 0.22],
      [720, 0.22],
      [960, 0.22],
      [720, 0.22],
    ],
    0.25,
  );
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
