import { describe, expect, it } from "vitest";
import { decideCoverage } from "../../dispatcher/rosters/coverage-rule.ts";

const H = 3_600_000;
const now = 100 * H;
const gap = (from: number, until: number) => ({ start: now + from * H, end: now + until * H });
const alert = (id: number, from: number, until: number) => ({
  id,
  from: now + from * H,
  until: now + until * H,
});

describe("coverage alerts: one per gap", () => {
  it("raises a gap once it starts within the lead time, not before", () => {
    expect(decideCoverage([], [gap(13, 15)], now, 12 * H).raise).toEqual([]);
    expect(decideCoverage([], [gap(11, 15)], now, 12 * H).raise).toEqual([gap(11, 15)]);
  });
  it("a gap overlapping an open alert is that alert's: moved, never raised again", () => {
    const d = decideCoverage([alert(7, 11, 15)], [gap(12, 15)], now, 12 * H);
    expect(d).toEqual({ raise: [], move: [{ id: 7, from: now + 12 * H, until: now + 15 * H }], resolve: [] });
    expect(decideCoverage([alert(7, 11, 15)], [gap(11, 15)], now, 12 * H)).toEqual({
      raise: [],
      move: [],
      resolve: [],
    });
  });
  it("an alert split by a new shift keeps both halves", () => {
    const d = decideCoverage([alert(7, 2, 10)], [gap(2, 4), gap(6, 10)], now, 12 * H);
    expect(d.raise).toEqual([]);
    expect(d.resolve).toEqual([]);
  });
  it("a gap under way keeps the time it began", () => {
    const d = decideCoverage([alert(7, -2, 3)], [{ start: now, end: now + 3 * H }], now, 12 * H);
    expect(d.move).toEqual([]);
  });
  it("no gap left: filled, or ended once its stretch is over", () => {
    expect(decideCoverage([alert(7, 2, 4)], [], now, 12 * H).resolve).toEqual([
      { id: 7, resolution: "filled" },
    ]);
    expect(decideCoverage([alert(7, -4, -1)], [gap(5, 8)], now, 12 * H)).toEqual({
      raise: [gap(5, 8)],
      move: [],
      resolve: [{ id: 7, resolution: "ended" }],
    });
  });
});
