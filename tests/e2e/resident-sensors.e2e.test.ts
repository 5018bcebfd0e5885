// The duty desk sets a resident's home-sensor rules on the resident's page, in real Chromium:
// the windows by day and night, night hours, and the door watch for a resident with dementia;
// a night window shorter than the day's is refused inline; the change is what the server then
// uses, and it is in the record's history. A manager reads the rules but cannot change them.
import { describe, expect, it } from "vitest";
import type { DeviceRecord, ResidentRecord, SensorSettings } from "../../protocol/api.ts";
import { api, login } from "../helpers/app.ts";
import { logInToConsole } from "./browser.ts";
import { e2eFixture, text } from "./fixture.ts";

const fx = e2eFixture();
const DEVICE = "BJ-00341";

describe("a resident's home-sensor rules", () => {
  it("a dispatcher sets the inactivity windows and the door watch; the change is audited", async () => {
    const staff = (await login(fx.world.httpUrl, "dispatcher")).token;
    const device = await api<DeviceRecord>(fx.world.httpUrl, staff, "GET", `/api/devices/${DEVICE}`);
    const residentId = device.body.residentId;
    const resident = await api<ResidentRecord>(
      fx.world.httpUrl,
      staff,
      "GET",
      `/api/residents/${residentId}`,
    );

    const { page, errors } = await fx.openPage();
    await logInToConsole(page, "dispatcher");
    await page.getByTestId("tab-residents").click();
    await page.getByTestId("resident-search").fill(resident.body.name);
    await page.getByTestId(`resident-open-${residentId}`).click();
    const panel = page.getByTestId("resident-sensors");
    await panel.getByTestId("sensors-inactivityDayMinutes").waitFor();
    expect(await panel.getByRole("heading").first().textContent()).toBe("居家传感器");
    expect(await panel.getByTestId("sensors-inactivityDayMinutes").inputValue()).toBe("240");
    expect(await panel.getByTestId("sensors-doorFrom").isDisabled()).toBe(true);

    // A night window shorter than the day's is refused before anything is sent.
    await panel.getByTestId("sensors-inactivityDayMinutes").fill("180");
    await panel.getByTestId("sensors-inactivityNightMinutes").fill("120");
    expect(await panel.locator(".reg-field-bad").textContent()).toContain("夜间时长不能短于白天");
    expect(await panel.getByTestId("sensors-save").isDisabled()).toBe(true);

    await panel.getByTestId("sensors-inactivityNightMinutes").fill("480");
    await panel.getByTestId("sensors-doorWatch").check();
    await panel.getByTestId("sensors-doorFrom").fill("21:30");
    await panel.getByTestId("sensors-save").click();
    await panel.getByTestId("sensors-saved").waitFor();

    const stored = await api<SensorSettings>(
      fx.world.httpUrl,
      staff,
      "GET",
      `/api/residents/${residentId}/sensors`,
    );
    expect(stored.body).toMatchObject({
      inactivityDayMinutes: 180,
      inactivityNightMinutes: 480,
      doorWatch: true,
      doorFrom: "21:30",
      doorTo: "06:00",
    });
    // In the record's history, who changed what.
    await page.locator('[data-testid="audit-history"] li[data-action="update"]').first().waitFor();
    const history = await text(page, "audit-history");
    expect(history).toContain("sensors.inactivityDayMinutes");
    expect(history).toContain("sensors.doorWatch");

    // In English, the same screen speaks English.
    await page.getByTestId("lang-switch").first().click();
    await expect.poll(() => panel.getByRole("heading").first().textContent()).toBe("Home sensors");

    // A manager sees the rules, not a save button.
    const manager = await fx.openPage();
    await logInToConsole(manager.page, "manager");
    await manager.page.getByTestId("tab-residents").click();
    await manager.page.getByTestId("resident-search").fill(resident.body.name);
    await manager.page.getByTestId(`resident-open-${residentId}`).click();
    const read = manager.page.getByTestId("resident-sensors");
    await read.getByTestId("sensors-inactivityDayMinutes").waitFor();
    expect(await read.getByTestId("sensors-inactivityDayMinutes").inputValue()).toBe("180");
    expect(await read.getByTestId("sensors-inactivityDayMinutes").isDisabled()).toBe(true);
    expect(await read.getByTestId("sensors-save").count()).toBe(0);
    expect(errors).toEqual([]);
    expect(manager.errors).toEqual([]);
  }, 90_000);
});
