// A service-request press against the real platform (real broker, a real MQTT device): it becomes
// one service order in the resident's community queue — stored before the device hears
// "received", no case, no offer to any phone — and a second press while that order is open adds
// a request to it (staff see it asked again) instead of placing another order.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { localTime, PLATFORM_TIME_ZONE, topics, type ServiceOrder } from "../../protocol/index.ts";
import {
  allOffDuty,
  api,
  connectSocket,
  count,
  login,
  nextEvent,
  startTestApp,
  type TestApp,
} from "../helpers/app.ts";
import { connectDevice, offset, onDutyAt, residentOf, until, type TestDevice } from "../helpers/scenario.ts";

const DEVICE = "BJ-00016";
let app: TestApp;
let staff: string;
let device: TestDevice;
let home: Awaited<ReturnType<typeof residentOf>>;

beforeAll(async () => {
  app = await startTestApp({ seed: { residents: 60, caregivers: 6, volunteers: 12 } });
  staff = (await login(app.httpUrl, "dispatcher")).token;
  home = await residentOf(app, DEVICE);
  device = await connectDevice(app, DEVICE);
});
afterAll(async () => {
  await device?.close();
  await app?.close();
});

/** What each eventId was first sent with: a resend repeats the press exactly (docs/protocol.md). */
const sent = new Map<string, string>();
const request = (eventId: string, service?: string) => {
  const payload =
    sent.get(eventId) ??
    JSON.stringify({ eventId, type: "service_request", at: new Date().toISOString(), service });
  sent.set(eventId, payload);
  return device.client.publishAsync(topics.events(DEVICE), payload, { qos: 1 });
};

const ordersOfResident = async () =>
  (
    await api<ServiceOrder[]>(
      app.httpUrl,
      staff,
      "GET",
      `/api/service-orders?communityId=${home.communityId}`,
    )
  ).body.filter((o) => o.residentId === home.residentId);

describe("a service-request press (居民点单)", () => {
  it("places one order in the community queue, offers nobody, and a second press joins it", async () => {
    // Everyone off duty but two responders who could do it, a few steps from the door.
    await allOffDuty(app);
    const volunteer = (await app.db.get<{ username: string }>(
      `SELECT u.username FROM "User" u JOIN "Responder" r ON r.id = u."responderId"
       WHERE r.role = 'volunteer' AND r.skills LIKE '%"meal"%' ORDER BY u.id LIMIT 1`,
    ))!.username;
    const phones = [
      await onDutyAt(app, volunteer, offset(home.lat, home.lng, 120, 0)),
      await onDutyAt(app, "caregiver001", offset(home.lat, home.lng, 0, 90)),
    ];
    let offers = 0;
    for (const p of phones) p.socket.on("offer", () => offers++);
    const staffSocket = await connectSocket(app.httpUrl, staff);
    const casesBefore = await count(app, `SELECT COUNT(*) n FROM "Case" WHERE "residentId" = ?`, [
      home.residentId,
    ]);
    try {
      const placed = nextEvent(staffSocket, "order:updated", (o) => o.residentId === home.residentId);
      await request("meal-1", "meal");
      const ack = await device.ack((a) => a.eventId === "meal-1");
      expect(ack.status).toBe("received");
      expect(ack.caseId).toBeUndefined();
      const order = await placed;
      expect(order).toMatchObject({
        residentId: home.residentId,
        communityId: home.communityId,
        service: "meal",
        origin: "device",
        status: "queued",
        responderId: null,
        requests: 1,
      });
      // As soon as convenient today: from the press to a midnight of the platform's calendar.
      expect(Date.parse(order.window.from)).toBeLessThanOrEqual(Date.now());
      expect(localTime(Date.parse(order.window.to), PLATFORM_TIME_ZONE)).toMatch(/^00:00/);
      expect(Date.parse(order.window.to) - Date.now()).toBeGreaterThanOrEqual(3 * 3_600_000);
      expect(await ordersOfResident()).toHaveLength(1);

      // The same resident presses again while it waits: still one order, asked twice.
      const again = nextEvent(staffSocket, "order:updated", (o) => o.id === order.id && o.requests === 2);
      await request("meal-2", "meal");
      expect((await device.ack((a) => a.eventId === "meal-2")).status).toBe("received");
      expect((await again).lastRequestAt).not.toBeNull();
      // A resend of the first press is answered as before and adds nothing.
      await request("meal-1", "meal");
      await until(() => device.acks.filter((a) => a.eventId === "meal-1").length === 2);
      expect(device.acks.filter((a) => a.eventId === "meal-1").map((a) => a.status)).toEqual([
        "received",
        "received",
      ]);
      const orders = await ordersOfResident();
      expect(orders).toHaveLength(1);
      expect(orders[0]).toMatchObject({ id: order.id, requests: 2 });

      // No case and no offer: the presses are stored as device events that name the order.
      expect(
        await count(app, `SELECT COUNT(*) n FROM "Case" WHERE "residentId" = ?`, [home.residentId]),
      ).toBe(casesBefore);
      expect(await count(app, `SELECT COUNT(*) n FROM "Offer"`)).toBe(0);
      expect(
        await app.db.all(
          `SELECT "eventId", outcome, "caseId", "serviceOrderId" FROM "DeviceEvent" WHERE "deviceId" = ? ORDER BY "eventId"`,
          [DEVICE],
        ),
      ).toEqual([
        { eventId: "meal-1", outcome: "created", caseId: null, serviceOrderId: order.id },
        { eventId: "meal-2", outcome: "joined", caseId: null, serviceOrderId: order.id },
      ]);
      expect(offers).toBe(0);

      // Staff assign it like any order.
      const [responder] = phones;
      const assigned = await api<ServiceOrder>(
        app.httpUrl,
        staff,
        "POST",
        `/api/service-orders/${order.id}/assign`,
        {
          responderId: responder!.id,
        },
      );
      expect(assigned.body).toMatchObject({ status: "assigned", responderId: responder!.id });
    } finally {
      staffSocket.close();
      for (const p of phones) p.socket.close();
    }
  });

  it("a press that names no service orders everyday help (家政) for staff to ring back about", async () => {
    const staffSocket = await connectSocket(app.httpUrl, staff);
    try {
      const placed = nextEvent(
        staffSocket,
        "order:updated",
        (o) => o.residentId === home.residentId && o.service === "housekeeping",
      );
      await request("svc-3");
      expect((await device.ack((a) => a.eventId === "svc-3")).status).toBe("received");
      expect(await placed).toMatchObject({ origin: "device", status: "queued", requests: 1 });
    } finally {
      staffSocket.close();
    }
  });
});
