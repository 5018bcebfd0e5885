// Idempotency keys: a phone's queued action, sent again after a lost answer (or twice at once),
// is carried out once and answered the same way each time.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CaseDetail, OfferWithCase } from "../../protocol/index.ts";
import { purgeIdempotencyKeys } from "../../dispatcher/idempotency/middleware.ts";
import { allOffDuty, count, login, nextEvent, startTestApp, type TestApp } from "../helpers/app.ts";
import { TestClock } from "../helpers/clock.ts";
import { connectDevice, offset, onDutyAt, residentOf, type TestResponder } from "../helpers/scenario.ts";

let app: TestApp;
let r: TestResponder;
let caseId: number;
let offer: OfferWithCase;
const clock = new TestClock();

beforeAll(async () => {
  app = await startTestApp({ clock, seed: { residents: 100, caregivers: 5, volunteers: 5 } });
  await allOffDuty(app);
  const home = await residentOf(app, "BJ-00021");
  r = await onDutyAt(app, "caregiver001", offset(home.lat, home.lng, 100, 0));
  const offered = nextEvent(r.socket, "offer");
  const d = await connectDevice(app, "BJ-00021");
  await d.press("idem-1");
  offer = await offered;
  caseId = offer.caseId;
  await d.close();
});
afterAll(async () => {
  r?.socket.close();
  await app?.close();
});

function post(path: string, body: unknown, key?: string, token = r.token) {
  return fetch(`${app.httpUrl}${path}`, {
    method: "POST",
    headers: {
      authorization: `Bearer ${token}`,
      "content-type": "application/json",
      ...(key ? { "idempotency-key": key } : {}),
    },
    body: JSON.stringify(body),
  });
}

const notes = () =>
  count(app, `SELECT COUNT(*) AS n FROM "CaseEvent" WHERE "caseId" = ? AND type = 'note'`, [caseId]);

describe("Idempotency-Key", () => {
  it("an accept sent again gets the first answer replayed", async () => {
    const first = await post(`/api/offers/${offer.id}/accept`, {}, "phone-accept-0001");
    expect(first.status).toBe(200);
    const again = await post(`/api/offers/${offer.id}/accept`, {}, "phone-accept-0001");
    expect(again.status).toBe(200);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(await again.json()).toEqual(await first.json());
    // Without the key the same request is a new one: answered afresh (the winner's retry is a 200 too).
    const fresh = await post(`/api/offers/${offer.id}/accept`, {});
    expect(fresh.status).toBe(200);
    expect(fresh.headers.get("idempotent-replayed")).toBeNull();
  });

  it("a note sent twice, one after the other and twice at once, is recorded once per key", async () => {
    const before = await notes();
    const a = await post(`/api/cases/${caseId}/notes`, { text: "门打不开" }, "phone-note-0001");
    const b = await post(`/api/cases/${caseId}/notes`, { text: "门打不开" }, "phone-note-0001");
    expect([a.status, b.status]).toEqual([200, 200]);
    const [c, d] = await Promise.all([
      post(`/api/cases/${caseId}/notes`, { text: "已联系家属" }, "phone-note-0002"),
      post(`/api/cases/${caseId}/notes`, { text: "已联系家属" }, "phone-note-0002"),
    ]);
    expect([c.status, d.status]).toEqual([200, 200]);
    expect(await notes()).toBe(before + 2);
    const detail = (await (
      await fetch(`${app.httpUrl}/api/cases/${caseId}`, { headers: { authorization: `Bearer ${r.token}` } })
    ).json()) as CaseDetail;
    expect(detail.timeline.filter((e) => e.type === "note").map((e) => e.note)).toEqual([
      "门打不开",
      "已联系家属",
    ]);
  });

  it("a refusal is replayed too: the phone gets the same clear result however often it asks", async () => {
    // The offer was taken (by this phone), so declining it now is refused.
    const first = await post(`/api/offers/${offer.id}/decline`, {}, "phone-decline-0001");
    expect(first.status).toBe(409);
    const body = (await first.json()) as { error: { code: string } };
    expect(body.error.code).toBe("offer_closed");
    const again = await post(`/api/offers/${offer.id}/decline`, {}, "phone-decline-0001");
    expect(again.status).toBe(409);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(await again.json()).toEqual(body);
  });

  it("the same key with another request is refused (422) and changes nothing", async () => {
    const before = await notes();
    const res = await post(`/api/cases/${caseId}/notes`, { text: "另一条" }, "phone-note-0001");
    expect(res.status).toBe(422);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("idempotency_mismatch");
    // Also while the first request with the key is still being answered.
    const both = await Promise.all([
      post(`/api/cases/${caseId}/notes`, { text: "到门口了" }, "phone-note-0003"),
      post(`/api/cases/${caseId}/notes`, { text: "不是这条" }, "phone-note-0003"),
    ]);
    // Whichever arrived first is carried out; the other is refused, not given its answer.
    expect(both.map((x) => x.status).sort()).toEqual([200, 422]);
    expect(await notes()).toBe(before + 1);
  });

  it("keys belong to one user, must look like keys, and are forgotten after a day", async () => {
    const staff = (await login(app.httpUrl, "dispatcher")).token;
    const before = await notes();
    expect(
      (await post(`/api/cases/${caseId}/notes`, { text: "门打不开" }, "phone-note-0001", staff)).status,
    ).toBe(200);
    expect(await notes()).toBe(before + 1);
    expect((await post(`/api/cases/${caseId}/notes`, { text: "x" }, "bad key!")).status).toBe(400);
    expect(await notes()).toBe(before + 1);

    const kept = await count(app, `SELECT COUNT(*) AS n FROM "IdempotencyKey"`);
    expect(kept).toBeGreaterThanOrEqual(4);
    clock.advance(25 * 3_600_000);
    expect(await purgeIdempotencyKeys(app.db, clock.now())).toBe(kept);
    // A day later the key is free again: the request is carried out anew.
    expect((await post(`/api/cases/${caseId}/notes`, { text: "门打不开" }, "phone-note-0001")).status).toBe(
      200,
    );
    expect(await notes()).toBe(before + 2);
  });
});
