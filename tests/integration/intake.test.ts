// Hotline intake: a phone call becomes a case through the same engine as a press — matched,
// offered, on the clocks — with the staff member as the actor of its first event; a second call
// joins the open case; bad input and the wrong roles change nothing.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type {
  CallDto,
  CaseDetail,
  CaseSummary,
  Communities,
  IntakeRequest,
  IntakeResult,
  ResidentListItem,
  Page,
} from "../../protocol/index.ts";
import {
  allOffDuty,
  api,
  cancelActiveCases,
  connectSocket,
  count,
  login,
  nextEvent,
  startTestApp,
  type ClientSocket,
  type TestApp,
} from "../helpers/app.ts";
import { offset, onDutyAt, residentOf, type TestResponder } from "../helpers/scenario.ts";

let app: TestApp;
let staff: string;
let staffSocket: ClientSocket;
let communities: Communities;
const open: { close(): unknown }[] = [];

beforeAll(async () => {
  app = await startTestApp({
    env: { EMERGENCY_PARALLEL_OFFERS: "1" },
    policy: { offerTimeoutMs: 60_000, escalationMs: 120_000 },
  });
  await allOffDuty(app);
  staff = (await login(app.httpUrl, "dispatcher")).token;
  staffSocket = await connectSocket(app.httpUrl, staff);
  communities = (await api<Communities>(app.httpUrl, staff, "GET", "/api/communities")).body;
});
afterEach(async () => {
  for (const o of open.splice(0)) await o.close();
  await cancelActiveCases(app);
  await allOffDuty(app);
});
afterAll(async () => {
  staffSocket?.close();
  await app?.close();
});

const caller = { relation: "neighbour", name: "李阿姨", phone: "139 0917 0001" } as const;

type IntakeAnswer = IntakeResult & {
  error?: { code: string; message: string; details?: { fields?: { path: string; rule?: string }[] } };
};

/** A call that opens or joins a case (any type but a service request). */
async function intake(body: unknown, token = staff) {
  return api<
    Omit<IntakeAnswer, "case"> & { case: CaseSummary } & {
      error?: { code: string; message: string; details?: { fields?: { path: string; rule?: string }[] } };
    }
  >(app.httpUrl, token, "POST", "/api/cases", body);
}

async function responderAt(username: string, at: { lat: number; lng: number }): Promise<TestResponder> {
  const r = await onDutyAt(app, username, at);
  open.push({ close: () => r.socket.close() });
  return r;
}

