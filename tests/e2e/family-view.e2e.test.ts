// A family member on a 360 px phone, in real Chromium against the real platform: invited by the
// duty desk (the code read out on the phone, no SMS gateway here), they sign in with phone + code,
// watch their elder's press go from received to someone coming to on scene, live, and say "I'm on
// my way", which the dispatcher sees in the case's timeline.
import { describe, expect, it } from "vitest";
import type { OfferWithCase } from "../../protocol/api.ts";
import { api, nextEvent } from "../helpers/app.ts";
import { offset } from "../helpers/scenario.ts";
import { logInToConsole } from "./browser.ts";
import { inviteContactOf } from "./family-invite.ts";
import { e2eFixture, pathOf } from "./fixture.ts";

const fx = e2eFixture();
const DEVICE = "BJ-00311";

describe("the family view", () => {
  it("shows the elder's live case on a 360 px phone, and 'I'm on my way' reaches the dispatcher's timeline", async () => {
    const { residentId, phone: mobile, invite } = await inviteContactOf(fx.world.httpUrl, DEVICE);
    expect(invite.sentBySms).toBe(false); // no gateway: the desk reads the code out

    const { page: phone, errors } = await fx.openPage({
      viewport: { width: 360, height: 740 },
      hasTouch: true,
    });
    await phone.goto("/family");
    await phone.getByTestId("family-phone").fill(mobile);
    await phone.getByTestId("family-code").fill(invite.code);
    await phone.getByTestId("family-sign-in").click();
    await phone.getByTestId("family-all-well").waitFor();
    expect(pathOf(phone)).toBe("/family");
    await phone.locator('[data-testid="connection"][data-state="connected"]').waitFor();

    const home = fx.home(DEVICE);
    const responder = await fx.responderAt("caregiver002", offset(home.lat, home.lng, 250, 0));
    const offered = nextEvent(
      responder.socket,
      "offer",
      (o: OfferWithCase) => o.case.residentId === residentId,
      15_000,
    );
    const d = await fx.device(DEVICE);
    const caseId = await fx.press(d, "e2e-family-1");

    const card = phone.locator(`[data-testid="family-case"][data-case-id="${caseId}"]`);
    await card.and(phone.locator('[data-stage="received"]')).waitFor();
    expect(await card.getByTestId("family-stage").textContent()).toBe("平台已收到");

    const offer = await offered;
    expect(
      (await api(fx.world.httpUrl, responder.token, "POST", `/api/offers/${offer.id}/accept`)).status,
    ).toBe(200);
    await card.and(phone.locator('[data-stage="coming"]')).waitFor();
    expect(await card.getByTestId("family-coming").textContent()).toContain(responder.name);

    await phone.getByTestId("family-eta").fill("25");
    await phone.getByTestId("family-on-my-way").click();
    await phone.getByTestId("family-on-my-way-sent").waitFor();

    // The dispatcher opens the case: the family member's word is in the timeline.
    const { page: desk, errors: deskErrors } = await fx.openPage();
    await logInToConsole(desk);
    await desk.getByTestId(`case-row-${caseId}`).click();
    const onWay = desk.locator('[data-testid="timeline"] li[data-event="family_on_way"]');
    await onWay.waitFor();
    expect(await onWay.textContent()).toContain("家人正在赶来");
    expect(await onWay.getByTestId("timeline-detail").textContent()).toBe("约 25 分钟到");

    expect(
      (await api(fx.world.httpUrl, responder.token, "POST", `/api/cases/${caseId}/arrived`)).status,
    ).toBe(200);
    await card.and(phone.locator('[data-stage="on_scene"]')).waitFor();
    const steps = await card
      .locator('[data-testid="family-steps"] li')
      .evaluateAll((li) => li.map((x) => x.getAttribute("data-step")));
    expect(steps).toEqual(["received", "coming", "family_on_way", "on_scene"]);

    // Made for the phone: nothing wider than its 360 px screen.
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    expect(errors).toEqual([]);
    expect(deskErrors).toEqual([]);
  });
});
