import { describe, expect, it } from "vitest";
import {
  decideOrder,
  isOverdue,
  mayClaim,
  reminderAt,
  requestWindow,
  REMIND_BEFORE_MS,
  type OrderAction,
  type OrderState,
} from "../../dispatcher/service-orders/rules.ts";

const queued: OrderState = { status: "queued", responderId: null, claimed: false };
const assigned: OrderState = { status: "assigned", responderId: 7, claimed: false };
const claimed: OrderState = { status: "confirmed", responderId: 7, claimed: true };
const started: OrderState = { status: "in_progress", responderId: 7, claimed: false };

const next = (o: OrderState, a: OrderAction) => {
  const d = decideOrder(o, a);
  return d.ok ? d.next : d.reason;
};

describe("the steps of a service order", () => {
  it.each([
    ["staff assign from the queue", queued, { type: "assign", responderId: 7 }, assigned],
    [
      "staff publish from the queue",
      queued,
      { type: "publish" },
      { status: "published", responderId: null, claimed: false },
    ],
    [
      "a claim is its own confirmation",
      { ...queued, status: "published" },
      { type: "claim", responderId: 7 },
      claimed,
    ],
    [
      "the assignee confirms",
      assigned,
      { type: "confirm", responderId: 7 },
      { ...assigned, status: "confirmed" },
    ],
    [
      "the assignee starts",
      assigned,
      { type: "start", responderId: 7 },
      { ...assigned, status: "in_progress" },
    ],
    [
      "an assigned order handed back goes to the queue",
      assigned,
      { type: "release", responderId: 7 },
      queued,
    ],
    [
      "a claimed order handed back is published again",
      claimed,
      { type: "release", responderId: 7 },
      { status: "published", responderId: null, claimed: false },
    ],
    ["the responder finishes", started, { type: "done", by: 7 }, { ...started, status: "done" }],
    ["staff record it done", claimed, { type: "done", by: null }, { ...claimed, status: "done" }],
    ["staff cancel", assigned, { type: "cancel" }, { ...assigned, status: "cancelled" }],
  ] as [string, OrderState, OrderAction, OrderState][])("%s", (_name, from, action, to) => {
    expect(next(from, action)).toEqual(to);
  });

  it.each([
    ["claiming what is not published", assigned, { type: "claim", responderId: 8 }],
    ["someone else confirming", assigned, { type: "confirm", responderId: 8 }],
    ["someone else finishing", started, { type: "done", by: 8 }],
    ["finishing what nobody has", queued, { type: "done", by: null }],
    ["reassigning a visit under way", started, { type: "assign", responderId: 8 }],
    ["handing back a visit under way", started, { type: "release", responderId: 7 }],
    ["anything after done", { ...started, status: "done" }, { type: "cancel" }],
    ["anything after cancelled", { ...queued, status: "cancelled" }, { type: "publish" }],
  ] as [string, OrderState, OrderAction][])("refuses %s", (_name, from, action) => {
    expect(decideOrder(from, action).ok).toBe(false);
  });
});

describe("who may claim, reminders, overdue", () => {
  const order = { status: "published" as const, service: "meal" as const, communityId: 1 };
  it("a volunteer of the order's community with the skill", () => {
    expect(mayClaim(order, { skills: ["meal"], communityId: 1 })).toBe(true);
    expect(mayClaim(order, { skills: ["bathing"], communityId: 1 })).toBe(false);
    expect(mayClaim(order, { skills: ["meal"], communityId: 2 })).toBe(false);
    expect(mayClaim({ ...order, status: "queued" }, { skills: ["meal"], communityId: 1 })).toBe(false);
  });

  it("an hour before the window, once, only for an order someone has", () => {
    expect(reminderAt({ ...assigned, windowFrom: 10 * REMIND_BEFORE_MS, remindedAt: null })).toBe(
      9 * REMIND_BEFORE_MS,
    );
    expect(reminderAt({ ...assigned, windowFrom: 10 * REMIND_BEFORE_MS, remindedAt: 5 })).toBeNull();
    expect(reminderAt({ ...queued, windowFrom: 10 * REMIND_BEFORE_MS, remindedAt: null })).toBeNull();
    expect(reminderAt({ ...started, windowFrom: 10 * REMIND_BEFORE_MS, remindedAt: null })).toBeNull();
  });

  it("overdue once the window closed with the service not done", () => {
    expect(isOverdue({ status: "assigned", windowTo: 100 }, 101)).toBe(true);
    expect(isOverdue({ status: "assigned", windowTo: 100 }, 100)).toBe(false);
    expect(isOverdue({ status: "done", windowTo: 100 }, 101)).toBe(false);
  });
});

describe("a request's default window (as soon as convenient today)", () => {
  const zone = "Asia/Shanghai";
  const at = (local: string) => Date.parse(`${local}+08:00`);
  it("runs from the press to the end of the day on the platform's calendar", () => {
    expect(requestWindow(at("2026-12-31T09:15:00"), zone)).toEqual({
      from: at("2026-12-31T09:15:00"),
      to: at("2027-01-01T00:00:00"),
    });
  });
  it("late in the evening, to the end of tomorrow", () => {
    expect(requestWindow(at("2026-12-31T21:30:00"), zone)).toEqual({
      from: at("2026-12-31T21:30:00"),
      to: at("2027-01-02T00:00:00"),
    });
  });
  it("follows the zone's own midnight (another zone, another day)", () => {
    const now = Date.parse("2026-12-31T10:00:00Z");
    expect(requestWindow(now, "Europe/Berlin").to).toBe(Date.parse("2026-12-31T23:00:00Z"));
  });
});
