// Reaching a responder wherever their phone is: push next to the socket (against a local push
// service that checks the VAPID signature and decrypts the payload with the subscription's keys),
// presence (a silent phone is unreachable, not offered, shown to staff, told when it comes back,
// and later taken off duty with an audit entry), and expired subscriptions deleted.
// Time is moved with a TestClock; the presence sweep is run by the test instead of waited for.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { CaseDetail, Presence, ResponderMe, ResponderSummary } from "../../protocol/index.ts";
import { startLocalPushService, type LocalPushService } from "../../device-sim/push-receiver.ts";
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
import { TestClock } from "../helpers/clock.ts";
import { connectDevice, offset, onDutyAt, residentOf, type TestDevice } from "../helpers/scenario.ts";

let app: TestApp;
let pushService: LocalPushService;
let staff: ClientSocket;
let staffToken: string;
const clock = new TestClock();
const PRESENCE_MS = 60_000;

beforeAll(async () => {
  app = await startTestApp({
    clock,
    // Both nearest responders are asked at once and the first accept wins: this file is about
    // reaching the phones, not the phased alerting and grace window (dispatch.test.ts).
    policy: { staggerMs: 0, graceMs: 0 },
    seed: { residents: 200, caregivers: 10, volunteers: 10 },
    env: {
      PUSH_ENDPOINT_ORIGINS: "http://127.0.0.1:*",
      RESPONDER_PRESENCE_SECONDS: String(PRESENCE_MS / 1000),
      RESPONDER_OFF_DUTY_SECONDS: "600",
      EMERGENCY_PARALLEL_OFFERS: "2",
    },
  });
  pushService = await startLocalPushService(() => app.push.key(pushUser).publicKey);
  staffToken = (await login(app.httpUrl, "dispatcher")).token;
  staff = await connectSocket(app.httpUrl, staffToken);
});
afterAll(async () => {
  staff?.close();
  await pushService?.close();
  await app?.close();
});
beforeEach(async () => {
  await cancelActiveCases(app);
  await allOffDuty(app);
});

/** Any responder login may read the key; the receiver checks pushes against it. */
const pushUser = {
  id: 0,
  username: "",
  displayName: "",
  role: "responder" as const,
  responderId: 0,
  communityIds: null,
};

async function subscribe(token: string, endpoint = pushService.subscription()) {
  const res = await api(app.httpUrl, token, "POST", "/api/responder/push", { ...endpoint, lang: "zh-CN" });
  expect(res.status).toBe(204);
  return endpoint;
}

async function phoneState(id: number): Promise<ResponderSummary["phoneState"]> {
  const list = await api<ResponderSummary[]>(app.httpUrl, staffToken, "GET", "/api/responders");
  return list.body.find((r) => r.id === id)!.phoneState;
}

async function pressAt(deviceId: string, eventId: string): Promise<{ d: TestDevice; caseId: number }> {
  const d = await connectDevice(app, deviceId);
  await d.press(eventId);
  const ack = await d.ack((a) => a.eventId === eventId && a.status === "received");
  return { d, caseId: ack.caseId! };
}