describe("a call about a registered resident", () => {
  it("opens a case with the staff member as its first actor, offers it, and a second call joins it", async () => {
    const home = await residentOf(app, "BJ-00021");
    const responder = await responderAt("caregiver003", offset(home.lat, home.lng, 200, 0));
    const offered = nextEvent(responder.socket, "offer", (o) => o.case.residentId === home.residentId);
    const created = nextEvent(staffSocket, "case:created", (c) => c.residentId === home.residentId);

    const first = await intake({
      residentId: home.residentId,
      type: "fall",
      caller: { relation: "relative", name: "王强", phone: "13800138000" },
      notes: "女儿来电：老人在卫生间摔倒，起不来",
    } satisfies IntakeRequest);
    expect(first.status).toBe(201);
    expect(first.body.joined).toBe(false);
    expect(first.body.case).toMatchObject({ type: "fall", kind: "emergency", priority: 1, deviceId: null });
    const caseId = first.body.case.id;
    expect((await created).id).toBe(caseId);
    const offer = await offered;
    expect(offer.caseId).toBe(caseId);
    expect(offer.responderId).toBe(responder.id);

    const detail = (await api<CaseDetail>(app.httpUrl, staff, "GET", `/api/cases/${caseId}`)).body;
    expect(detail.case.escalationDeadline).not.toBeNull(); // the SLA clock runs as for a press
    const opening = detail.timeline[0]!;
    expect(opening).toMatchObject({ type: "created", actorType: "staff" });
    expect(opening.actorName).toBeTruthy();
    expect(opening.data).toMatchObject({
      channel: "hotline",
      caller: { relation: "relative", name: "王强" },
    });
    const call = detail.timeline.find((e) => e.type === "call");
    expect(call).toMatchObject({ actorType: "staff", note: "女儿来电：老人在卫生间摔倒，起不来" });
    expect(call?.data).toMatchObject({
      direction: "inbound",
      party: "family",
      number: "13800138000",
      outcome: "reached",
    });

    const second = await intake({
      residentId: home.residentId,
      type: "sos",
      caller: { relation: "neighbour", name: "李阿姨", phone: "13912340000" },
      notes: "邻居听到呼救",
    });
    expect(second.status).toBe(200);
    expect(second.body.joined).toBe(true);
    expect(second.body.case.id).toBe(caseId);
    expect(await count(app, `SELECT COUNT(*) n FROM "Case" WHERE "residentId" = ?`, [home.residentId])).toBe(
      1,
    );
    const calls = (await api<CallDto[]>(app.httpUrl, staff, "GET", `/api/cases/${caseId}/calls`)).body;
    expect(calls.map((c) => [c.party, c.name, c.number])).toEqual([
      ["family", "王强", "13800138000"],
      ["neighbour", "李阿姨", "13912340000"],
    ]);
  });

  it("lists the call records of the case in the CSV export", async () => {
    const home = await residentOf(app, "BJ-00022");
    const r = await intake({
      residentId: home.residentId,
      type: "welfare_check",
      caller: { relation: "grid_worker", phone: "0917-3456789" },
      notes: "两天没见老人出门",
    });
    expect(r.status).toBe(201);
    const res = await fetch(`${app.httpUrl}/api/kpis.csv`, { headers: { authorization: `Bearer ${staff}` } });
    const lines = (await res.text()).split("\n");
    expect(lines[0]).toMatch(/,通话记录$/);
    const row = lines.find((l) => l.startsWith(`${r.body.case.id},`));
    expect(row).toMatch(/,上门探视,紧急,/);
    // Words in the UI language, the time on the platform's clock.
    expect(row).toMatch(/,\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\+08:00 来电 网格员 0917-3456789 已接通$/);
  });

  it("records the escalation to the family and the verification call after a cancel in the phone log", async () => {
    const home = await residentOf(app, "BJ-00027");
    const r = await intake({ residentId: home.residentId, type: "medical", caller });
    const caseId = r.body.case.id;
    const escalated = await api(app.httpUrl, staff, "POST", `/api/cases/${caseId}/escalate`, {
      target: "family",
      note: "已通知女儿",
    });
    expect(escalated.status).toBe(200);
    await api(app.httpUrl, staff, "POST", `/api/cases/${caseId}/cancel`, { reason: "老人说已好转" });
    const verified = await api(app.httpUrl, staff, "POST", `/api/cases/${caseId}/follow-up`, {
      outcome: "no_answer",
      close: false,
    });
    expect(verified.status).toBe(200);
    const calls = (await api<CallDto[]>(app.httpUrl, staff, "GET", `/api/cases/${caseId}/calls`)).body;
    expect(calls.map((c) => [c.direction, c.party, c.outcome, c.actorType])).toEqual([
      ["inbound", "neighbour", "reached", "staff"],
      ["outbound", "family", "reached", "staff"],
      ["outbound", "resident", "no_answer", "staff"],
    ]);
  });

  it("logs an enquiry without dispatching anyone", async () => {
    const home = await residentOf(app, "BJ-00023");
    await responderAt("caregiver004", offset(home.lat, home.lng, 50, 0));
    const r = await intake({
      residentId: home.residentId,
      type: "enquiry",
      caller: { relation: "resident", phone: "13700000001" },
      notes: "问助餐点开放时间",
    });
    expect(r.status).toBe(201);
    expect(r.body.case).toMatchObject({
      kind: "enquiry",
      priority: 4,
      status: "new",
      escalationDeadline: null,
    });
    const detail = (await api<CaseDetail>(app.httpUrl, staff, "GET", `/api/cases/${r.body.case.id}`)).body;
    expect(detail.candidates).toEqual([]);
    expect(await count(app, `SELECT COUNT(*) n FROM "Offer" WHERE "caseId" = ?`, [r.body.case.id])).toBe(0);
  });

  it("takes a priority over the type's default", async () => {
    const home = await residentOf(app, "BJ-00024");
    const r = await intake({
      residentId: home.residentId,
      type: "welfare_check",
      priority: 2,
      caller: { relation: "relative", phone: "13700000002" },
    });
    expect(r.status).toBe(201);
    expect(r.body.case).toMatchObject({ kind: "emergency", type: "welfare_check", priority: 2 });
  });

  it("a caller asking for a service places a service order, not a case; a second call joins it", async () => {
    const home = await residentOf(app, "BJ-00025");
    const cases = () => count(app, `SELECT COUNT(*) n FROM "Case" WHERE "residentId" = ?`, [home.residentId]);
    const before = await cases();
    const ask = (notes: string) =>
      api<IntakeAnswer>(app.httpUrl, staff, "POST", "/api/cases", {
        residentId: home.residentId,
        type: "service_request",
        service: "bathing",
        caller: { relation: "relative", phone: "13700000003" },
        notes,
      });
    const first = await ask("女儿打来：想约明天洗澡");
    expect(first.status).toBe(201);
    expect(first.body.case).toBeNull();
    expect(first.body.order).toMatchObject({
      residentId: home.residentId,
      service: "bathing",
      origin: "hotline",
      status: "queued",
      requests: 1,
      notes: "女儿打来：想约明天洗澡",
    });
    const second = await ask("又打来问什么时候到");
    expect(second.status).toBe(200);
    expect(second.body).toMatchObject({ case: null, joined: true });
    expect(second.body.order).toMatchObject({ id: first.body.order!.id, requests: 2 });
    expect(second.body.order!.notes).toBe("女儿打来：想约明天洗澡\n又打来问什么时候到");
    expect(await cases()).toBe(before);
    expect(
      await count(app, `SELECT COUNT(*) n FROM "ServiceOrder" WHERE "residentId" = ?`, [home.residentId]),
    ).toBe(1);
  });
});

