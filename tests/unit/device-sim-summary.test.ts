import { describe, expect, it } from "vitest";
import { resendDelay } from "../../device-sim/backoff.ts";
import { deviceIds, summarize } from "../../device-sim/fleet.ts";
import { median, percentile } from "../../device-sim/summary.ts";

const press = (latencyMs: number, attempts = 1) => ({ latencyMs, attempts });

describe("deviceIds", () => {
  it("names the seeded demo devices with five digits", () => {
    expect(deviceIds(3)).toEqual(["BJ-00001", "BJ-00002", "BJ-00003"]);
    expect(deviceIds(2, 99_999)).toEqual(["BJ-99999", "BJ-100000"]);
    expect(deviceIds(1, 42)).toEqual(["BJ-00042"]);
    expect(deviceIds(0)).toEqual([]);
  });
});

describe("summarize", () => {
  it("is empty-safe", () => {
    expect(summarize([], 0)).toEqual({
      presses: 0,
      acked: 0,
      lost: 0,
      medianAckMs: null,
      p99AckMs: null,
      maxAttempts: 0,
    });
    expect(summarize([], 4)).toMatchObject({ presses: 4, acked: 0, lost: 4, medianAckMs: null });
  });

  it("counts acked and pending presses", () => {
    const s = summarize([press(10), press(30, 3), press(20, 2)], 2);
    expect(s).toEqual({ presses: 5, acked: 3, lost: 2, medianAckMs: 20, p99AckMs: 30, maxAttempts: 3 });
  });

  it("takes the mean of the two middle latencies for an even count", () => {
    expect(summarize([press(40), press(10), press(20), press(30)], 0).medianAckMs).toBe(25);
  });

  it("uses the nearest rank for p99", () => {
    const latencies = Array.from({ length: 200 }, (_, i) => press(i + 1)); // 1…200
    const s = summarize(latencies, 0);
    expect(s.p99AckMs).toBe(198);
    expect(s.medianAckMs).toBe(100.5);
    expect(percentile([5], 0.99)).toBe(5);
    expect(percentile([], 0.5)).toBeNull();
    expect(median([1, 2, 3])).toBe(2);
  });
});

describe("resendDelay", () => {
  const policy = { initialMs: 1000, maxMs: 8000 };
  it("doubles up to the cap", () => {
    const mid = () => 0.5; // no jitter
    expect([1, 2, 3, 4, 5, 9].map((n) => resendDelay(n, policy, mid))).toEqual([
      1000, 2000, 4000, 8000, 8000, 8000,
    ]);
  });
  it("jitters by ±20 %", () => {
    expect(resendDelay(1, policy, () => 0)).toBe(800);
    expect(resendDelay(1, policy, () => 0.999999)).toBe(1200);
    expect(resendDelay(4, policy, () => 0)).toBe(6400);
  });
});
