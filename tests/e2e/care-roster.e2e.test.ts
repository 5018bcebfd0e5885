// The roster view in real Chromium: a manager gives a caregiver a weekly shift in the console,
// and the duty board shows them as next on, with the uncovered hours before it as a warning; the
// hours before a community's first rostered shift are raised as a coverage alert that appears on
// the open page, and one acknowledged in the console is stored as seen by that user.
import { describe, expect, it } from "vitest";
import type { CoverageAlert, ResponderSummary, Roster } from "../../protocol/api.ts";
import { localDate, localTime, PLATFORM_TIME_ZONE } from "../../protocol/index.ts";
import { api, login } from "../helpers/app.ts";
import { logInToConsole } from "./browser.ts";
import { e2eFixture, text } from "./fixture.ts";

const fx = e2eFixture();

describe("the roster view", () => {
  it("a weekly shift added in the console shows on the duty board, with the gap before it", async () => {
    const admin = (await login(fx.world.httpUrl, "admin")).token;
    const responderId = (await login(fx.world.httpUrl, "caregiver020")).user.responderId!;
    const who = (await api<ResponderSummary[]>(fx.world.httpUrl, admin, "GET", "/api/responders")).body.find(
      (r) => r.id === responderId,
    )!;
    const { page, errors } = await fx.openPage();
    try {
      await logInToConsole(page, "admin");
      await page.getByTestId("tab-roster").click();
      await page.getByTestId("duty-board").waitFor();
      await page.getByTestId("roster-responder").selectOption(String(responderId));
      for (const d of ["SA", "SU"]) await page.getByTestId(`day-${d}`).check();
      // Starts in two hours (Beijing time), for three hours, every day of the week.
      const start = localTime(Date.now() + 2 * 3_600_000, PLATFORM_TIME_ZONE).slice(0, 5);
      await page.getByTestId("pattern-start").fill(start);
      await page.getByTestId("pattern-hours").fill("3");
      await page.getByTestId("pattern-add").click();
      await page.locator('[data-testid="roster-patterns"] li').first().waitFor();
      expect(await text(page, "roster-patterns")).toContain(start);
      expect(await page.locator('[data-testid="roster-upcoming"] li').count()).toBeGreaterThan(0);

      const next = page.getByTestId(`next-${who.communityId}`);
      await next.getByText(who.name).first().waitFor();
      expect(await next.textContent()).toContain(start);
      await page.getByTestId(`gaps-${who.communityId}`).waitFor();
      expect(await text(page, `gaps-${who.communityId}`)).toContain("没有照护员在班");
      expect(errors).toEqual([]);
    } finally {
      // The e2e city is shared: leave the caregiver without a roster again.
      const roster = await api<Roster>(fx.world.httpUrl, admin, "GET", `/api/rosters/${responderId}`);
      for (const p of roster.body.patterns) {
        await api(fx.world.httpUrl, admin, "DELETE", `/api/shift-patterns/${p.id}`);
      }
    }
  });

  it("lists a coverage alert live, and one acknowledged in the console is stored as seen", async () => {
    const admin = await login(fx.world.httpUrl, "admin");
    const responderId = (await login(fx.world.httpUrl, "caregiver027")).user.responderId!;
    // A roster that starts in three hours: its community is uncovered until then, which the
    // platform's sweep (every 30 s) raises as an alert while the page is open.
    const now = Date.now();
    const pattern = await api<{ id: number }>(
      fx.world.httpUrl,
      admin.token,
      "POST",
      `/api/rosters/${responderId}/patterns`,
      {
        days: ["MO", "TU", "WE", "TH", "FR", "SA", "SU"],
        start: localTime(now + 3 * 3_600_000, PLATFORM_TIME_ZONE).slice(0, 5),
        minutes: 180,
        from: localDate(now, PLATFORM_TIME_ZONE),
      },
    );
    expect(pattern.status).toBe(201);
    const { page, errors } = await fx.openPage();
    try {
      await logInToConsole(page, "admin");
      await page.getByTestId("tab-roster").click();
      const first = page.locator('[data-testid="coverage-alerts"] li').first();
      await first.waitFor({ timeout: 60_000 });
      const id = Number((await first.getAttribute("data-testid"))!.replace("coverage-alert-", ""));
      await page.getByTestId(`coverage-ack-${id}`).click();
      await page.getByTestId(`coverage-seen-${id}`).waitFor();
      const seen = await text(page, `coverage-seen-${id}`);
      expect(seen).toContain("已知悉");
      expect(seen).toContain(admin.user.displayName);
      const stored = (
        await api<CoverageAlert[]>(fx.world.httpUrl, admin.token, "GET", "/api/coverage-alerts")
      ).body;
      expect(stored.find((a) => a.id === id)).toMatchObject({
        acknowledgedBy: admin.user.displayName,
        resolvedAt: null,
      });
      expect(errors).toEqual([]);
    } finally {
      await api(fx.world.httpUrl, admin.token, "DELETE", `/api/shift-patterns/${pattern.body.id}`);
    }
  }, 90_000);
});
