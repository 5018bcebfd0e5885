// A caregiver with the responder phone app, in real Chromium against the real platform: go on
// duty, share the position, get an offer with a countdown for a real press, accept, set off,
// arrive, resolve, log out. The dispatcher follows the same case on the console.
import { describe, expect, it } from "vitest";
import type { ResponderSummary } from "../../protocol/api.ts";
import { login, nextEvent } from "../helpers/app.ts";
import { offset } from "../helpers/scenario.ts";
import { logInToConsole, submitLogin } from "./browser.ts";
import { e2eFixture, pathOf } from "./fixture.ts";

const fx = e2eFixture();

/** "0:58" → 58: the seconds an offer countdown shows. */
const countdownSeconds = (shown: string) => {
  const m = /(\d+):(\d\d)/.exec(shown);
  if (!m) throw new Error(`no countdown in "${shown}"`);
  return Number(m[1]) * 60 + Number(m[2]);
};

describe("the responder phone app", () => {
  it("goes on duty, gets an offer for a new press, accepts, sets off, arrives, resolves and logs out", async () => {
    const home = fx.home("BJ-00301");
    const standing = offset(home.lat, home.lng, 180, -120);
    const { user } = await login(fx.world.httpUrl, "caregiver001");
    const responderId = user.responderId!;
    // The dispatcher watches the same case on the console; staff also see the phone's position.
    const { page: desk, errors: deskErrors } = await fx.openPage();
    await logInToConsole(desk);
    const staff = await fx.staffSocket();
    const located = nextEvent(
      staff,
      "responder:updated",
      (r: ResponderSummary) =>
        r.id === responderId && r.onDuty && r.lat !== null && Math.abs(r.lat - standing.lat) < 1e-6,
      15_000,
    );

    const { page: phone, errors } = await fx.phone("caregiver001", standing);
    await phone.clock.install();
    await submitLogin(phone, "caregiver001");
    await phone.getByTestId("duty-toggle").waitFor();
    expect(pathOf(phone)).toBe("/responder");
    await phone.locator('[data-testid="connection"][data-state="connected"]').waitFor();
    expect(await phone.getByTestId("duty-toggle").getAttribute("data-on-duty")).toBe("false");

    await phone.getByTestId("duty-toggle").click();
    await phone.locator('[data-testid="duty-toggle"][data-on-duty="true"]').waitFor();
    // The phone shares its position; the platform must have it before it can match.
    await located;

    const d = await fx.device("BJ-00301");
    const caseId = await fx.press(d, "e2e-phone-1");
    const card = phone.getByTestId("offer-card");
    await card.waitFor();
    const { resident } = await fx.caseDetail(caseId);
    expect(await card.textContent()).toContain(resident.name);
    // The countdown runs with the phone's clock.
    const left = countdownSeconds((await phone.getByTestId("offer-countdown").textContent()) ?? "");
    expect(left).toBeGreaterThan(30);
    await phone.clock.runFor(20_000);
    expect(
      countdownSeconds((await phone.getByTestId("offer-countdown").textContent()) ?? ""),
    ).toBeLessThanOrEqual(left - 20);

    await phone.getByTestId("offer-accept").click();
    await phone.locator('[data-testid="active-case"][data-status="accepted"]').waitFor();
    expect(await phone.getByTestId("offer-card").count()).toBe(0);
    await d.ack((a) => a.status === "assigned");
    await desk.locator(`[data-testid="case-row-${caseId}"][data-status="accepted"]`).waitFor();

    await phone.getByTestId("btn-en-route").click();
    await phone.locator('[data-testid="active-case"][data-status="en_route"]').waitFor();
    await desk.locator(`[data-testid="case-row-${caseId}"][data-status="en_route"]`).waitFor();

    await phone.getByTestId("btn-arrived").click();
    await phone.locator('[data-testid="active-case"][data-status="on_scene"]').waitFor();
    await d.ack((a) => a.status === "arrived");

    await phone.getByTestId("resolve-note").fill("老人在家中，血压偏高，已协助服药并通知家属");
    await phone.getByTestId("btn-resolve").click();
    await phone.getByTestId("active-case").waitFor({ state: "detached" });
    await phone.getByTestId("notice").waitFor();
    // Resolved cases wait for the follow-up call in the console's queue.
    await desk.locator(`[data-testid="queue-followup"] [data-testid="case-row-${caseId}"]`).waitFor();
    expect((await fx.caseDetail(caseId)).case).toMatchObject({ status: "resolved", responderId });

    // Nobody watches a logged-out phone: logging out goes off duty first.
    const offDuty = nextEvent(
      staff,
      "responder:updated",
      (r: ResponderSummary) => r.id === responderId && !r.onDuty,
    );
    await phone.getByTestId("logout").click();
    await phone.getByTestId("login-username").waitFor();
    await offDuty;
    expect(errors).toEqual([]);
    expect(deskErrors).toEqual([]);
  });
});
