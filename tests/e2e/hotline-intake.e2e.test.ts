// The hotline at the console, in real Chromium against the real platform: one key opens the
// "新来电" panel, staff find the resident by part of the name and by a relative's number, create a
// fall case from the keyboard; it shows on the map, a simulated responder's phone gets the offer,
// and a second call about the same resident joins the open case.
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import type {
  Page as ResultPage,
  ResidentListItem,
  ResidentRecord,
  ResponderRecord,
} from "../../protocol/api.ts";
import { api, login, nextEvent } from "../helpers/app.ts";
import { offset } from "../helpers/scenario.ts";
import { logInToConsole } from "./browser.ts";
import { e2eFixture, text } from "./fixture.ts";

const fx = e2eFixture();
const DEVICE = "BJ-00401";

/** A phone login of a responder who may lift a fallen resident (the fall's fit rule). */
async function liftingResponder(): Promise<string> {
  const { token } = await login(fx.world.httpUrl, "dispatcher");
  const page = await api<ResultPage<ResponderRecord>>(
    fx.world.httpUrl,
    token,
    "GET",
    "/api/responders/directory?pageSize=100",
  );
  const fit = page.body.items.find(
    (r) => r.role === "caregiver" && r.skills.includes("lifting") && r.account,
  );
  return fit!.account!.username;
}

async function residentOfDevice(): Promise<ResidentRecord> {
  const { token } = await login(fx.world.httpUrl, "dispatcher");
  const found = await api<ResultPage<ResidentListItem>>(
    fx.world.httpUrl,
    token,
    "GET",
    `/api/residents?q=${DEVICE}`,
  );
  const id = found.body.items[0]!.id;
  return (await api<ResidentRecord>(fx.world.httpUrl, token, "GET", `/api/residents/${id}`)).body;
}

/** The search has answered `query`, and the answer lists this resident. */
async function answered(page: Page, query: string, residentId: number): Promise<void> {
  await page.locator(`[data-testid="intake-results"][data-query="${query}"]`).waitFor({ state: "attached" });
  await page.getByTestId(`intake-result-${residentId}`).waitFor();
}

