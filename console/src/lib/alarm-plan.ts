// When the console's alarm sounds, and which sound: pure, so a test can run a whole shift of
// alarms through it. Each item (a new emergency nobody acknowledged, a stored staff alert) sounds
// when it appears and `repeats` more times, `repeatMs` apart; after that only its flag stays.
// Sounds are never closer than `minGapMs`: items of one kind due together share one sound; when
// kinds differ the most urgent plays first and the others follow, one gap apart.

/** One tone pattern per kind of trouble (console/src/queue/alarm.ts plays them). */
export const ALARM_SOUNDS = ["emergency", "help", "escalation", "device"] as const;
export type AlarmSound = (typeof ALARM_SOUNDS)[number];

export interface AlarmItem {
  /** Stable across updates: "case:12", "alert:7". */
  key: string;
  sound: AlarmSound;
}

export interface AlarmPolicy {
  /** Times an item sounds again after the first. */
  repeats: number;
  repeatMs: number;
  minGapMs: number;
}

export interface AlarmMemory {
  /** Per item: how often it sounded, and when last. */
  readonly sounded: ReadonlyMap<string, { count: number; at: number }>;
  readonly lastSoundAt: number | null;
}

export const EMPTY_MEMORY: AlarmMemory = { sounded: new Map(), lastSoundAt: null };

export interface AlarmDecision {
  /** What to play now, or null. */
  sound: AlarmSound | null;
  memory: AlarmMemory;
  /** When to ask again (ms), or null when nothing will sound without a new item. */
  nextAt: number | null;
}

const URGENCY: Readonly<Record<AlarmSound, number>> = { emergency: 0, help: 1, escalation: 2, device: 3 };

/** Decides for `now` given the items that want attention. */
export function planAlarm(
  items: readonly AlarmItem[],
  memory: AlarmMemory,
  now: number,
  policy: AlarmPolicy,
): AlarmDecision {
  // Forget items that are gone (acknowledged, taken, ended).
  const sounded = new Map<string, { count: number; at: number }>();
  for (const item of items) {
    const s = memory.sounded.get(item.key);
    if (s) sounded.set(item.key, s);
  }
  const maxCount = 1 + policy.repeats;
  const dueAt = (item: AlarmItem): number | null => {
    const s = sounded.get(item.key);
    if (!s) return now;
    if (s.count >= maxCount) return null;
    return s.at + policy.repeatMs;
  };
  const gapEnds = memory.lastSoundAt === null ? now : memory.lastSoundAt + policy.minGapMs;
  const due = items.filter((i) => {
    const at = dueAt(i);
    return at !== null && at <= now;
  });
  if (due.length === 0 || gapEnds > now) {
    const times = items.map(dueAt).filter((t): t is number => t !== null);
    const next = times.length ? Math.max(gapEnds, Math.min(...times)) : null;
    return { sound: null, memory: { sounded, lastSoundAt: memory.lastSoundAt }, nextAt: next };
  }
  // The most urgent kind plays now for every item of that kind; another kind is heard on its own
  // after the gap, so a sound never stands for a trouble it does not name.
  const sound = due.reduce((a, b) => (URGENCY[b.sound] < URGENCY[a.sound] ? b : a)).sound;
  for (const item of due) {
    if (item.sound !== sound) continue;
    const count = (sounded.get(item.key)?.count ?? 0) + 1;
    sounded.set(item.key, { count, at: now });
  }
  const later = items.map(dueAt).filter((t): t is number => t !== null);
  const nextAt = later.length ? Math.max(now + policy.minGapMs, Math.min(...later)) : null;
  return { sound, memory: { sounded, lastSoundAt: now }, nextAt };
}
