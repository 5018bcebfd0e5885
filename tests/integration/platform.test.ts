// The service as a new user meets it: it starts, answers /healthz, lets seeded devices in and keeps
// wrong ones out, survives a second start on the same database, and explains a busy port.
import { createServer, type Server } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import mqtt from "mqtt";
import { HealthSchema } from "../../protocol/index.ts";
import {
  count,
  startTestApp,
  login,
  TEST_DEVICE_SECRET,
  TEST_PASSWORD,
  type TestApp,
} from "../helpers/app.ts";

let app: TestApp;

beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await app?.close();
});

describe("a fresh start", () => {
  it("answers /healthz with broker and database status", async () => {
    const res = await fetch(`${app.httpUrl}/healthz`);
    expect(res.status).toBe(200);
    expect(HealthSchema.parse(await res.json())).toMatchObject({
      status: "ok",
      broker: "up",
      mqtt: "connected",
      db: "up",
    });
  });

  it("seeded the demo city once", () => {
    expect(app.seed?.seeded).toBe(true);
    expect(app.seed?.counts.residents).toBe(1200);
  });

  it("lets a seeded device connect over TCP and refuses a wrong secret or an unknown device", async () => {
    const ok = await mqtt.connectAsync(app.mqttUrl, {
      clientId: "BJ-00001",
      username: "BJ-00001",
      password: TEST_DEVICE_SECRET,
      reconnectPeriod: 0,
    });
    expect(ok.connected).toBe(true);
    await ok.endAsync();
    await expect(
      mqtt.connectAsync(app.mqttUrl, {
        clientId: "BJ-00001",
        username: "BJ-00001",
        password: "nope",
        reconnectPeriod: 0,
      }),
    ).rejects.toThrow();
    await expect(
      mqtt.connectAsync(app.mqttUrl, {
        clientId: "XX-99999",
        username: "XX-99999",
        password: TEST_DEVICE_SECRET,
        reconnectPeriod: 0,
      }),
    ).rejects.toThrow();
  });

  it("logs staff in with the demo password and refuses a wrong one with a clear error", async () => {
    const { user } = await login(app.httpUrl, "dispatcher", TEST_PASSWORD);
    expect(user.role).toBe("dispatcher");
    const res = await fetch(`${app.httpUrl}/api/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ username: "dispatcher", password: "guess" }),
    });
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({
      error: { code: "unauthorized", message: "wrong username or password" },
    });
    const malformed = await fetch(`${app.httpUrl}/api/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{",
    });
    expect(malformed.status).toBe(400);
  });
});

describe("restarts and conflicts", () => {
  it("starting again on the same database neither re-seeds nor fails", async () => {
    const residentsBefore = await count(app, `SELECT COUNT(*) AS n FROM "Resident"`);
    const second = await startTestApp({ dir: app.dir });
    try {
      expect(second.seed?.seeded).toBe(false);
      expect(second.seed?.counts.residents).toBe(residentsBefore);
      expect((await fetch(`${second.httpUrl}/healthz`)).status).toBe(200);
    } finally {
      await second.stop();
    }
  });

  it("a port already in use fails with a message that names it", async () => {
    const blocker: Server = createServer();
    await new Promise<void>((r) => blocker.listen(0, "127.0.0.1", () => r()));
    const port = (blocker.address() as { port: number }).port;
    try {
      await expect(startTestApp({ env: { PORT: String(port) } })).rejects.toThrow(
        new RegExp(`port ${port} is already in use.*PORT`),
      );
      await expect(startTestApp({ env: { MQTT_PORT: String(port) } })).rejects.toThrow(new RegExp(`${port}`));
    } finally {
      blocker.close();
    }
  });
});
