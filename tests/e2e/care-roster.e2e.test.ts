// The roster view in real Chromium: a manager gives a caregiver a weekly shift in the console,
// and the duty board shows them as next on, with the uncovered hours before it as a warning.
import { describe, expect, it } from "vitest";
import type { ResponderSummary, Roster } from "../../protocol/api.ts";
import { localTime, PLATFORM_TIME_ZONE } from "../../protocol/index.ts";
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
});
