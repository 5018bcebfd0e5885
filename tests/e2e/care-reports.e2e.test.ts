// One report with a chart in real Chromium: the reports screen loads on demand (its chunk and the
// charting library are not part of the console's first load), draws the week's alarms of a press
// made now, and shows the totals.
import { describe, expect, it } from "vitest";
import { logInToConsole } from "./browser.ts";
import { e2eFixture, text } from "./fixture.ts";

const fx = e2eFixture();

describe("the reports screen", () => {
  it("loads on demand and draws a chart of the week's alarms", async () => {
    const d = await fx.device("BJ-00420");
    const caseId = await fx.press(d, "e2e-report-1");
    expect(caseId).toBeGreaterThan(0);

    const { page, errors } = await fx.openPage();
    const scripts: string[] = [];
    page.on("request", (r) => {
      if (r.resourceType() === "script") scripts.push(new URL(r.url()).pathname);
    });
    await logInToConsole(page, "manager");
    expect(scripts.some((s) => /ReportsPage/.test(s))).toBe(false);
    await page.getByTestId("tab-reports").click();
    await page.getByTestId("report-total").waitFor();
    expect(scripts.some((s) => /ReportsPage/.test(s))).toBe(true);

    // The total counts the press made above (and whatever earlier tests pressed today).
    const alarms = Number(
      (await page.locator('[data-testid="report-total"] td').nth(1).textContent()) ?? "0",
    );
    expect(alarms).toBeGreaterThanOrEqual(1);
    // The chart has drawn bars: its pixels differ from an empty canvas of the same size.
    const drawn = await page.getByTestId("report-chart").evaluate((c: HTMLCanvasElement) => {
      const blank = document.createElement("canvas");
      blank.width = c.width;
      blank.height = c.height;
      return c.width > 0 && c.height > 0 && c.toDataURL() !== blank.toDataURL();
    });
    expect(drawn).toBe(true);
    expect(await text(page, "report-table")).toContain("合计");
    expect(errors).toEqual([]);
  });
});
