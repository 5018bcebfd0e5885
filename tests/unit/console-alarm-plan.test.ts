// The console's alarm scheduler through whole stretches of a shift: every new trouble is heard,
// repeats once, then only its flag stays; the siren never turns into a constant noise.
import { describe, expect, it } from "vitest";
import {
  EMPTY_MEMORY,
  planAlarm,
  type AlarmItem,
  type AlarmMemory,
  type AlarmPolicy,
  type AlarmSound,
} from "../../console/src/lib/alarm-plan.ts";

const POLICY: AlarmPolicy = { repeats: 1, repeatMs: 30_000, minGapMs: 10_000 };

/** Runs the scheduler the way the console does: on every change and at every `nextAt`. */
function simulate(
  itemsAt: (t: number) => AlarmItem[],
  until: number,
  changes: readonly number[],
  policy = POLICY,
): { at: number; sound: AlarmSound }[] {
  const played: { at: number; sound: AlarmSound }[] = [];
  let memory: AlarmMemory = EMPTY_MEMORY;
  let next: number | null = null;
  const wakeups = new Set(changes);
  for (let t = 0; t <= until; t += 100) {
    if (!wakeups.has(t) && (next === null || t < next)) continue;
    const d = planAlarm(itemsAt(t), memory, t, policy);
    memory = d.memory;
    next = d.nextAt;
    if (d.sound) played.push({ at: t, sound: d.sound });
  }
  return played;
}

const emergency = (id: number): AlarmItem => ({ key: `case:${id}`, sound: "emergency" });

describe("the alarm scheduler", () => {
  it("one unacknowledged emergency sounds when it appears and once more, then stays quiet", () => {
    const played = simulate(() => [emergency(1)], 10 * 60_000, [0]);
    expect(played).toEqual([
      { at: 0, sound: "emergency" },
      { at: 30_000, sound: "emergency" },
    ]);
  });

  it("the issue's shift: 57 new emergencies in 4.5 minutes, none acknowledged, never sound more than once per gap", () => {
    const every = 4_700; // 57 presses in 4.5 minutes
    const arrivals = Array.from({ length: 57 }, (_, i) => i * every);
    const played = simulate(
      (t) => arrivals.filter((a) => a <= t).map((_a, i) => emergency(i)),
      270_000,
      arrivals,
    );
    expect(played.length).toBeLessThanOrEqual(270_000 / POLICY.minGapMs + 1);
    for (let i = 1; i < played.length; i++) {
      expect(played[i]!.at - played[i - 1]!.at).toBeGreaterThanOrEqual(POLICY.minGapMs);
    }
  });

  it("the calm demo city: five emergencies in 4.5 minutes sound at most twice each", () => {
    const arrivals = [0, 50_000, 110_000, 170_000, 230_000];
    const played = simulate(
      (t) => arrivals.filter((a) => a <= t).map((_a, i) => emergency(i)),
      270_000,
      arrivals,
    );
    expect(played.length).toBeLessThanOrEqual(2 * arrivals.length);
    expect(played.filter((p) => p.at === 0)).toHaveLength(1);
  });

  it("acknowledging one leaves the other sounding on its own schedule", () => {
    // Case 1 acknowledged at 5 s; case 2 keeps its repeat.
    const played = simulate(
      (t) => (t < 5_000 ? [emergency(1), emergency(2)] : [emergency(2)]),
      120_000,
      [0, 5_000],
    );
    expect(played.map((p) => p.at)).toEqual([0, 30_000]);
  });

  it("an alert re-arms the alarm with its own sound, even after the case's alarm went quiet", () => {
    const alertAt = 200_000;
    const played = simulate(
      (t) =>
        t < alertAt ? [emergency(1)] : [emergency(1), { key: "alert:9", sound: "escalation" as const }],
      400_000,
      [0, alertAt],
    );
    expect(played).toEqual([
      { at: 0, sound: "emergency" },
      { at: 30_000, sound: "emergency" },
      { at: alertAt, sound: "escalation" },
      { at: alertAt + 30_000, sound: "escalation" },
    ]);
  });

  it("items of one kind due together share one sound; other kinds follow one gap apart, most urgent first", () => {
    const items: AlarmItem[] = [
      { key: "alert:1", sound: "device" },
      { key: "case:2", sound: "emergency" },
      { key: "case:4", sound: "emergency" },
      { key: "alert:3", sound: "help" },
    ];
    const first = planAlarm(items, EMPTY_MEMORY, 0, POLICY);
    expect(first.sound).toBe("emergency");
    expect(first.nextAt).toBe(POLICY.minGapMs);
    const played = simulate(() => items, 120_000, [0]);
    expect(played).toEqual([
      { at: 0, sound: "emergency" },
      { at: 10_000, sound: "help" },
      { at: 20_000, sound: "device" },
      { at: 30_000, sound: "emergency" },
      { at: 40_000, sound: "help" },
      { at: 50_000, sound: "device" },
    ]);
  });

  it("with repeats 0 an item sounds once; with nothing left nothing is scheduled", () => {
    const once = planAlarm([emergency(1)], EMPTY_MEMORY, 0, { ...POLICY, repeats: 0 });
    expect(once.nextAt).toBeNull();
    expect(planAlarm([], once.memory, 1_000, POLICY)).toMatchObject({ sound: null, nextAt: null });
  });
});
