// Ingest never silently drops an alarm: strict on what identifies it (the device, from the topic,
// and the type), forgiving on the rest, and a reused eventId with a different press is a new
// press. Real broker, real mqtt.js clients, real SQLite file.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { topics, type CaseEventDto } from "../../protocol/index.ts";
import { allOffDuty, count, startTestApp, type TestApp } from "../helpers/app.ts";
import { connectDevice, until, type TestDevice } from "../helpers/scenario.ts";

let app: TestApp;
const devices: TestDevice[] = [];

beforeAll(async () => {
  app = await startTestApp({ seed: { residents: 60, caregivers: 3, volunteers: 3 } });
  await allOffDuty(app); // nobody to offer: these tests look at ingest only
});
afterAll(async () => {
  await Promise.all(devices.map((d) => d.close().catch(() => undefined)));
  await app?.close();
});

async function device(id: string): Promise<TestDevice> {
  const d = await connectDevice(app, id);
  devices.push(d);
  return d;
}

function publish(d: TestDevice, payload: string | Buffer | object) {
  const body = typeof payload === "string" || Buffer.isBuffer(payload) ? payload : JSON.stringify(payload);
  return d.client.publishAsync(topics.events(d.id), body, { qos: 1 });
}

const faultsOn = async (caseId: number) =>
  (
    await app.db.all<{ data: string }>(`SELECT data FROM "CaseEvent" WHERE "caseId" = ? AND type = ?`, [
      caseId,
      "device_fault" satisfies CaseEventDto["type"],
    ])
  ).flatMap((r) => (JSON.parse(r.data) as { faults: string[] }).faults);

/** Closes the device's open case, so its next press opens a new one instead of joining it. */
async function closeCase(caseId: number) {
  const staff = { type: "staff" as const, id: null, name: "test" };
  await app.cases.execute(caseId, { type: "cancel", actor: staff, reason: "test" });
  await app.cases.execute(caseId, {
    type: "follow_up",
    actor: staff,
    outcome: "reached_ok",
    party: "resident",
    number: null,
    note: null,
    close: true,
  });
}

describe("an SOS with a bad secondary field is still a case", () => {
  it.each([
    [
      "battery 101",
      "BJ-00001",
      { eventId: "b101", type: "sos", at: new Date().toISOString(), battery: 101 },
      "bad_battery",
    ],
    [
      "an unknown field",
      "BJ-00002",
      { eventId: "x1", type: "sos", at: new Date().toISOString(), fw: "2.1" },
      "unknown_fields",
    ],
    [
      "an +0800 offset",
      "BJ-00003",
      { eventId: "o1", type: "sos", at: "2026-11-23T08:15:02+0800" },
      "nonstandard_at",
    ],
  ])(
    "%s: acknowledged as received, with a device-fault note on the case",
    async (_name, id, payload, fault) => {
      const d = await device(id);
      await publish(d, payload);
      const ack = await d.ack((a) => a.eventId === payload.eventId);
      expect(ack.status).toBe("received");
      expect(
        await count(app, `SELECT COUNT(*) AS n FROM "Case" WHERE id = ? AND "deviceId" = ?`, [
          ack.caseId!,
          id,
        ]),
      ).toBe(1);
      expect(await faultsOn(ack.caseId!)).toEqual([fault]);
    },
  );

  it("a UTF-8 BOM before the JSON", async () => {
    const d = await device("BJ-00004");
    const json = JSON.stringify({ eventId: "bom1", type: "sos", at: new Date().toISOString() });
    await publish(d, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(json)]));
    const ack = await d.ack((a) => a.eventId === "bom1");
    expect(ack.status).toBe("received");
    expect(await faultsOn(ack.caseId!)).toEqual(["bom"]);
  });

  it("a bad battery value is not stored", async () => {
    const row = await app.db.get<{ battery: number | null }>(`SELECT battery FROM "Device" WHERE id = ?`, [
      "BJ-00001",
    ]);
    expect(row!.battery).not.toBe(101);
  });
});

describe("de-duplication on (device, eventId) holds only while the press is the same", () => {
  it("a reused eventId with a new press becomes a case; each press's resend gets its own answer", async () => {
    const d = await device("BJ-00005");
    const first = { eventId: "7", type: "sos", at: "2026-11-23T08:00:00+08:00" };
    await publish(d, first);
    const a1 = await d.ack((a) => a.eventId === "7" && a.status === "received");
    await closeCase(a1.caseId!);

    // The device's counter restarted: the same eventId, another press a day later.
    const second = { eventId: "7", type: "sos", at: "2026-11-24T09:30:00+08:00" };
    await publish(d, second);
    const a2 = await d.ack((a) => a.eventId === "7" && a.status === "received" && a.caseId !== a1.caseId);
    expect(a2.caseId).toBeGreaterThan(a1.caseId!);
    expect(await faultsOn(a2.caseId!)).toEqual(["event_id_reused"]);

    // Resends of either press are answered as that press was, and create nothing.
    const acksBefore = d.acks.length;
    await publish(d, second);
    await publish(d, first);
    await until(() => d.acks.length >= acksBefore + 2);
    expect(d.acks.slice(acksBefore).map((a) => a.caseId)).toEqual([a2.caseId, a1.caseId]);
    expect(await count(app, `SELECT COUNT(*) AS n FROM "Case" WHERE "deviceId" = ?`, ["BJ-00005"])).toBe(2);
    expect(
      await count(app, `SELECT COUNT(*) AS n FROM "DeviceEvent" WHERE "deviceId" = ?`, ["BJ-00005"]),
    ).toBe(2);
  });

  it("an SOS without an eventId is a case, and its resends join nothing new", async () => {
    const d = await device("BJ-00006");
    const press = { type: "sos", at: "2026-11-23T10:00:00+08:00" };
    await publish(d, press);
    const ack = await d.ack((a) => a.status === "received");
    await publish(d, press);
    await until(() => d.acks.length >= 2);
    expect(d.acks[1]).toMatchObject({ eventId: ack.eventId, caseId: ack.caseId });
    expect(
      await count(app, `SELECT COUNT(*) AS n FROM "DeviceEvent" WHERE "deviceId" = ?`, ["BJ-00006"]),
    ).toBe(1);
  });
});

describe("oversized publishes do not lock a device out", () => {
  it("a device that sent oversized publishes can press again, and its press becomes a case", async () => {
    const d = await device("BJ-00007");
    const huge = JSON.stringify({
      eventId: "huge-1",
      type: "sos",
      at: new Date().toISOString(),
      log: "x".repeat(200 * 1024),
    });
    await publish(d, huge); // over the 1 KiB payload limit and the 64 KiB frame floor
    const first = await d.ack((a) => a.eventId === "huge-1");
    expect(first.status).toBe("received");
    expect(await faultsOn(first.caseId!)).toEqual(["payload_too_large"]);

    const rejectedBefore = app.intake.stats.rejected;
    await publish(d, Buffer.alloc(300 * 1024, 7)); // not JSON at all: nothing identifies it
    await until(() => app.intake.stats.rejected > rejectedBefore);

    await publish(d, { eventId: "after-huge", type: "sos", at: new Date().toISOString() });
    const again = await d.ack((a) => a.eventId === "after-huge");
    expect(again).toMatchObject({ status: "received", caseId: first.caseId });
    expect(d.client.connected).toBe(true);
  });
});