describe("push next to the socket", () => {
  it("a phone whose page is closed gets the offer as a push, encrypted for its keys and signed by the platform", async () => {
    const home = await residentOf(app, "BJ-00011");
    const r = await onDutyAt(app, "caregiver001", offset(home.lat, home.lng, 150, 0));
    await subscribe(r.token);
    expect(await phoneState(r.id)).toBe("live");
    const pushOnly = nextEvent(
      staff,
      "responder:updated",
      (s) => s.id === r.id && s.phoneState === "push_only",
    );
    r.socket.close(); // the page is closed
    await pushOnly;

    const { d, caseId } = await pressAt("BJ-00011", "push-closed-1");
    const got = await pushService.next((p) => p.message.caseId === caseId && p.message.kind === "offer");
    const { resident } = (
      await api<{ resident: { name: string } }>(app.httpUrl, staffToken, "GET", `/api/cases/${caseId}`)
    ).body;
    expect(got.message).toMatchObject({
      kind: "offer",
      caseId,
      urgent: true,
      tag: `case-${caseId}`,
      title: "新派单 · 紧急呼叫",
      url: `/responder?offer=${got.message.offerId}`,
    });
    expect(got.message.body).toContain(resident.name);
    expect(got.urgency).toBe("high");
    expect(got.topic).toBe(`case-${caseId}`);
    // The push service may hold an offer only until its deadline.
    expect(got.ttl).toBeGreaterThan(0);
    expect(got.ttl).toBeLessThanOrEqual(60);
    const me = await api<ResponderMe>(app.httpUrl, r.token, "GET", "/api/responder/me");
    expect(me.body.offers.map((o) => o.id)).toEqual([got.message.offerId]);
    expect(pushService.rejected).toEqual([]);
    await d.close();
  });

  it("a live phone gets the offer on its socket and by push; the one who lost the race is told why by both", async () => {
    const home = await residentOf(app, "BJ-00012");
    const a = await onDutyAt(app, "caregiver002", offset(home.lat, home.lng, 100, 0));
    const b = await onDutyAt(app, "caregiver003", offset(home.lat, home.lng, 0, 200));
    await subscribe(a.token);
    const offerA = nextEvent(a.socket, "offer");
    const offerB = nextEvent(b.socket, "offer");
    const { d, caseId } = await pressAt("BJ-00012", "push-live-1");
    const [oa, ob] = await Promise.all([offerA, offerB]);
    const pushed = await pushService.next((p) => p.message.kind === "offer" && p.message.caseId === caseId);
    expect(pushed.message.offerId).toBe(oa.id);

    const withdrawn = nextEvent(a.socket, "offer:withdrawn");
    expect((await api(app.httpUrl, b.token, "POST", `/api/offers/${ob.id}/accept`)).status).toBe(200);
    expect(await withdrawn).toMatchObject({ offerId: oa.id, reason: "taken" });
    const told = await pushService.next((p) => p.message.kind === "withdrawn" && p.message.caseId === caseId);
    // Same tag: the withdrawal replaces the offer's notification on the phone.
    expect(told.message).toMatchObject({ tag: `case-${caseId}`, body: "该派单已被他人接走", urgent: false });
    await d.close();
    a.socket.close();
    b.socket.close();
  });

  it("a job reassigned away reaches the phone as 调度已改派给 …，请勿前往", async () => {
    const home = await residentOf(app, "BJ-00013");
    const a = await onDutyAt(app, "caregiver004", offset(home.lat, home.lng, 100, 0));
    const other = await onDutyAt(app, "caregiver005", offset(home.lat, home.lng, 3000, 0));
    await subscribe(a.token);
    const offered = nextEvent(a.socket, "offer");
    const { d, caseId } = await pressAt("BJ-00013", "push-reassign-1");
    const offer = await offered;
    expect((await api(app.httpUrl, a.token, "POST", `/api/offers/${offer.id}/accept`)).status).toBe(200);
    const assigned = await api(app.httpUrl, staffToken, "POST", `/api/cases/${caseId}/assign`, {
      responderId: other.id,
    });
    expect(assigned.status).toBe(200);
    const told = await pushService.next((p) => p.message.kind === "released" && p.message.caseId === caseId);
    expect(told.message.body).toBe(`调度已改派给 ${other.name}，请勿前往`);
    expect(told.message.urgent).toBe(true);
    await d.close();
    a.socket.close();
    other.socket.close();
  });

  it("a subscription the push service reports gone (410) is deleted, and a push-only phone becomes unreachable", async () => {
    const home = await residentOf(app, "BJ-00014");
    const r = await onDutyAt(app, "caregiver006", offset(home.lat, home.lng, 120, 0));
    const sub = await subscribe(r.token);
    r.socket.close();
    // The press's own turn may already make the offer, so the case can arrive offered.
    const offered = Promise.any(
      (["case:created", "case:updated"] as const).map((e) =>
        nextEvent(staff, e, (c) => c.status === "offered"),
      ),
    );
    pushService.drop(sub.endpoint);
    const { d, caseId } = await pressAt("BJ-00014", "push-gone-1");
    expect((await offered).id).toBe(caseId);
    await expect
      .poll(() =>
        count(app, `SELECT COUNT(*) AS n FROM "PushSubscription" WHERE endpoint = ?`, [sub.endpoint]),
      )
      .toBe(0);
    await expect.poll(() => phoneState(r.id)).toBe("unreachable");
    await d.close();
  });

  it("refuses to subscribe an endpoint that is not a push service, and changes nothing", async () => {
    const { token } = await login(app.httpUrl, "caregiver007");
    const keys = pushService.subscription().keys;
    for (const endpoint of [
      "https://evil.example/push/1",
      "http://10.0.0.1:8080/admin",
      "file:///etc/passwd",
    ]) {
      const res = await api<{ error: { code: string } }>(app.httpUrl, token, "POST", "/api/responder/push", {
        endpoint,
        keys,
      });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe("bad_request");
    }
    const bad = await api(app.httpUrl, token, "POST", "/api/responder/push", {
      endpoint: pushService.url + "/push/x",
      keys: { p256dh: "short", auth: "!" },
    });
    expect(bad.status).toBe(400);
    const staffTry = await api(
      app.httpUrl,
      staffToken,
      "POST",
      "/api/responder/push",
      pushService.subscription(),
    );
    expect(staffTry.status).toBe(403);
    expect(
      await count(app, `SELECT COUNT(*) AS n FROM "PushSubscription" WHERE endpoint NOT LIKE ?`, [
        `${pushService.url}%`,
      ]),
    ).toBe(0);
  });
});

