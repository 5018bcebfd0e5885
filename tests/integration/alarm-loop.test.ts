// The one promise: a press becomes exactly one durable case, acknowledged to that device only,
// and staff see it at once. Real broker, real mqtt.js and Socket.IO clients, real SQLite file.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { MqttClient } from "mqtt";
import { topics } from "../../protocol/index.ts";
import { connectDevice, until, type TestDevice } from "../helpers/scenario.ts";
import {
  startTestApp,
  login,
  connectSocket,
  nextEvent,
  allOffDuty,
  count as countRows,
  type TestApp,
  type ClientSocket,
} from "../helpers/app.ts";
import { TEST_ENGINE } from "../helpers/database.ts";

let app: TestApp;
let staff: ClientSocket;

function press(client: MqttClient, id: string, eventId: string, type = "sos", extra: object = {}) {
  return client.publishAsync(
    topics.events(id),
    JSON.stringify({ eventId, type, at: new Date().toISOString(), ...extra }),
    { qos: 1 },
  );
}

const count = (sql: string) => countRows(app, sql);

beforeAll(async () => {
  app = await startTestApp();
  await allOffDuty(app); // nobody to offer: these tests look at ingest only
  const { token } = await login(app.httpUrl, "dispatcher");
  staff = await connectSocket(app.httpUrl, token);
});
afterAll(async () => {
  staff?.close();
  await app?.close();
});

describe("a press", () => {
  it("yields exactly one case, an ack to that device only, and case:created on the console", async () => {
    const a = await connectDevice(app, "BJ-00001");
    const b = await connectDevice(app, "BJ-00002");
    const created = nextEvent(staff, "case:created", (c) => c.deviceId === "BJ-00001");
    await press(a.client, "BJ-00001", "press-1");
    const c = await created;
    const ack = await until(() => a.acks.find((x) => x.eventId === "press-1"));
    expect(ack.status).toBe("received");
    expect(ack.caseId).toBe(c.id);
    expect(c).toMatchObject({ type: "sos", kind: "emergency", status: "new", deviceId: "BJ-00001" });
    expect(c.residentName.length).toBeGreaterThan(0);
    expect(await count(`SELECT COUNT(*) n FROM "Case" WHERE "deviceId" = 'BJ-00001'`)).toBe(1);
    // Acks leave the platform in order: had press-1's ack gone to b too, it would reach b before
    // the ack of b's own later press.
    await press(b.client, "BJ-00002", "b-own");
    await until(() => b.acks.find((x) => x.eventId === "b-own"));
    expect(b.acks.map((x) => x.eventId)).toEqual(["b-own"]);
    await Promise.all([a.client.endAsync(), b.client.endAsync()]);
  });

  it("sent five times is still one case, and every copy is acknowledged with that case", async () => {
    const d = await connectDevice(app, "BJ-00003");
    // A resend is the same event: same eventId, type and device time (docs/protocol.md).
    const at = new Date().toISOString();
    for (let i = 0; i < 5; i++) await press(d.client, "BJ-00003", "same-event", "sos", { at });
    await until(() => d.acks.filter((x) => x.eventId === "same-event").length === 5);
    expect(new Set(d.acks.map((x) => x.caseId)).size).toBe(1);
    expect(await count(`SELECT COUNT(*) n FROM "Case" WHERE "deviceId" = 'BJ-00003'`)).toBe(1);
    expect(await count(`SELECT COUNT(*) n FROM "DeviceEvent" WHERE "deviceId" = 'BJ-00003'`)).toBe(1);
    await d.client.endAsync();
  });

  it("a second press while the case is open joins it and raises its priority", async () => {
    const d = await connectDevice(app, "BJ-00004");
    await press(d.client, "BJ-00004", "first");
    const first = await until(() => d.acks.find((x) => x.eventId === "first"));
    const updated = nextEvent(staff, "case:updated", (c) => c.id === first.caseId && c.pressCount === 2);
    await press(d.client, "BJ-00004", "second");
    const second = await until(() => d.acks.find((x) => x.eventId === "second"));
    expect(second.caseId).toBe(first.caseId);
    const c = await updated;
    expect(c.priority).toBe(1);
    expect(await count(`SELECT COUNT(*) n FROM "Case" WHERE "deviceId" = 'BJ-00004'`)).toBe(1);
    await d.client.endAsync();
  });

  it("cancel before accept cancels the case and logs the reason; it still awaits a verification call", async () => {
    const d = await connectDevice(app, "BJ-00005");
    await press(d.client, "BJ-00005", "oops");
    const opened = await until(() => d.acks.find((x) => x.eventId === "oops"));
    await press(d.client, "BJ-00005", "cancel-1", "cancel");
    const ack = await until(() => d.acks.find((x) => x.eventId === "cancel-1"));
    expect(ack.status).toBe("cancelled");
    const row = await app.db.get<{ status: string }>(`SELECT status FROM "Case" WHERE id = ?`, [
      opened.caseId!,
    ]);
    expect(row?.status).toBe("cancelled");
    const ev = await app.db.get<{ actorType: string; actorId: string; note: string }>(
      `SELECT "actorType", "actorId", note FROM "CaseEvent" WHERE "caseId" = ? AND type = 'cancelled'`,
      [opened.caseId!],
    );
    expect(ev).toMatchObject({ actorType: "device", actorId: "BJ-00005" });
    expect(ev?.note).toContain("resident");
    await d.client.endAsync();
  });

  it("a weekly test press is logged, not dispatched", async () => {
    const d = await connectDevice(app, "BJ-00006");
    await press(d.client, "BJ-00006", "weekly-test", "test");
    const ack = await until(() => d.acks.find((x) => x.eventId === "weekly-test"));
    expect(ack.status).toBe("logged");
    expect(await count(`SELECT COUNT(*) n FROM "Case" WHERE "deviceId" = 'BJ-00006'`)).toBe(0);
    expect(
      await count(`SELECT COUNT(*) n FROM "Device" WHERE id = 'BJ-00006' AND "lastTestAt" IS NOT NULL`),
    ).toBe(1);
    await d.client.endAsync();
  });
});

