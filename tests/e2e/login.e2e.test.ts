// Logging in and out, in real Chromium against the real platform.
import { describe, expect, it } from "vitest";
import { api, TEST_PASSWORD } from "../helpers/app.ts";
import { logInToConsole, submitLogin } from "./browser.ts";
import { e2eFixture, pathOf, text } from "./fixture.ts";

const fx = e2eFixture();

describe("logging in", () => {
  it("a wrong password shows an error; the right one opens the console", async () => {
    const { page, errors } = await fx.openPage();
    await submitLogin(page, "dispatcher", "not-the-password");
    await page.getByTestId("login-error").waitFor();
    expect(await text(page, "login-error")).toContain("用户名或密码错误");
    expect(pathOf(page)).toBe("/login");

    await page.getByTestId("login-password").fill(TEST_PASSWORD);
    await page.getByTestId("login-submit").click();
    await page.getByTestId("current-user").waitFor();
    expect(await text(page, "current-user")).toContain("值班员");
    expect(pathOf(page)).toBe("/");
    await page.locator('[data-testid="connection"][data-state="connected"]').waitFor();
    await page.getByTestId("map").waitFor();
    expect(errors).toEqual([]);
  });

  it("a reload keeps the session; logging out returns to the login page and ends the session", async () => {
    const { page, errors } = await fx.openPage();
    await logInToConsole(page);
    const token = await page.evaluate(
      () => (JSON.parse(localStorage.getItem("eldercare.session") ?? "{}") as { token?: string }).token,
    );
    expect(token).toBeTruthy();

    await page.reload();
    await page.getByTestId("current-user").waitFor();
    await page.locator('[data-testid="connection"][data-state="connected"]').waitFor();
    expect(pathOf(page)).toBe("/");
    expect(await page.getByTestId("login-username").count()).toBe(0);

    await page.getByTestId("logout").click();
    await page.getByTestId("login-username").waitFor();
    expect(pathOf(page)).toBe("/login");
    expect(await page.evaluate(() => localStorage.getItem("eldercare.session"))).toBeNull();
    expect((await api(fx.world.httpUrl, token!, "GET", "/api/auth/me")).status).toBe(401);

    // The console is out of reach without logging in again.
    await page.goto("/");
    await page.getByTestId("login-username").waitFor();
    expect(pathOf(page)).toBe("/login");
    expect(errors).toEqual([]);
  });
});
