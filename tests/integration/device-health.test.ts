// Heartbeats and Last Will: buffered and written in a few transactions, offline shown to staff.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { topics, type DevicePage } from "../../protocol/index.ts";
import {
  api,
  connectSocket,
  count,
  login,
  nextEvent,
  startTestApp,
  TEST_DEVICE_SECRET,
  type TestApp,
} from "../helpers/app.ts";
import { TestClock } from "../helpers/clock.ts";
import { connectDevice, until } from "../helpers/scenario.ts";

let app: TestApp;
const clock = new TestClock();
beforeAll(async () => {
  app = await startTestApp({ seed: { residents: 400, caregivers: 5, volunteers: 5 }, clock });
});
afterAll(async () => {
  await app?.close();
});

/** The device's row as the dispatcher last committed it. */
async function deviceRow(id: string): Promise<{ online: number; battery: number | null }> {
  const row = await app.db.get<{ online: number; battery: number | null }>(
    `SELECT online, battery FROM "Device" WHERE id = ?`,
    [id],
  );
  return row!;
}

describe("device supervision", () => {
  it("300 heartbeats become a handful of transactions, and every device row is updated", async () => {
    const ids = Array.from({ length: 300 }, (_, i) => `BJ-${String(i + 1).padStart(5, "0")}`);
    const devices = await Promise.all(ids.map((id) => connectDevice(app, id)));
    const flushesBefore = app.heartbeats.flushes;
    await Promise.all(devices.map((d) => d.heartbeat({ state: "online", battery: 55, signal: 70 })));
    // Rows are visible once committed; a flush is counted once its commit is on disk.
    await until(
      async () =>
        app.heartbeats.flushes > flushesBefore &&
        (await count(
          app,
          `SELECT COUNT(*) AS n FROM "Device" WHERE online = 1 AND battery = 55 AND signal = 70`,
        )) === 300,
      5000,
    );
    const flushes = app.heartbeats.flushes - flushesBefore;
    expect(flushes).toBeGreaterThan(0);
    expect(flushes).toBeLessThanOrEqual(5);
    await Promise.all(devices.map((d) => d.close()));
  });

  it("a device that drops off the network fires its Last Will and staff see it go offline", async () => {
    const { token } = await login(app.httpUrl, "dispatcher");
    const staff = await connectSocket(app.httpUrl, token);
    const id = "BJ-00350";
    const device = await connectDevice(app, id, TEST_DEVICE_SECRET, {
      will: {
        topic: topics.status(id),
        payload: Buffer.from(JSON.stringify({ state: "offline" })),
        qos: 1,
        retain: true,
      },
    });
    await device.heartbeat({ state: "online", battery: 90 });
    await until(async () => (await deviceRow(id)).online === 1);
    const offline = nextEvent(staff, "device:updated", (d) => d.id === id && !d.online, 8000);
    device.client.stream.destroy(); // no DISCONNECT: the broker publishes the will
    expect((await offline).residentName.length).toBeGreaterThan(0);
    const list = await api<DevicePage>(app.httpUrl, token, "GET", `/api/devices?filter=offline&q=${id}`);
    expect(list.body.items.map((d) => d.id)).toEqual([id]);
    const bad = await api(app.httpUrl, token, "GET", "/api/devices?filter=broken");
    expect(bad.status).toBe(400);
    staff.close();
  });

  it("a device silent past its own supervision window becomes one technical case, apart from emergencies", async () => {
    const { token } = await login(app.httpUrl, "dispatcher");
    const staff = await connectSocket(app.httpUrl, token);
    const id = "BJ-00360";
    await app.db.write((tx) =>
      tx.run(
        `UPDATE "Device" SET "heartbeatSeconds" = 60, "missedBeatsOffline" = 1, "ownSupervision" = 1 WHERE id = ?`,
        [id],
      ),
    );
    const device = await connectDevice(app, id);
    await device.heartbeat({ state: "online", battery: 80 });
    await until(async () => (await deviceRow(id)).online === 1);
    await device.close(); // goes quiet without a Last Will
    const created = nextEvent(staff, "case:created", (c) => c.deviceId === id);
    expect(await app.heartbeats.sweep()).not.toContain(id); // within its window
    clock.advance(61_000); // past its window of 1 beat × 60 s
    await app.heartbeats.sweep(); // the periodic sweep may get there first; either way one case
    const c = await created;
    expect(c).toMatchObject({ type: "device_offline", kind: "technical", priority: 4, status: "new" });
    // The same outage is reported once.
    expect(await app.heartbeats.sweep()).not.toContain(id);
    expect(
      await count(app, `SELECT COUNT(*) AS n FROM "Case" WHERE "deviceId" = ? AND type = 'device_offline'`, [
        id,
      ]),
    ).toBe(1);
    // Technical cases are never offered to responders automatically.
    expect(await count(app, `SELECT COUNT(*) AS n FROM "Offer" WHERE "caseId" = ?`, [c.id])).toBe(0);
    staff.close();
  });

  it("a heartbeat whose battery drops under the threshold opens a low-battery technical case", async () => {
    const id = "BJ-00370";
    const device = await connectDevice(app, id);
    await device.heartbeat({ state: "online", battery: 60 });
    await until(async () => (await deviceRow(id)).battery === 60);
    await device.heartbeat({ state: "online", battery: 12 });
    const row = await until(() =>
      app.db.get<{ type: string; kind: string }>(
        `SELECT type, kind FROM "Case" WHERE "deviceId" = ? AND type = 'low_battery'`,
        [id],
      ),
    );
    expect(row.kind).toBe("technical");
    await device.close();
  });
});
