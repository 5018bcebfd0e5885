// Supervision profiles per device kind against the real platform, with an injected clock: a
// silent wall button goes offline after its kind's window and a pendant only after its own,
// longer one, each raising exactly one technical case, and a restart in between raises no second;
// an outage outlasting the profile's replacement time flags the device for replacement once; a
// device never seen since enrolment is reported once. Profiles are edited by an admin, audited.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  DEVICE_KINDS,
  type DeviceWithSecret,
  type Page,
  type SupervisionProfile,
} from "../../protocol/index.ts";
import { api, count, login, startTestApp, type TestApp } from "../helpers/app.ts";
import { TestClock } from "../helpers/clock.ts";
import { connectDevice, until } from "../helpers/scenario.ts";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const clock = new TestClock();
const dir = mkdtempSync(join(tmpdir(), "eldercare-supervision-"));
let app: TestApp;
let admin: string;

const start = async () => {
  app = await startTestApp({ clock, dir, seed: { residents: 40, caregivers: 3, volunteers: 3 } });
  admin = (await login(app.httpUrl, "admin")).token;
};
beforeAll(start);
afterAll(async () => {
  await app?.close();
  rmSync(dir, { recursive: true, force: true });
});

const casesOf = (deviceId: string, type: string) =>
  count(app, `SELECT COUNT(*) AS n FROM "Case" WHERE "deviceId" = ? AND type = ?`, [deviceId, type]);

/** A device of `kind` whose resident has no other device. */
async function deviceOfKind(kind: string, not: string[] = []): Promise<string> {
  const rows = await app.db.all<{ id: string }>(
    `SELECT d.id FROM "Device" d WHERE d.kind = ? AND (SELECT COUNT(*) FROM "Device" o WHERE o."residentId" = d."residentId") = 1
     ORDER BY d.id`,
    [kind],
  );
  return rows.map((r) => r.id).find((id) => !not.includes(id))!;
}

/** The device beats once (online), then goes quiet without a Last Will. */
async function beatOnce(id: string): Promise<void> {
  const device = await connectDevice(app, id);
  await device.heartbeat({ state: "online", battery: 80 });
  await until(
    async () =>
      (await app.db.get<{ online: number }>(`SELECT online FROM "Device" WHERE id = ?`, [id]))?.online === 1,
  );
  await device.close();
}

const wallProfile = {
  heartbeatSeconds: 60,
  missedBeatsOffline: 2,
  neverConnectedHours: 6,
  replaceAfterMinutes: 120,
};

