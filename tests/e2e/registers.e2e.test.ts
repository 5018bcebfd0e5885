// The registers in real Chromium against the real platform: an admin enrols a resident and a
// call device in the console, the secret shown once lets the device in over MQTT and its press
// appears on the map; a sheet is checked and imported; each role gets its own console, and a
// manager's has no dispatch buttons.
import { describe, expect, it } from "vitest";
import type { Communities } from "../../protocol/api.ts";
import { IMPORT_COLUMNS } from "../../protocol/import.ts";
import { api, login } from "../helpers/app.ts";
import { offset } from "../helpers/scenario.ts";
import { logInToConsole } from "./browser.ts";
import { e2eFixture, text } from "./fixture.ts";

const fx = e2eFixture();

async function firstCommunity() {
  const admin = (await login(fx.world.httpUrl, "admin")).token;
  const { body } = await api<Communities>(fx.world.httpUrl, admin, "GET", "/api/communities");
  return body.communities[0]!;
}

describe("the registers", () => {
  it("an admin enrols a resident with a device; its secret lets the device in and its press appears on the map", async () => {
    const { page, errors } = await fx.openPage();
    await logInToConsole(page, "admin");
    const community = await firstCommunity();
    await page.getByTestId("tab-residents").click();
    await page.getByTestId("resident-new").click();

    // Inline validation, in Chinese, before anything is sent.
    await page.getByTestId("resident-phone").fill("12345");
    await page.getByTestId("resident-phone").blur();
    expect(
      await page
        .locator(".reg-field-bad")
        .filter({ has: page.getByTestId("resident-phone") })
        .textContent(),
    ).toContain("手机号");
    await page.getByTestId("resident-save").click();
    await page.getByTestId("resident-form-error").waitFor();
    expect(await text(page, "resident-form-error")).toContain("请先改正");

    await page.getByTestId("resident-name").fill("浏览器测试老人");
    await page.getByTestId("resident-birthDate").fill("1941-05-06");
    await page.getByTestId("resident-phone").fill("139 0000 1234");
    await page.getByTestId("resident-community").selectOption(String(community.id));
    await page.getByTestId("resident-grid").selectOption(String(community.grids[0]!.id));
    await page.getByTestId("resident-address").fill(`${community.name} 88号楼 2单元 301`);
    await page.getByTestId("resident-use-centre").click();
    await page.getByTestId("resident-conditions").fill("高血压、糖尿病");
    await page.getByTestId("contact-0-name").fill("张伟");
    await page.getByTestId("contact-0-relation").fill("儿子");
    await page.getByTestId("contact-0-phone").fill("13800138111");
    await page.getByTestId("resident-keyHolder").fill("邻居 王阿姨");
    await page.getByTestId("resident-save").click();

    const view = page.getByTestId("resident-view");
    await view.waitFor();
    const residentId = Number(await view.getAttribute("data-resident-id"));
    expect(await text(page, "resident-summary")).toContain("13900001234"); // stored normalized
    await page.locator('[data-testid="audit-history"] li[data-action="create"]').waitFor();

    // A device: its secret is shown once, with a QR label for the installer.
    await page.getByTestId("device-kind").selectOption("pendant");
    await page.getByTestId("device-enrol").click();
    await page.getByTestId("device-secret").waitFor();
    await page.getByTestId("secret-qr").waitFor();
    const deviceId = (await text(page, "secret-device-id")).trim();
    const secret = (await page.getByTestId("secret-value").getAttribute("data-secret"))!;
    expect(secret.length).toBeGreaterThanOrEqual(12);
    await page.getByTestId("secret-done").click();
    await page.getByTestId("device-secret").waitFor({ state: "detached" });
    await page.getByTestId(`device-row-${deviceId}`).waitFor();

    // The search finds the resident by the new device's id.
    await page.getByTestId("back-to-list").click();
    await page.getByTestId("resident-search").fill(deviceId);
    await page.locator('[data-testid="pager-total"]', { hasText: "共 1 条" }).waitFor();
    await page.getByTestId(`resident-row-${residentId}`).waitFor();
    expect(await page.locator('[data-testid="resident-table"] tbody tr').count()).toBe(1);

    // The press from that device is a case on the map.
    const device = await fx.device(deviceId, {}, secret);
    const caseId = await fx.press(device, "e2e-enrolled-1");
    expect((await fx.caseDetail(caseId)).resident.name).toBe("浏览器测试老人");
    await page.getByTestId("tab-map").click();
    await page.getByTestId(`case-marker-${caseId}`).waitFor();
    await page.getByTestId(`case-row-${caseId}`).waitFor();
    expect(errors).toEqual([]);
  });

  it("a sheet with a bad row is refused row by row; fixed, it is imported whole with the devices' secrets", async () => {
    const { page, errors } = await fx.openPage();
    await logInToConsole(page, "admin");
    const c = await firstCommunity();
    await page.getByTestId("tab-import").click();
    const header = IMPORT_COLUMNS.map((col) => col.zh).join(",");
    const row = (name: string, phone: string, device: string) =>
      IMPORT_COLUMNS.map(
        (col) =>
          ({
            name,
            gender: "女",
            birthDate: "1939-02-03",
            phone,
            address: `${c.name} ${name}家`,
            community: c.name,
            grid: c.grids[0]!.name,
            livingSituation: "独居",
            conditions: "高血压",
            medicines: "",
            contacts: "李明 儿子 13800138222",
            keyHolder: "",
            deviceId: device,
            deviceKind: "挂件",
            lat: "",
            lng: "",
          })[col.key],
      ).join(",");
    const sheet = (second: string) =>
      Buffer.from(
        [header, row("导入甲", "13900002222", "E2E-IMP-1"), row("导入乙", second, "E2E-IMP-2")].join("\n"),
      );

    await page
      .getByTestId("import-file")
      .setInputFiles({ name: "居民.csv", mimeType: "text/csv", buffer: sheet("12") });
    await page.getByTestId("import-dry-run").click();
    await page.locator('[data-testid="import-report"][data-errors="1"]').waitFor();
    const bad = page.locator('[data-testid="import-errors"] tbody tr');
    expect(await bad.count()).toBe(1);
    expect(await bad.first().getAttribute("data-row")).toBe("3");
    expect(await bad.first().textContent()).toContain("电话");
    expect(await page.getByTestId("import-commit").isDisabled()).toBe(true);

    await page
      .getByTestId("import-file")
      .setInputFiles({ name: "居民.csv", mimeType: "text/csv", buffer: sheet("13900003333") });
    await page.getByTestId("import-dry-run").click();
    await page.locator('[data-testid="import-report"][data-errors="0"]').waitFor();
    await page.getByTestId("import-commit").click();
    await page.getByTestId("import-done").waitFor();
    expect(await text(page, "import-done")).toContain("2");
    await page.getByTestId("import-installer-sheet").waitFor();
    expect(errors).toEqual([]);
  });

  it("the team and account lists filter by role and search on the server", async () => {
    const { page, errors } = await fx.openPage();
    await logInToConsole(page, "admin");
    const rows = (table: string) => page.locator(`[data-testid="${table}"] tbody tr`);
    await page.getByTestId("tab-team").click();
    await rows("responder-table").first().waitFor();
    await page.getByRole("combobox", { name: "类别" }).selectOption("volunteer");
    await page.waitForFunction(() =>
      [...document.querySelectorAll('[data-testid="responder-table"] tbody tr td:nth-child(2)')].every(
        (td) => td.textContent === "志愿者",
      ),
    );
    const name = (await rows("responder-table").first().locator("td").first().textContent())!;
    await page.getByTestId("responder-search").fill(name);
    await page.waitForFunction(
      (n) =>
        [...document.querySelectorAll('[data-testid="responder-table"] tbody tr td:first-child')].every(
          (td) => td.textContent?.includes(n),
        ),
      name,
    );
    expect(await rows("responder-table").count()).toBeGreaterThan(0);

    await page.getByTestId("tab-users").click();
    await rows("user-table").first().waitFor();
    await page.getByTestId("user-search").fill("dispatcher");
    await page.locator('[data-testid="user-row-dispatcher"]').waitFor();
    await page.waitForFunction(() =>
      [...document.querySelectorAll('[data-testid="user-table"] tbody tr')].every((tr) =>
        tr.textContent?.includes("dispatcher"),
      ),
    );
    expect(errors).toEqual([]);
  });

  it("each role has its own console: a manager's has no assign or acknowledge button, a dispatcher's has", async () => {
    const device = await fx.device("BJ-00201");
    const caseId = await fx.press(device, "e2e-manager-1");
    // Two on duty nearby: the first is offered the case at once, the second is a candidate the
    // dispatcher's drawer offers for assignment (phased alerting asks the next one only later).
    const home = fx.home("BJ-00201");
    await fx.responderAt("caregiver003", offset(home.lat, home.lng, 200, 0));
    const responder = await fx.responderAt("caregiver005", offset(home.lat, home.lng, 0, 300));

    const manager = await fx.openPage();
    await logInToConsole(manager.page, "manager");
    for (const tab of ["map", "kpis", "team", "residents"])
      expect(await manager.page.getByTestId(`tab-${tab}`).count()).toBe(1);
    for (const tab of ["users", "import", "platform"])
      expect(await manager.page.getByTestId(`tab-${tab}`).count()).toBe(0);
    await manager.page.getByTestId(`case-row-${caseId}`).click();
    await manager.page.getByTestId("resident-file").waitFor();
    expect(await manager.page.getByTestId(`assign-${responder.id}`).count()).toBe(0);
    expect(await manager.page.getByTestId(`row-ack-${caseId}`).count()).toBe(0);
    // The needs-action list is there for a manager too, without its acknowledge buttons.
    await manager.page.getByTestId("needs-action").waitFor();
    expect(await manager.page.getByTestId("needs-ack-shown").count()).toBe(0);

    const dispatcher = await fx.openPage();
    await logInToConsole(dispatcher.page, "dispatcher");
    expect(await dispatcher.page.getByTestId("tab-users").count()).toBe(0);
    await dispatcher.page.getByTestId(`row-ack-${caseId}`).waitFor();
    await dispatcher.page.getByTestId("needs-ack-shown").waitFor();
    await dispatcher.page.getByTestId(`case-row-${caseId}`).click();
    await dispatcher.page.getByTestId(`assign-${responder.id}`).waitFor();
    expect(manager.errors).toEqual([]);
    expect(dispatcher.errors).toEqual([]);
  });
});
