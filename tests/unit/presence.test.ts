import { describe, expect, it } from "vitest";
import { noticeOnReturn, phoneStateOf, silentTooLong } from "../../dispatcher/responders/presence.ts";
import { endpointAllowed, parseOriginPatterns } from "../../dispatcher/push/endpoint-policy.ts";

const W = { presenceMs: 120_000, offDutyMs: 1_800_000 };
const NOW = 10_000_000;

describe("how an offer would reach a phone", () => {
  it.each([
    [
      "a live socket is live, however long since the last heartbeat",
      { sockets: 1, lastSeenAt: 0, pushDevices: 0 },
      "live",
    ],
    [
      "no socket, seen a minute ago, subscribed to push: push only",
      { sockets: 0, lastSeenAt: NOW - 60_000, pushDevices: 1 },
      "push_only",
    ],
    [
      "no socket, silent for longer than the window: unreachable",
      { sockets: 0, lastSeenAt: NOW - 120_001, pushDevices: 2 },
      "unreachable",
    ],
    [
      "no socket and no push, even if seen just now: unreachable",
      { sockets: 0, lastSeenAt: NOW - 1000, pushDevices: 0 },
      "unreachable",
    ],
    ["never seen: unreachable", { sockets: 0, lastSeenAt: null, pushDevices: 1 }, "unreachable"],
    [
      "exactly at the window's end: still push only",
      { sockets: 0, lastSeenAt: NOW - 120_000, pushDevices: 1 },
      "push_only",
    ],
  ] as const)("%s", (_name, p, state) => {
    expect(phoneStateOf(p, NOW, W)).toBe(state);
  });

  it("silence long enough for off duty counts from the platform's start for a phone never seen since", () => {
    const started = NOW - 1_000_000;
    expect(silentTooLong({ sockets: 0, lastSeenAt: null, pushDevices: 0 }, NOW, started, W)).toBe(false);
    expect(
      silentTooLong({ sockets: 0, lastSeenAt: null, pushDevices: 0 }, started + 1_800_000, started, W),
    ).toBe(true);
    // Seen before a restart: the restart, not the old sighting, starts the clock.
    expect(
      silentTooLong({ sockets: 0, lastSeenAt: started - 5_000_000, pushDevices: 0 }, NOW, started, W),
    ).toBe(false);
    expect(silentTooLong({ sockets: 1, lastSeenAt: 0, pushDevices: 0 }, NOW, 0, W)).toBe(false);
  });

  it("a phone coming back learns since when it was lost, and whether it was taken off duty", () => {
    expect(noticeOnReturn(NOW - 600_000, null, NOW)).toEqual({
      kind: "was_unreachable",
      since: new Date(NOW - 600_000).toISOString(),
      until: new Date(NOW).toISOString(),
    });
    expect(noticeOnReturn(NOW - 600_000, NOW - 1000, NOW).kind).toBe("taken_off_duty");
  });
});

describe("which push endpoints the platform posts to", () => {
  const patterns = parseOriginPatterns(
    "https://fcm.googleapis.com, https://*.push.apple.com,http://127.0.0.1:*",
  );
  it.each([
    ["https://fcm.googleapis.com/fcm/send/abc", true],
    ["https://web.push.apple.com/QH4x", true],
    ["https://push.apple.com/x", false],
    ["https://evilpush.apple.com.example/x", false],
    ["http://fcm.googleapis.com/fcm/send/abc", false],
    ["https://fcm.googleapis.com:8443/x", false],
    ["http://127.0.0.1:41234/push/1", true],
    ["http://127.0.0.2:41234/push/1", false],
    ["https://user:pw@fcm.googleapis.com/x", false],
    ["not a url", false],
  ])("%s → %s", (endpoint, allowed) => {
    expect(endpointAllowed(endpoint, patterns)).toBe(allowed);
  });

  it("a malformed origin in the setting is named", () => {
    expect(() => parseOriginPatterns("https://ok.example,ftp://x")).toThrow("ftp://x");
  });
});