describe("a caller not in the register", () => {
  it("gets a case at the place picked on the map, matched like any other", async () => {
    const c = communities.communities[1]!;
    const place = offset(c.lat, c.lng, 300, -200);
    const responder = await responderAt("caregiver005", offset(place.lat, place.lng, 100, 0));
    const offered = nextEvent(responder.socket, "offer", (o) => o.case.address === "经二路88号 楼下");

    const r = await intake({
      location: place,
      address: "经二路88号 楼下",
      name: "一位老人",
      type: "sos",
      caller: { relation: "other", name: "路人", phone: "13512345678" },
      notes: "老人坐在路边说头晕",
    });
    expect(r.status).toBe(201);
    expect(r.body.case).toMatchObject({
      communityId: c.id,
      residentName: "一位老人",
      lat: place.lat,
      lng: place.lng,
    });
    const offer = await offered;
    expect(offer.caseId).toBe(r.body.case.id);
    expect(offer.distanceMeters).toBeGreaterThan(50);
    expect(offer.distanceMeters).toBeLessThan(150);

    const detail = (await api<CaseDetail>(app.httpUrl, staff, "GET", `/api/cases/${r.body.case.id}`)).body;
    expect(detail.resident).toMatchObject({
      unregistered: true,
      gender: null,
      age: null,
      livingSituation: null,
    });
    // Who to ring back.
    expect(detail.resident.emergencyContacts).toEqual([
      { name: "路人", relation: "other", phone: "13512345678" },
    ]);

    // The ad-hoc record stays out of the register.
    const search = await api<Page<ResidentListItem>>(
      app.httpUrl,
      staff,
      "GET",
      `/api/residents?q=${encodeURIComponent("一位老人")}`,
    );
    expect(search.body.items).toEqual([]);
    const record = await api(app.httpUrl, staff, "GET", `/api/residents/${r.body.case.residentId}`);
    expect(record.status).toBe(404);
  });
});

