import { describe, expect, it } from "vitest";
import { deadlineOn, missedCheckIn } from "../../dispatcher/check-in/rules.ts";
import { decideWelfare } from "../../dispatcher/cases/welfare-rule.ts";

const TZ = "Asia/Shanghai";
const bj = (s: string) => Date.parse(`${s}+08:00`);

describe("the daily check-in", () => {
  const plan = { dueTime: "10:00", lastActivityAt: null };
  it("is due at the hour on the resident's wall clock", () => {
    expect(deadlineOn(bj("2026-12-07T03:00:00"), "10:00", TZ)).toBe(bj("2026-12-07T10:00:00"));
  });

  it.each([
    ["before the hour", plan, "2026-12-07T09:59:00", null],
    ["after the hour with no press", plan, "2026-12-07T10:00:00", bj("2026-12-07T10:00:00")],
    [
      "a press this morning",
      { ...plan, lastActivityAt: bj("2026-12-07T07:30:00") },
      "2026-12-07T11:00:00",
      null,
    ],
    [
      "the last press was yesterday",
      { ...plan, lastActivityAt: bj("2026-12-06T23:59:00") },
      "2026-12-07T11:00:00",
      bj("2026-12-07T10:00:00"),
    ],
    ["late the same day: the same episode", plan, "2026-12-07T23:00:00", bj("2026-12-07T10:00:00")],
  ] as const)("%s", (_name, p, now, startedAt) => {
    const missed = missedCheckIn(p, bj(now), TZ);
    expect(missed?.startedAt ?? null).toBe(startedAt);
  });
});

describe("one welfare check per episode (shared with the motion sensor)", () => {
  it("opens once, then not again for the same episode", () => {
    expect(decideWelfare({ startedAt: 5, raisedFor: null }, [])).toEqual({ action: "open" });
    expect(decideWelfare({ startedAt: 5, raisedFor: 5 }, [])).toEqual({
      action: "none",
      reason: "already_raised",
    });
    expect(decideWelfare({ startedAt: 9, raisedFor: 5 }, [])).toEqual({ action: "open" });
  });

  it("notes it on a case that already sends someone to the door", () => {
    expect(decideWelfare({ startedAt: 5, raisedFor: null }, [{ id: 3, type: "sos" }])).toEqual({
      action: "note",
      caseId: 3,
    });
    expect(decideWelfare({ startedAt: 5, raisedFor: null }, [{ id: 4, type: "low_battery" }])).toEqual({
      action: "open",
    });
  });
});