describe("presence", () => {
  it("a phone that stopped heartbeating is unreachable: not offered, shown to staff, and told when it comes back", async () => {
    const home = await residentOf(app, "BJ-00015");
    // The nearer one has a push subscription but its page is closed; the farther one is live.
    const near = await onDutyAt(app, "caregiver008", offset(home.lat, home.lng, 80, 0));
    await subscribe(near.token);
    const pushOnly = nextEvent(
      staff,
      "responder:updated",
      (s) => s.id === near.id && s.phoneState === "push_only",
    );
    near.socket.close();
    await pushOnly;
    const far = await onDutyAt(app, "caregiver009", offset(home.lat, home.lng, 1200, 0));

    clock.advance(PRESENCE_MS + 1000);
    // Far's position must stay fresh for matching after the clock moved.
    await api(app.httpUrl, far.token, "POST", "/api/responder/location", offset(home.lat, home.lng, 1200, 0));
    const unreachable = nextEvent(
      staff,
      "responder:updated",
      (s) => s.id === near.id && s.phoneState === "unreachable",
    );
    await app.responders.sweep();
    const seen = await unreachable;
    expect(seen.onDuty).toBe(true);
    expect(Date.parse(seen.lastSeenAt!)).toBeLessThan(clock.now() - PRESENCE_MS);

    const offered = nextEvent(far.socket, "offer");
    const { d, caseId } = await pressAt("BJ-00015", "presence-1");
    expect((await offered).caseId).toBe(caseId);
    const detail = await api<CaseDetail>(app.httpUrl, staffToken, "GET", `/api/cases/${caseId}`);
    expect(detail.body.offers.map((o) => o.responderId)).not.toContain(near.id);
    // Staff still see the nearer one, after the phone the platform reaches, to ring and assign.
    expect(
      detail.body.candidates.map((k) => [k.responderId, k.phoneState, k.offer === null, k.lastSeenAt]),
    ).toEqual([
      [far.id, "live", false, expect.any(String)],
      [near.id, "unreachable", true, seen.lastSeenAt],
    ]);

    // Back: the heartbeat's answer says what happened, once.
    const hb = await api<Presence>(app.httpUrl, near.token, "POST", "/api/responder/heartbeat");
    expect(hb.body).toMatchObject({ phoneState: "push_only", onDuty: true, presenceSeconds: 60 });
    expect(hb.body.notice?.kind).toBe("was_unreachable");
    expect(
      (await api<Presence>(app.httpUrl, near.token, "POST", "/api/responder/heartbeat")).body.notice,
    ).toBeNull();
    await d.close();
    far.socket.close();
  });

  it("a case nobody could be offered goes to a phone the moment it is back", async () => {
    const home = await residentOf(app, "BJ-00017");
    const lone = await onDutyAt(app, "caregiver007", offset(home.lat, home.lng, 90, 0));
    await subscribe(lone.token);
    const pushOnly = nextEvent(
      staff,
      "responder:updated",
      (s) => s.id === lone.id && s.phoneState === "push_only",
    );
    lone.socket.close();
    await pushOnly;
    clock.advance(PRESENCE_MS + 1000);
    const unreachable = nextEvent(
      staff,
      "responder:updated",
      (s) => s.id === lone.id && s.phoneState === "unreachable",
    );
    await app.responders.sweep();
    await unreachable;

    const { d, caseId } = await pressAt("BJ-00017", "presence-back-1");
    const waiting = await api<{ offers: unknown[] }>(app.httpUrl, staffToken, "GET", `/api/cases/${caseId}`);
    expect(waiting.body.offers).toEqual([]);

    // Its heartbeat makes it reachable: the waiting case is offered at once, not at the next sweep.
    const pushed = pushService.next((p) => p.message.kind === "offer" && p.message.caseId === caseId);
    expect((await api(app.httpUrl, lone.token, "POST", "/api/responder/heartbeat")).status).toBe(200);
    expect((await pushed).message.caseId).toBe(caseId);
    await d.close();
  });

  it("a responder silent for longer is taken off duty with an audit entry, and learns it on return; one at a door is not", async () => {
    const home = await residentOf(app, "BJ-00016");
    const idle = await onDutyAt(app, "caregiver010", offset(home.lat, home.lng, 100, 0));
    const idleGone = nextEvent(
      staff,
      "responder:updated",
      (s) => s.id === idle.id && s.phoneState === "unreachable",
    );
    idle.socket.close();
    await idleGone;
    const worker = await onDutyAt(app, "caregiver003", offset(home.lat, home.lng, 50, 0));
    const offered = nextEvent(worker.socket, "offer");
    const { d } = await pressAt("BJ-00016", "presence-2");
    const offer = await offered;
    expect((await api(app.httpUrl, worker.token, "POST", `/api/offers/${offer.id}/accept`)).status).toBe(200);
    const workerGone = nextEvent(
      staff,
      "responder:updated",
      (s) => s.id === worker.id && s.phoneState === "unreachable",
    );
    worker.socket.close();
    await workerGone;

    clock.advance(601_000);
    const offDuty = nextEvent(staff, "responder:updated", (s) => s.id === idle.id && !s.onDuty);
    await app.responders.sweep();
    await offDuty;
    const audit = await app.db.all<{ action: string; entityId: string; changes: string }>(
      `SELECT action, "entityId", changes FROM "AuditEntry" WHERE entity = 'responder' AND action = 'responder.off_duty_unreachable'`,
    );
    expect(audit.map((a) => a.entityId)).toEqual([String(idle.id)]);
    expect((JSON.parse(audit[0]!.changes) as { onDuty: unknown }).onDuty).toEqual([true, false]);
    // The one with a job in hand stays on duty: staff must still reach them about it.
    const list = await api<ResponderSummary[]>(app.httpUrl, staffToken, "GET", "/api/responders");
    expect(list.body.find((r) => r.id === worker.id)).toMatchObject({
      onDuty: true,
      phoneState: "unreachable",
      activity: "accepted",
    });

    const me = await api<ResponderMe>(app.httpUrl, idle.token, "GET", "/api/responder/me");
    expect(me.body.responder.onDuty).toBe(false);
    expect(me.body.presence.notice?.kind).toBe("taken_off_duty");
    await d.close();
  });
});
