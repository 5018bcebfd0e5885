// The leader's count of phone sockets across a cluster: events from every instance, corrected by
// a census of the instances (presence-tracker.ts). The census never touches storage.
import { describe, expect, it } from "vitest";
import type { SqlDatabase } from "../../dispatcher/db/sql.ts";
import { PresenceTracker } from "../../dispatcher/responders/presence-tracker.ts";
import { TestClock } from "../helpers/clock.ts";

const noStorage = new Proxy({} as SqlDatabase, {
  get: () => {
    throw new Error("the census must not use storage");
  },
});

function tracker() {
  const t = new PresenceTracker(
    noStorage,
    new TestClock(),
    { presenceMs: 120_000, offDutyMs: 1_800_000 },
    () => 0,
  );
  t.tracking = true;
  return t;
}

describe("counting the phone sockets of a cluster", () => {
  it("takes the instances' counts: phones on other instances become live, a dead instance's go", () => {
    const t = tracker();
    t.socketUp(1); // heard of, its instance died since
    const census = t.startCensus();
    const changed = t.census(census, new Map([[2, 2]]));
    expect(changed).toEqual(
      expect.arrayContaining([
        { id: 1, before: "live" },
        { id: 2, before: "unreachable" },
      ]),
    );
    expect(t.stateOf(1)).toBe("unreachable");
    expect(t.stateOf(2)).toBe("live");
    // Both tabs are counted: one closing leaves the phone live.
    t.socketDown(2);
    expect(t.stateOf(2)).toBe("live");
  });

  it("keeps what sockets did while the census was under way: their events are newer", () => {
    const t = tracker();
    const census = t.startCensus();
    t.socketUp(3); // connected after its instance answered
    t.socketUp(4);
    t.socketDown(4); // dropped after its instance counted it
    const changed = t.census(
      census,
      new Map([
        [4, 1],
        [5, 1],
      ]),
    );
    expect(changed).toEqual([{ id: 5, before: "unreachable" }]);
    expect(t.stateOf(3)).toBe("live");
    expect(t.stateOf(4)).toBe("unreachable");
    expect(t.stateOf(5)).toBe("live");
  });

  it("reports nothing when the counts agree", () => {
    const t = tracker();
    t.socketUp(6);
    expect(t.census(t.startCensus(), new Map([[6, 1]]))).toEqual([]);
  });
});
