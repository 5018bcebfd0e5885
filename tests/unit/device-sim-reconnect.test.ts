// The reconnect schedule of a simulated device: exponential, capped, jittered over the upper half.
import { describe, expect, it } from "vitest";
import { DEFAULT_RECONNECT, reconnectDelay } from "../../device-sim/reconnect.ts";

const policy = { initialMs: 1000, maxMs: 8000 };

describe("reconnectDelay", () => {
  it("doubles the window with every failed attempt up to the cap", () => {
    const highest = (attempt: number) => reconnectDelay(attempt, policy, () => 1);
    expect([1, 2, 3, 4, 5, 10].map(highest)).toEqual([1000, 2000, 4000, 8000, 8000, 8000]);
  });

  it("never waits less than half the window, so a broker that is down is not hammered", () => {
    const lowest = (attempt: number) => reconnectDelay(attempt, policy, () => 0);
    expect([1, 2, 3, 4, 9].map(lowest)).toEqual([500, 1000, 2000, 4000, 4000]);
  });

  it("spreads a fleet that lost its connection at the same moment over the window", () => {
    let seed = 7;
    const random = () => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646;
    const waits = Array.from({ length: 10_000 }, () => reconnectDelay(1, DEFAULT_RECONNECT, random));
    const perTenth = new Array<number>(10).fill(0);
    const { initialMs } = DEFAULT_RECONNECT;
    for (const w of waits) perTenth[Math.min(9, Math.floor(((w - initialMs / 2) / (initialMs / 2)) * 10))]!++;
    expect(Math.min(...waits)).toBeGreaterThanOrEqual(initialMs / 2);
    expect(Math.max(...waits)).toBeLessThanOrEqual(initialMs);
    // Roughly uniform: every tenth of the window gets 7–13 % of the fleet.
    for (const n of perTenth) {
      expect(n).toBeGreaterThan(700);
      expect(n).toBeLessThan(1300);
    }
  });
});
