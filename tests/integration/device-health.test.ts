// Heartbeats and Last Will: buffered and written in a few transactions, offline shown to staff.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import mqtt from "mqtt";
import { topics } from "../../protocol/index.ts";
import {
  api,
  connectSocket,
  login,
  nextEvent,
  startTestApp,
  TEST_DEVICE_SECRET,
  type TestApp,
} from "../helpers/app.ts";
import { until } from "../helpers/scenario.ts";
import type { DeviceSummary } from "../../protocol/index.ts";

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({ seed: { residents: 400, caregivers: 5, volunteers: 5 } });
});
afterAll(async () => {
  await app?.close();
});

describe("device supervision", () => {
  it("300 heartbeats become a handful of transactions, and every device row is updated", async () => {
    const ids = Array.from({ length: 300 }, (_, i) => `BJ-${String(i + 1).padStart(5, "0")}`);
    const clients = await Promise.all(
      ids.map((id) =>
        mqtt.connectAsync(app.mqttUrl, {
          clientId: id,
          username: id,
          password: TEST_DEVICE_SECRET,
          reconnectPeriod: 0,
        }),
      ),
    );
    const flushesBefore = app.statuses.flushes;
    await Promise.all(
      clients.map((c, i) =>
        c.publishAsync(topics.status(ids[i]!), JSON.stringify({ state: "online", battery: 55, signal: 70 }), {
          qos: 1,
          retain: true,
        }),
      ),
    );
    await until(() => {
      const n = app.db.raw
        .prepare(`SELECT COUNT(*) n FROM "Device" WHERE online = 1 AND battery = 55 AND signal = 70`)
        .get() as { n: number };
      return n.n === 300;
    }, 5000);
    const flushes = app.statuses.flushes - flushesBefore;
    expect(flushes).toBeGreaterThan(0);
    expect(flushes).toBeLessThanOrEqual(5);
    await Promise.all(clients.map((c) => c.endAsync()));
  });

  it("a device that drops off the network fires its Last Will and staff see it go offline", async () => {
    const { token } = await login(app.httpUrl, "dispatcher");
    const staff = await connectSocket(app.httpUrl, token);
    const id = "BJ-00350";
    const client = await mqtt.connectAsync(app.mqttUrl, {
      clientId: id,
      username: id,
      password: TEST_DEVICE_SECRET,
      reconnectPeriod: 0,
      will: {
        topic: topics.status(id),
        payload: Buffer.from(JSON.stringify({ state: "offline" })),
        qos: 1,
        retain: true,
      },
    });
    await client.publishAsync(topics.status(id), JSON.stringify({ state: "online", battery: 90 }), {
      qos: 1,
      retain: true,
    });
    await until(
      () =>
        (app.db.raw.prepare(`SELECT online FROM "Device" WHERE id = ?`).get(id) as { online: number })
          .online === 1,
    );
    const offline = nextEvent(staff, "device:updated", (d) => d.id === id && !d.online, 8000);
    client.stream.destroy(); // no DISCONNECT: the broker publishes the will
    expect((await offline).residentName.length).toBeGreaterThan(0);
    const list = await api<DeviceSummary[]>(app.httpUrl, token, "GET", "/api/devices?filter=offline");
    expect(list.body.map((d) => d.id)).toContain(id);
    const bad = await api(app.httpUrl, token, "GET", "/api/devices?filter=broken");
    expect(bad.status).toBe(400);
    staff.close();
  });
});