describe("what the intake refuses", () => {
  it("rejects invalid input with the field and rule named, and creates nothing", async () => {
    const home = await residentOf(app, "BJ-00025");
    const c = communities.communities[0]!;
    const cases = () => count(app, `SELECT COUNT(*) n FROM "Case"`);
    const residents = () => count(app, `SELECT COUNT(*) n FROM "Resident"`);
    const [casesBefore, residentsBefore] = [await cases(), await residents()];
    const valid = { residentId: home.residentId, type: "fall", caller };
    const refused: [string, unknown, string][] = [
      ["no resident and no location", { type: "fall", caller }, "location"],
      [
        "a location outside the service area",
        { location: { lat: 39.9, lng: 116.4 }, address: "北京", type: "fall", caller },
        "location",
      ],
      [
        "a location without an address",
        { location: { lat: c.lat, lng: c.lng }, type: "fall", caller },
        "address",
      ],
      ["an unknown type", { ...valid, type: "burglary" }, "type"],
      ["a device problem as a call type", { ...valid, type: "low_battery" }, "type"],
      ["notes over the limit", { ...valid, notes: "很".repeat(1001) }, "notes"],
      ["no caller phone", { ...valid, caller: { relation: "neighbour", name: "李阿姨" } }, "caller.phone"],
      ["a caller phone that is not one", { ...valid, caller: { ...caller, phone: "12345" } }, "caller.phone"],
      [
        "an unknown caller relation",
        { ...valid, caller: { ...caller, relation: "landlord" } },
        "caller.relation",
      ],
      ["a service request without its service", { ...valid, type: "service_request" }, "service"],
      ["a priority out of range", { ...valid, priority: 9 }, "priority"],
      [
        "both a resident and a location",
        { ...valid, location: { lat: c.lat, lng: c.lng }, address: "x" },
        "location",
      ],
    ];
    for (const [why, body, field] of refused) {
      const r = await intake(body);
      expect(r.status, why).toBe(400);
      expect(r.body.error?.code, why).toBe("bad_request");
      expect(r.body.error?.message, why).toBeTruthy();
      expect(
        r.body.error?.details?.fields?.map((f) => f.path),
        why,
      ).toContain(field);
    }
    const outside = await intake(refused[1]![1]);
    expect(outside.body.error?.details?.fields?.[0]?.rule).toBe("outside_service_area");

    const unknown = await intake({ ...valid, residentId: 99_999_999 });
    expect(unknown.status).toBe(404);
    expect(await cases()).toBe(casesBefore);
    expect(await residents()).toBe(residentsBefore);
  });

  it("is for dispatch staff: a responder and a manager get 403 and nothing is created", async () => {
    const home = await residentOf(app, "BJ-00026");
    const before = await count(app, `SELECT COUNT(*) n FROM "Case"`);
    for (const username of ["caregiver001", "manager"]) {
      const { token } = await login(app.httpUrl, username);
      const r = await intake({ residentId: home.residentId, type: "fall", caller }, token);
      expect(r.status, username).toBe(403);
      expect(r.body.error?.code).toBe("forbidden");
    }
    const anonymous = await intake({ residentId: home.residentId, type: "fall", caller }, "not-a-token");
    expect(anonymous.status).toBe(401);
    expect(await count(app, `SELECT COUNT(*) n FROM "Case"`)).toBe(before);
  });
});
