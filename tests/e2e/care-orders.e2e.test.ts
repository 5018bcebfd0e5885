// A service order in real Chromium, from creation to a volunteer's claim: the duty desk orders a
// meal for a resident in the console and publishes it; a volunteer of that community who cooks
// sees it on the phone and takes it; the console shows who has it.
import { describe, expect, it } from "vitest";
import type { Page, ResidentListItem, ResponderRecord, ResponderSummary } from "../../protocol/api.ts";
import { localDate, PLATFORM_TIME_ZONE } from "../../protocol/index.ts";
import { api, login } from "../helpers/app.ts";
import { logInToConsole, submitLogin } from "./browser.ts";
import { e2eFixture, text } from "./fixture.ts";

const fx = e2eFixture();

describe("a service order", () => {
  it("is placed and published in the console and claimed on a volunteer's phone", async () => {
    const admin = (await login(fx.world.httpUrl, "admin")).token;
    const team = (await api<ResponderSummary[]>(fx.world.httpUrl, admin, "GET", "/api/responders")).body;
    const cook = team.find((r) => r.role === "volunteer" && r.skills.includes("meal"))!;
    const record = (await api<ResponderRecord>(fx.world.httpUrl, admin, "GET", `/api/responders/${cook.id}`))
      .body;
    const username = record.account!.username;
    const residents = await api<Page<ResidentListItem>>(
      fx.world.httpUrl,
      admin,
      "GET",
      `/api/residents?communityId=${cook.communityId}&pageSize=1`,
    );
    const resident = residents.body.items[0]!;

    const { page: desk, errors } = await fx.openPage();
    await logInToConsole(desk);
    await desk.getByTestId("tab-orders").click();
    await desk.getByTestId("order-form").waitFor();
    await desk.getByTestId("intake-search").fill(resident.name);
    await desk.getByTestId(`intake-result-${resident.id}`).click();
    expect(await text(desk, "order-resident")).toContain(resident.name);
    await desk.getByTestId("order-service").selectOption("meal");
    await desk.getByTestId("order-day").fill(localDate(Date.now() + 86_400_000, PLATFORM_TIME_ZONE));
    await desk.getByTestId("order-from").fill("11:00");
    await desk.getByTestId("order-to").fill("12:00");
    await desk.getByTestId("order-notes").fill("少盐");
    await desk.getByTestId("order-place").click();
    const row = desk
      .locator('[data-testid^="order-"][data-status="queued"]')
      .filter({ hasText: resident.name });
    await row.waitFor();
    const orderId = Number((await row.getAttribute("data-testid"))!.replace("order-", ""));
    await desk.getByTestId(`order-publish-${orderId}`).click();
    await desk.locator(`[data-testid="order-${orderId}"][data-status="published"]`).waitFor();

    const { page: phone, errors: phoneErrors } = await fx.phone(username, fx.home("BJ-00301"));
    await submitLogin(phone, username);
    await phone.getByTestId(`claimable-${orderId}`).waitFor();
    expect(await text(phone, `claimable-${orderId}`)).toContain(resident.name);
    await phone.getByTestId(`claim-${orderId}`).click();
    await phone.locator(`[data-testid="my-order-${orderId}"][data-status="confirmed"]`).waitFor();

    // The console hears the claim.
    await desk.locator(`[data-testid="order-${orderId}"][data-status="confirmed"]`).waitFor();
    expect(await text(desk, `order-${orderId}`)).toContain(cook.name);
    expect(errors).toEqual([]);
    expect(phoneErrors).toEqual([]);
    await api(fx.world.httpUrl, admin, "POST", `/api/service-orders/${orderId}/cancel`, {
      reason: "test over",
    });
  });
});
