// The night shift sees a storage fault at once: another process holds the database's write lock
// (as a stuck backup or a failing disk would stop commits), a resident presses, and the console
// shows the platform-fault banner — the press is neither stored nor acknowledged, so the queue's
// silence is not to be trusted. The lock goes; without a restart the press becomes its case, the
// device gets its ack and the banner leaves.
import BetterSqlite3 from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { logInToConsole } from "./browser.ts";
import { e2eFixture, text } from "./fixture.ts";

const fx = e2eFixture();

describe("a storage fault on the night shift", () => {
  it("shows the platform-fault banner while presses cannot be stored, and clears it once they are", async () => {
    const { page, errors } = await fx.openPage();
    await logInToConsole(page);
    expect(await page.getByTestId("platform-banner").count()).toBe(0);
    const device = await fx.device("BJ-00301");

    const lock = new BetterSqlite3(fx.world.dbFile);
    let locked = true;
    try {
      lock.exec("BEGIN IMMEDIATE");
      await device.press("e2e-fault-1");
      await page.getByTestId("platform-problem-storage_unavailable").waitFor({ timeout: 30_000 });
      expect(await text(page, "platform-banner")).toContain("平台故障");
      expect(await page.getByTestId("platform-banner").getAttribute("role")).toBe("alert");
      // Nothing stored, so nothing acknowledged.
      expect(device.acks.filter((a) => a.eventId === "e2e-fault-1")).toEqual([]);

      lock.exec("COMMIT");
      locked = false;
      const ack = await device.ack((a) => a.eventId === "e2e-fault-1" && a.status === "received", 30_000);
      await page.getByTestId(`case-row-${ack.caseId}`).waitFor();
      await page.getByTestId("platform-banner").waitFor({ state: "detached", timeout: 30_000 });
    } finally {
      if (locked) lock.exec("ROLLBACK");
      lock.close();
    }
    expect(errors).toEqual([]);
  }, 120_000);
});