describe("supervision profiles per device kind", () => {
  it("are data: listed per kind, changed by an admin (audited), refused to others and for bad input", async () => {
    const list = await api<SupervisionProfile[]>(app.httpUrl, admin, "GET", "/api/supervision-profiles");
    expect(list.body.map((p) => p.kind).sort()).toEqual([...DEVICE_KINDS].sort());
    expect(list.body.find((p) => p.kind === "pendant")).toMatchObject({
      heartbeatSeconds: 900,
      missedBeatsOffline: 4,
    });

    const dispatcher = (await login(app.httpUrl, "dispatcher")).token;
    expect(
      (await api(app.httpUrl, dispatcher, "PUT", "/api/supervision-profiles/wall_button", wallProfile))
        .status,
    ).toBe(403);
    expect(
      (
        await api(app.httpUrl, admin, "PUT", "/api/supervision-profiles/wall_button", {
          ...wallProfile,
          missedBeatsOffline: 0,
        })
      ).status,
    ).toBe(400);
    expect(
      (await api(app.httpUrl, admin, "PUT", "/api/supervision-profiles/toaster", wallProfile)).status,
    ).toBe(400);
    const unchanged = await api<SupervisionProfile[]>(app.httpUrl, admin, "GET", "/api/supervision-profiles");
    expect(unchanged.body.find((p) => p.kind === "wall_button")).toMatchObject({
      heartbeatSeconds: 300,
      updatedAt: null,
    });

    const saved = await api<SupervisionProfile>(
      app.httpUrl,
      admin,
      "PUT",
      "/api/supervision-profiles/wall_button",
      wallProfile,
    );
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({ kind: "wall_button", ...wallProfile });
    const audit = await api<Page<{ action: string; changes: Record<string, unknown> }>>(
      app.httpUrl,
      admin,
      "GET",
      "/api/audit?entity=supervision_profile&id=wall_button",
    );
    expect(audit.body.items).toHaveLength(1);
    expect(audit.body.items[0]!.changes).toMatchObject({
      heartbeatSeconds: [300, 60],
      neverConnectedHours: [24, 6],
    });
  });

  it("a silent device goes offline after its own kind's window, once per outage, also across a restart", async () => {
    const wall = await deviceOfKind("wall_button");
    const pendant = await deviceOfKind("pendant");
    await beatOnce(wall);
    await beatOnce(pendant);

    clock.advance(2 * MINUTE - 5_000); // inside the wall button's 2 minutes
    await app.heartbeats.sweep();
    expect(await casesOf(wall, "device_offline")).toBe(0);
    clock.advance(10_000);
    await app.heartbeats.sweep(); // the periodic sweep may get there first; either way one case
    expect(await casesOf(wall, "device_offline")).toBe(1);
    expect(await casesOf(pendant, "device_offline")).toBe(0); // a pendant may miss an hour
    await app.heartbeats.sweep();
    expect(await casesOf(wall, "device_offline")).toBe(1);

    // A restart forgets nothing: the outage is the same, its case is already there.
    await app.close();
    await start();
    await app.heartbeats.sweep();
    expect(await casesOf(wall, "device_offline")).toBe(1);
    expect(
      (await app.db.get<{ online: number }>(`SELECT online FROM "Device" WHERE id = ?`, [wall]))!.online,
    ).toBe(0);

    clock.advance(60 * MINUTE - 2 * MINUTE); // the pendant's 15 min × 4 is up
    await app.heartbeats.sweep();
    expect(await casesOf(pendant, "device_offline")).toBe(1);
    expect(await casesOf(wall, "device_offline")).toBe(1);

    // Two hours past its window the wall button is still silent: flagged for replacement, once,
    // beside the outage's open case; the pendant's two hours are not up yet.
    clock.advance(2 * HOUR - 60 * MINUTE + 2 * MINUTE);
    await app.heartbeats.sweep();
    await app.heartbeats.sweep();
    expect(await casesOf(wall, "device_replacement")).toBe(1);
    expect(await casesOf(pendant, "device_replacement")).toBe(0);
    const replacement = (await app.db.get<{ kind: string; priority: number; status: string }>(
      `SELECT kind, priority, status FROM "Case" WHERE "deviceId" = ? AND type = 'device_replacement'`,
      [wall],
    ))!;
    expect(replacement).toEqual({ kind: "technical", priority: 3, status: "new" });
    expect(await count(app, `SELECT COUNT(*) AS n FROM "Offer"`)).toBe(0);
  });

  it("a device enrolled and never seen is reported once, after its kind's hours", async () => {
    // A wall button (6 h) for a resident whose other device is a pendant (24 h): its report is its own.
    const pendant = await deviceOfKind("pendant", [await deviceOfKind("pendant")]);
    const { residentId } = (await app.db.get<{ residentId: number }>(
      `SELECT "residentId" FROM "Device" WHERE id = ?`,
      [pendant],
    ))!;
    const enrolled = await api<DeviceWithSecret>(app.httpUrl, admin, "POST", "/api/devices", {
      residentId,
      kind: "wall_button",
    });
    expect(enrolled.status).toBe(201);
    const id = enrolled.body.device.id;
    expect(enrolled.body.device).toMatchObject({
      ownSupervision: false,
      heartbeatSeconds: 60,
      missedBeatsOffline: 2,
    });

    clock.advance(6 * HOUR - MINUTE);
    expect(await app.heartbeats.sweepNeverConnected()).not.toContain(id);
    clock.advance(2 * MINUTE);
    await app.heartbeats.sweepNeverConnected();
    expect(await casesOf(id, "never_connected")).toBe(1);
    expect(await app.heartbeats.sweepNeverConnected()).not.toContain(id);
    expect(await casesOf(id, "never_connected")).toBe(1);
    expect(await casesOf(pendant, "never_connected")).toBe(0);
  });
});