describe("bad input changes nothing and the process stays up", () => {
  it("an unusable event creates nothing: it is acknowledged as rejected when it has an eventId, and counted", async () => {
    const d = await connectDevice(app, "BJ-00007");
    const before = await count(`SELECT COUNT(*) n FROM "Case"`);
    const rejectedBefore = app.intake.stats.rejected;
    await d.client.publishAsync(topics.events("BJ-00007"), "not json at all", { qos: 1 });
    await press(d.client, "BJ-00007", "weird", "party");
    const ack = await d.ack((a) => a.eventId === "weird");
    expect(ack).toMatchObject({ status: "rejected", reason: "unusable event: unknown_type" });
    await until(() => app.intake.stats.rejected >= rejectedBefore + 2);
    expect(await count(`SELECT COUNT(*) n FROM "Case"`)).toBe(before);
    expect(d.acks).toHaveLength(1);
    expect(
      await count(
        `SELECT "rejectedEvents" n FROM "Device" WHERE id = 'BJ-00007' AND "lastRejectReason" = 'unknown_type'`,
      ),
    ).toBe(2);
    const health = await fetch(`${app.httpUrl}/healthz`);
    expect(health.status).toBe(200);
    await d.client.endAsync().catch(() => undefined);
  });

  it("a device cannot press for another device", async () => {
    const d = await connectDevice(app, "BJ-00008");
    const before = await count(`SELECT COUNT(*) n FROM "Case" WHERE "deviceId" = 'BJ-00009'`);
    const received = app.intake.stats.received;
    await press(d.client, "BJ-00009", "spoof").catch(() => undefined);
    // The device's own next press travels the same path after the spoof; once it is acknowledged,
    // the spoof would have arrived too.
    await press(d.client, "BJ-00008", "own-after-spoof");
    await until(() => d.acks.find((x) => x.eventId === "own-after-spoof"));
    expect(app.intake.stats.received - received).toBe(1);
    expect(await count(`SELECT COUNT(*) n FROM "Case" WHERE "deviceId" = 'BJ-00009'`)).toBe(before);
    await d.client.endAsync().catch(() => undefined);
  });

  it("a wrong secret cannot connect", async () => {
    await expect(connectDevice(app, "BJ-00010", "wrong-secret")).rejects.toThrow();
  });
});

// Not on PostgreSQL: there every statement is a round trip through this process's event loop,
// which these 1,000 clients share, so the time would measure the test rig. The crash-safety
// burst checks the same promise on PostgreSQL, and bench/ingest.bench.ts measures its speed.
describe.skipIf(TEST_ENGINE === "postgres")("a burst", () => {
  it("1,000 presses from 1,000 devices within a few seconds → exactly 1,000 cases and 1,000 acks", async () => {
    const ids = Array.from({ length: 1000 }, (_, i) => `BJ-${String(i + 101).padStart(5, "0")}`);
    const clients: TestDevice[] = [];
    for (let i = 0; i < ids.length; i += 100) {
      clients.push(...(await Promise.all(ids.slice(i, i + 100).map((id) => connectDevice(app, id)))));
    }
    const before = await count(`SELECT COUNT(*) n FROM "Case"`);
    await Promise.all(clients.map((c) => c.press(`burst-${c.id}`)));
    await until(() => clients.every((c) => c.acks.some((a) => a.eventId === `burst-${c.id}`)), 40_000);
    expect((await count(`SELECT COUNT(*) n FROM "Case"`)) - before).toBe(1000);
    expect(clients.every((c) => c.acks.filter((a) => a.eventId === `burst-${c.id}`).length === 1)).toBe(true);
    await Promise.all(clients.map((c) => c.client.endAsync()));
  }, 60_000);
});
