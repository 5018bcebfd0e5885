// A family member's phone with the family view closed, in real Chromium against the real platform:
// they turn notifications on once, close the page, and each stage of their elder's case reaches
// them as a Web Push notice (decrypted by the local push service, shown by the app's own service
// worker); tapping it opens the family view at the case. Signing out drops the subscription.
// Push is stubbed and delivered as in tests/e2e/phone-reach.e2e.test.ts (tests/e2e/push-stub.ts).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { OfferWithCase } from "../../protocol/api.ts";
import { startLocalPushService, type LocalPushService } from "../../device-sim/push-receiver.ts";
import { api, login, nextEvent } from "../helpers/app.ts";
import { offset } from "../helpers/scenario.ts";
import { inviteContactOf } from "./family-invite.ts";
import { e2eFixture } from "./fixture.ts";
import { pushToWorker, launchPhoneProfile, type PhoneProfile } from "./push-stub.ts";

const fx = e2eFixture();
const DEVICE = "BJ-00331";
let push: LocalPushService;
let profile: PhoneProfile;

beforeAll(async () => {
  const { token } = await login(fx.world.httpUrl, "volunteer001");
  const { publicKey } = (
    await api<{ publicKey: string }>(fx.world.httpUrl, token, "GET", "/api/responder/push")
  ).body;
  push = await startLocalPushService(() => publicKey);
  profile = await launchPhoneProfile(fx.world.httpUrl, push);
});
afterAll(async () => {
  await profile?.close();
  await push?.close();
});

describe("family notices with the page closed", () => {
  it("each chosen stage of the elder's case arrives as a push notice; tapping it opens the case", async () => {
    const { residentId, phone, invite } = await inviteContactOf(fx.world.httpUrl, DEVICE);

    // Signed in once; notifications are allowed in this profile, so the view subscribes itself.
    const { context } = profile;
    const page = await context.newPage();
    await page.goto("/family");
    await page.getByTestId("family-phone").fill(phone);
    await page.getByTestId("family-code").fill(invite.code);
    await page.getByTestId("family-sign-in").click();
    await page.getByTestId("family-all-well").waitFor();
    await page.locator('[data-testid="push-state"][data-state="on"]').waitFor();
    await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
    await page.close(); // the phone goes back in the pocket

    const home = fx.home(DEVICE);
    const responder = await fx.responderAt("caregiver003", offset(home.lat, home.lng, 250, 0));
    const offered = nextEvent(
      responder.socket,
      "offer",
      (o: OfferWithCase) => o.case.residentId === residentId,
      15_000,
    );
    const d = await fx.device(DEVICE);
    const caseId = await fx.press(d, "e2e-family-push-1");
    const { resident } = await fx.caseDetail(caseId);

    const received = await push.next(
      (r) => r.message.kind === "family" && r.message.caseId === caseId,
      15_000,
    );
    expect(received.message).toMatchObject({
      kind: "family",
      caseId,
      offerId: null,
      title: `${resident.name}：平台已收到`,
      tag: `family-case-${caseId}`,
      url: `/family?case=${caseId}`,
    });
    expect(received.message.body).toBe(`平台已收到${resident.name}的紧急呼叫求助，正在安排人员上门。`);

    const offer = await offered;
    expect(
      (await api(fx.world.httpUrl, responder.token, "POST", `/api/offers/${offer.id}/accept`)).status,
    ).toBe(200);
    const coming = await push.next(
      (r) => r.message.kind === "family" && r.message.caseId === caseId && r.message.title.includes("有人"),
      15_000,
    );
    expect(coming.message.title).toBe(`${resident.name}：有人正在赶来`);
    expect(coming.message.body).toContain(`${responder.name}正在赶往${resident.name}处`);
    expect(push.rejected).toEqual([]);

    // The app's service worker shows it on the lock screen, in place of the earlier stage's notice.
    const blank = await context.newPage();
    const shown = await pushToWorker(context, blank, fx.world.httpUrl, coming.message);
    expect(shown).toHaveLength(1);
    const [notification] = shown;
    expect(notification).toMatchObject({
      title: coming.message.title,
      body: coming.message.body,
      tag: `family-case-${caseId}`,
      url: `/family?case=${caseId}`,
    });

    // Tapped: the family view opens with the case and who is coming.
    const opened = await context.newPage();
    await opened.goto(notification!.url);
    const card = opened.locator(`[data-testid="family-case"][data-case-id="${caseId}"]`);
    await card.and(opened.locator('[data-stage="coming"]')).waitFor();
    expect(await card.getByTestId("family-coming").textContent()).toContain(responder.name);

    // Signing out forgets this browser's subscription.
    const forgotten = new Promise<void>((resolve) => {
      opened.on("request", (r) => {
        if (r.method() === "DELETE" && r.url().endsWith("/api/family/push")) {
          void r.response().then((res) => res?.status() === 204 && resolve());
        }
      });
    });
    await opened.getByTestId("logout").click();
    await forgotten;
    expect(profile.pageErrors).toEqual([]);
    await opened.close();
    await blank.close();
  }, 90_000);
});