describe("the hotline intake", () => {
  it("a call becomes a fall case from the keyboard, is offered, and a second call joins it", async () => {
    const resident = await residentOfDevice();
    const contact = resident.emergencyContacts[0]!;
    const home = fx.home(DEVICE);
    const responder = await fx.responderAt(await liftingResponder(), offset(home.lat, home.lng, 200, 0));
    const offered = nextEvent(responder.socket, "offer", (o) => o.case.residentId === resident.id, 15_000);
    const { page, errors } = await fx.openPage();
    await logInToConsole(page);

    // One key from anywhere opens the panel with the search focused.
    await page.keyboard.press("F2");
    await page.getByTestId("intake-panel").waitFor();
    expect(await page.evaluate(() => document.activeElement?.getAttribute("data-testid"))).toBe(
      "intake-search",
    );

    // By a relative's number: the emergency contacts are searched too.
    const typed = Date.now();
    await page.keyboard.type(contact.phone);
    await answered(page, contact.phone, resident.id);
    const byPhoneMs = Date.now() - typed;
    // Again by part of the name.
    await page.getByTestId("intake-search").fill("");
    const part = resident.name.slice(0, 2);
    const typedName = Date.now();
    await page.keyboard.type(part);
    await answered(page, part, resident.id);
    const byNameMs = Date.now() - typedName;
    console.info(`intake search as typed: by contact phone ${byPhoneMs} ms, by name part ${byNameMs} ms`);

    // Keyboard only: move to the resident, pick, "2" = fall, a note, Ctrl+Enter.
    const position = await page
      .getByTestId("intake-results")
      .locator("li")
      .evaluateAll(
        (lis, id) => lis.findIndex((li) => li.getAttribute("data-testid") === `intake-result-${id}`),
        resident.id,
      );
    expect(position).toBeGreaterThanOrEqual(0);
    let keys = 1 + part.length; // F2 + the name part
    for (let i = 0; i < position; i++, keys++) await page.keyboard.press("ArrowDown");
    await page.keyboard.press("Enter");
    await page.getByTestId("intake-picked").waitFor();
    await page.keyboard.press("2");
    // The resident is calling from their own phone: it is filled in.
    expect(await page.getByTestId("intake-phone").inputValue()).toBe(resident.phone);
    await page.keyboard.press("Control+Enter");
    keys += 3; // Enter, 2, Ctrl+Enter
    console.info(
      `intake keystrokes from the shortcut to a created case: ${keys} (name part of ${part.length})`,
    );

    await page.getByTestId("intake-panel").waitFor({ state: "detached" });
    expect(await text(page, "intake-said")).toMatch(/已创建案件 #\d+/);
    const caseId = Number(/#(\d+)/.exec(await text(page, "intake-said"))![1]);
    await page.getByTestId(`case-marker-${caseId}`).waitFor();
    await page.getByTestId(`case-row-${caseId}`).waitFor();
    const detail = await fx.caseDetail(caseId);
    expect(detail.case).toMatchObject({ type: "fall", residentId: resident.id, priority: 1 });
    expect(detail.timeline[0]).toMatchObject({ type: "created", actorType: "staff" });
    expect((await offered).caseId).toBe(caseId);

    // A second call: the panel shows the open case before submitting, and the call joins it.
    await page.keyboard.press("F2");
    await page.getByTestId("intake-panel").waitFor();
    await page.keyboard.type(part);
    await page.getByTestId(`intake-open-${resident.id}`).waitFor();
    await page.getByTestId(`intake-result-${resident.id}`).click();
    await page.getByTestId("intake-join").waitFor();
    expect(await text(page, "intake-join")).toContain(`#${caseId}`);
    await page.getByTestId("intake-relation").selectOption("neighbour");
    await page.getByTestId("intake-phone").fill("13912340000");
    await page.getByTestId("intake-notes").fill("邻居听到呼救声");
    await page.getByTestId("intake-submit").click();
    await page.getByTestId("intake-panel").waitFor({ state: "detached" });
    expect(await text(page, "intake-said")).toContain(`来电已并入案件 #${caseId}`);
    const after = await fx.caseDetail(caseId);
    const calls = after.timeline.filter((e) => e.type === "call");
    expect(calls.map((e) => e.data?.party)).toEqual(["resident", "neighbour"]);
    expect(errors).toEqual([]);
  });

  it("a call button on the case logs the outbound call in the timeline", async () => {
    const resident = await residentOfDevice();
    const contact = resident.emergencyContacts[0]!;
    const d = await fx.device(DEVICE);
    const caseId = await fx.press(d, "e2e-intake-call-1");
    const { page, errors } = await fx.openPage();
    // The OS hands tel: to the desk phone; here the page records the dial instead.
    await page.addInitScript(() => {
      document.addEventListener("click", (e) => {
        const a = (e.target as Element).closest('a[href^="tel:"]');
        if (!a) return;
        e.preventDefault();
        (window as unknown as { __dialled: string[] }).__dialled ??= [];
        (window as unknown as { __dialled: string[] }).__dialled.push(a.getAttribute("href")!);
      });
    });
    await logInToConsole(page);
    await page.getByTestId(`case-row-${caseId}`).click();
    await page.getByTestId("resident-file").waitFor();
    const entry = page.getByTestId(`call-family-${contact.phone}`);
    expect(await entry.locator("a").first().getAttribute("href")).toBe(
      `tel:${contact.phone.replace(/[^\d+]/g, "")}`,
    );
    await entry.getByTestId("call-button").click();
    expect(await page.evaluate(() => (window as unknown as { __dialled?: string[] }).__dialled)).toEqual([
      `tel:${contact.phone.replace(/[^\d+]/g, "")}`,
    ]);
    await entry.getByTestId("call-outcome").selectOption("no_answer");
    await entry.getByTestId("call-save").click();
    await page.locator('[data-testid="timeline"] li[data-event="call"]').waitFor();
    const calls = (await fx.caseDetail(caseId)).timeline.filter((e) => e.type === "call");
    expect(calls[0]?.data).toMatchObject({
      direction: "outbound",
      party: "family",
      number: contact.phone,
      outcome: "no_answer",
    });
    expect(errors).toEqual([]);
  });
});
