// A dispatcher's 12-hour shift, in real Chromium against the real platform: escalations heard
// after the case was acknowledged, one acknowledge per item, a map that orients with no tile
// server, Assign on the first screen, follow-ups that keep the loop open, device search, case
// history, and axe finding nothing serious on the console, the drawer or the phone app.
import AxeBuilder from "@axe-core/playwright";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { offset } from "../helpers/scenario.ts";
import { E2E_ESCALATION_SECONDS } from "./global-setup.ts";
import { logInToConsole, submitLogin } from "./browser.ts";
import { e2eFixture, text } from "./fixture.ts";

const fx = e2eFixture();

const alarmLog = (page: Page) => page.evaluate(() => window.__alarmLog ?? []);

/** Serious and critical axe violations, as "rule: target" lines (empty when there are none). */
async function seriousViolations(page: Page): Promise<string[]> {
  const { violations } = await new AxeBuilder({ page }).analyze();
  return violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.target.join(" ")}`));
}

describe("a dispatcher's shift", () => {
  it("an acknowledged case that nobody accepts escalates: the alert names the resident and the reason and the alarm sounds again", async () => {
    const home = fx.home("BJ-01101");
    // On duty and offered the case, but never answering.
    await fx.responderAt("caregiver007", offset(home.lat, home.lng, 200, 0));
    const { page, errors } = await fx.openPage();
    await logInToConsole(page);
    const d = await fx.device("BJ-01101");
    const caseId = await fx.press(d, "e2e-shift-escalate-1");
    const { resident } = await fx.caseDetail(caseId);

    await page.getByTestId(`row-ack-${caseId}`).click();
    await page.getByTestId(`needs-case:${caseId}`).waitFor({ state: "detached" });
    const before = (await alarmLog(page)).length;

    // The engine escalates at the deadline; the console shows it pinned, with its own sound.
    const alert = page.locator('[data-testid^="needs-alert:"]', { hasText: resident.name });
    await alert.waitFor({ timeout: (E2E_ESCALATION_SECONDS + 10) * 1000 });
    expect(await alert.textContent()).toContain("超时无人接单");
    expect(await text(page, "alarm-banner")).toContain(resident.name);
    await page.waitForFunction((n) => (window.__alarmLog ?? []).length > n, before);
    expect((await alarmLog(page)).slice(before)).toContain("escalation");
    expect(await page.evaluate(() => document.body.dataset.alarm)).toBe("on");
    // The case itself carries the escalation as a badge.
    await page.getByTestId(`case-row-${caseId}`).getByTestId("escalation-no_accept").waitFor();

    // A person acknowledges the alert: it leaves the list, and nothing is left to sound.
    await alert.getByRole("button", { name: "确认" }).click();
    await alert.waitFor({ state: "detached" });
    await page.waitForFunction(() => document.body.dataset.alarm === "off");
    expect(errors).toEqual([]);
  });

  it("acknowledging one case leaves the others listed and sounding; the bulk button acknowledges exactly those shown", async () => {
    const { page, errors } = await fx.openPage();
    await page.clock.install();
    await logInToConsole(page);
    const ids: number[] = [];
    for (const [i, id] of ["BJ-01201", "BJ-01202", "BJ-01203"].entries()) {
      ids.push(await fx.press(await fx.device(id), `e2e-shift-ack-${i}`));
      await page.getByTestId(`needs-case:${ids[i]}`).waitFor();
    }
    const [first, second, third] = ids as [number, number, number];
    await page.getByTestId(`needs-ack-case:${first}`).click();
    await page.getByTestId(`needs-case:${first}`).waitFor({ state: "detached" });
    expect(await page.getByTestId(`needs-case:${second}`).count()).toBe(1);
    expect((await fx.caseDetail(first)).case.staffAckAt).not.toBeNull();
    expect((await fx.caseDetail(second)).case.staffAckAt).toBeNull();
    // The others still sound: their repeat comes.
    const sounded = (await alarmLog(page)).length;
    await page.clock.runFor(31_000);
    expect((await alarmLog(page)).length).toBeGreaterThan(sounded);

    // "Acknowledge these N" acknowledges the N listed, and nothing else.
    const listed = await page
      .locator(
        '[data-testid="needs-action"] [data-testid^="needs-ack-"]:not([data-testid="needs-ack-shown"])',
      )
      .count();
    expect(await text(page, "needs-ack-shown")).toContain(String(listed));
    await page.getByTestId("needs-ack-shown").click();
    await page.getByTestId("needs-action").waitFor({ state: "detached" });
    for (const id of [second, third]) expect((await fx.caseDetail(id)).case.staffAckAt).not.toBeNull();
    expect(errors).toEqual([]);
  });

  it("with no tile server the map fits the open cases, draws grid outlines and names the communities", async () => {
    const { page, errors } = await fx.openPage({ viewport: { width: 1280, height: 720 } });
    const caseId = await fx.press(await fx.device("BJ-01301"), "e2e-shift-map-1");
    await logInToConsole(page);
    const marker = page.getByTestId(`case-marker-${caseId}`);
    await marker.waitFor();
    await page.locator(".community-label").first().waitFor();
    const labels = await page.locator(".community-label").allTextContents();
    expect(labels.length).toBeGreaterThanOrEqual(8);
    expect(labels).toContain("西关社区");
    expect(await page.locator("path.grid-outline").count()).toBeGreaterThanOrEqual(16);
    // Fitted: the open case lies inside the visible map, not off-screen.
    const map = (await page.getByTestId("map").boundingBox())!;
    const box = (await marker.boundingBox())!;
    expect(box.x).toBeGreaterThanOrEqual(map.x);
    expect(box.x + box.width).toBeLessThanOrEqual(map.x + map.width);
    expect(box.y).toBeGreaterThanOrEqual(map.y);
    expect(box.y + box.height).toBeLessThanOrEqual(map.y + map.height);
    // Markers are off the keyboard path; the skip link leads to the queue.
    expect(await marker.getAttribute("tabindex")).toBeNull();
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.getAttribute("data-testid"))).toBe(
      "skip-to-queue",
    );
    await page.keyboard.press("Enter");
    await page.waitForFunction(() => document.activeElement?.id === "case-queue");
    expect(errors).toEqual([]);
  });

  it("at 1280×720 the drawer shows the candidates with Assign on the first screen, and focus moves into it and back", async () => {
    const { page, errors } = await fx.openPage({ viewport: { width: 1280, height: 720 } });
    await logInToConsole(page);
    const caseId = await fx.press(await fx.device("BJ-01401"), "e2e-shift-drawer-1");
    // Nobody was there to offer it to; now a caregiver comes on duty nearby: a candidate.
    const home = fx.home("BJ-01401");
    const responder = await fx.responderAt("caregiver008", offset(home.lat, home.lng, 300, 0));
    const row = page.getByTestId(`case-row-${caseId}`).locator(".case-row-main");
    await row.focus();
    await page.keyboard.press("Enter");
    await page.waitForFunction(() => document.activeElement?.id === "drawer-title");
    // Coming on duty, they were offered the case at once: listed with the offer, and assignable.
    const assign = page.getByTestId(`assign-${responder.id}`);
    await assign.waitFor();
    await page.getByTestId(`candidate-offer-${responder.id}`).waitFor();
    const box = (await assign.boundingBox())!;
    expect(box.y + box.height).toBeLessThanOrEqual(720);
    expect(box.x + box.width).toBeLessThanOrEqual(1280);

    expect(await seriousViolations(page)).toEqual([]);
    await page.keyboard.press("Escape");
    await page.getByTestId("case-drawer").waitFor({ state: "detached" });
    expect(await page.evaluate(() => document.activeElement?.getAttribute("data-case-id"))).toBe(
      String(caseId),
    );
    expect(errors).toEqual([]);
  });

  it("device search finds BJ-01500 on the server, and the case history finds a closed case by the resident's name", async () => {
    const d = await fx.device("BJ-01501");
    const caseId = await fx.press(d, "e2e-shift-history-1");
    await fx.staffAction(caseId, "cancel", { reason: "误报" });
    await fx.staffAction(caseId, "follow-up", { outcome: "reached_ok" });
    const { resident } = await fx.caseDetail(caseId);

    const { page, errors } = await fx.openPage();
    await logInToConsole(page);
    await page.getByTestId("tab-devices").click();
    await page.getByTestId("device-search").fill("BJ-01500");
    await page.getByTestId("device-row-BJ-01500").waitFor();
    expect(await page.locator('[data-testid^="device-row-"]').count()).toBe(1);

    await page.getByTestId("tab-history").click();
    await page.getByTestId("history-resident").fill(resident.name);
    await page.getByTestId("history-search").click();
    await page.getByTestId(`history-row-${caseId}`).waitFor();
    expect(await text(page, `history-row-${caseId}`)).toContain("已结案");
    await page.getByTestId(`history-open-${caseId}`).click();
    await page.locator('[data-testid="case-drawer"][data-read-only="true"]').waitFor();
    await page.locator('[data-testid="timeline"] li[data-event="closed"]').waitFor();
    expect(await page.getByTestId("drawer-ack").count()).toBe(0);
    expect(await page.getByTestId("btn-follow-up").count()).toBe(0);
    expect(errors).toEqual([]);
  });

  // Three full axe passes over a live console are slow on a busy machine: a wider cap.
  it("axe finds no serious or critical violation on the console with an alarm, or on the phone app", async () => {
    const { page, errors } = await fx.openPage();
    await logInToConsole(page);
    const caseId = await fx.press(await fx.device("BJ-01601"), "e2e-shift-axe-1");
    await page.getByTestId(`needs-case:${caseId}`).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByTestId("tab-devices").click();
    await page.getByTestId("device-filter-all").click();
    await page.getByTestId("device-table").waitFor();
    expect(await seriousViolations(page)).toEqual([]);

    const home = fx.home("BJ-01601");
    const { page: phone } = await fx.phone("caregiver009", offset(home.lat, home.lng, 100, 0));
    await submitLogin(phone, "caregiver009");
    await phone.getByTestId("duty-toggle").waitFor();
    expect(await seriousViolations(phone)).toEqual([]);
    expect(errors).toEqual([]);
  }, 120_000);
});
