// The supervision profiles on the device-health screen in real Chromium: an admin changes a
// pendant's heartbeat interval and it is stored; a value outside the allowed range gets a clear
// error and changes nothing; a manager sees the profiles without inputs.
import { describe, expect, it } from "vitest";
import type { SupervisionProfile } from "../../protocol/api.ts";
import { api, login } from "../helpers/app.ts";
import { logInToConsole } from "./browser.ts";
import { e2eFixture, text } from "./fixture.ts";

const fx = e2eFixture();

const pendant = async (token: string) =>
  (await api<SupervisionProfile[]>(fx.world.httpUrl, token, "GET", "/api/supervision-profiles")).body.find(
    (p) => p.kind === "pendant",
  )!;

describe("supervision profiles in the console", () => {
  it("an admin changes a kind's heartbeat; an out-of-range value is refused; a manager only reads", async () => {
    const admin = (await login(fx.world.httpUrl, "admin")).token;
    const before = await pendant(admin);
    const { page, errors } = await fx.openPage();
    try {
      await logInToConsole(page, "admin");
      await page.getByTestId("tab-devices").click();
      const heartbeat = page.getByTestId("profile-pendant-heartbeatSeconds");
      await heartbeat.waitFor();
      expect(await heartbeat.inputValue()).toBe(String(before.heartbeatSeconds));

      await heartbeat.fill("30"); // below a minute
      await page.getByTestId("profile-pendant-save").click();
      await page.getByTestId("profile-pendant-error").waitFor();
      expect((await pendant(admin)).heartbeatSeconds).toBe(before.heartbeatSeconds);

      const next = before.heartbeatSeconds + 300;
      await heartbeat.fill(String(next));
      // Stored: the row starts again from the stored profile, with the time it was changed.
      const updated = await text(page, "profile-pendant-updated");
      await page.getByTestId("profile-pendant-save").click();
      await page.waitForFunction(
        (was) => document.querySelector('[data-testid="profile-pendant-updated"]')?.textContent !== was,
        updated,
      );
      expect(await page.getByTestId("profile-pendant-error").count()).toBe(0);
      expect(await heartbeat.inputValue()).toBe(String(next));
      expect((await pendant(admin)).heartbeatSeconds).toBe(next);
      expect((await pendant(admin)).updatedAt).not.toBeNull();
      expect(errors).toEqual([]);

      const manager = await fx.openPage();
      await logInToConsole(manager.page, "manager");
      await manager.page.getByTestId("tab-devices").click();
      await manager.page.getByTestId("profile-pendant").waitFor();
      expect(await text(manager.page, "profile-pendant")).toContain(String(next));
      expect(await manager.page.getByTestId("profile-pendant-heartbeatSeconds").count()).toBe(0);
      expect(manager.errors).toEqual([]);
    } finally {
      const { kind: _kind, updatedAt: _at, ...input } = before;
      await api(fx.world.httpUrl, admin, "PUT", "/api/supervision-profiles/pendant", input);
    }
  });
});
