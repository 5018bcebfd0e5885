// The platform with Debian's Mosquitto as its broker (BROKER_URL), device accounts provisioned
// by the platform through Mosquitto's dynamic-security plugin. Mosquitto and the platform run
// as their own processes, in a temp folder on free ports; everything is checked over MQTT and HTTP.
import type { ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import mqtt, { type IClientOptions, type MqttClient } from "mqtt";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MosquittoAccounts } from "../../broker/mosquitto/accounts.ts";
import { SimDevice } from "../../device-sim/device.ts";
import { topics } from "../../protocol/mqtt.ts";
import { api, login, TEST_PASSWORD } from "../helpers/app.ts";
import { eventPayload } from "../helpers/broker.ts";
import { enrolDevice, enrolResident } from "../helpers/registers.ts";
import { startMosquitto, type RunningMosquitto } from "../helpers/mosquitto.ts";
import { serviceEnv, startService, stopService } from "../helpers/service-process.ts";
import { until } from "../helpers/wait.ts";

const ADMIN = { username: "accounts-admin", password: "admin-password-1" };
const SERVICE = { username: "dispatcher", password: "service-password-1" };
const quiet = pino({ level: "silent" });

let dir: string;
let mosquitto: RunningMosquitto;
let service: ChildProcess;
let httpUrl: string;
let accounts: MosquittoAccounts;
const clients: MqttClient[] = [];
const devices: SimDevice[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "eldercare-mosquitto-test-"));
  mosquitto = await startMosquitto({ seed: { admin: ADMIN, service: SERVICE } });
  const env = await serviceEnv(`file:${join(dir, "platform.db")}`, {
    BROKER_URL: mosquitto.url,
    BROKER_SERVICE_USER: SERVICE.username,
    BROKER_SERVICE_PASSWORD: SERVICE.password,
    DEMO_PASSWORD: TEST_PASSWORD,
    MOSQUITTO_ADMIN_USER: ADMIN.username,
    MOSQUITTO_ADMIN_PASSWORD: ADMIN.password,
  });
  service = await startService(env);
  httpUrl = `http://127.0.0.1:${env.PORT}`;
  accounts = await MosquittoAccounts.connect({ url: mosquitto.url, ...ADMIN });
}, 60_000);

afterAll(async () => {
  await Promise.all(devices.map((d) => d.close()));
  await Promise.all(clients.map((c) => c.endAsync(true)));
  await accounts?.close();
  if (service) await stopService(service);
  await mosquitto?.stop();
  rmSync(dir, { recursive: true, force: true });
});

function device(id: string, secret: string): SimDevice {
  const d = new SimDevice({
    brokerUrl: mosquitto.url,
    deviceId: id,
    secret,
    heartbeatSeconds: 0,
    logger: quiet,
  });
  devices.push(d);
  return d;
}

/** A raw client that does not retry: resolves connected, or rejects with the CONNACK code. */
async function raw(opts: IClientOptions): Promise<MqttClient> {
  const c = await mqtt.connectAsync(mosquitto.url, { reconnectPeriod: 0, connectTimeout: 5000, ...opts });
  clients.push(c);
  return c;
}

const closed = (c: MqttClient) => new Promise<void>((resolve) => c.once("close", () => resolve()));

describe("Mosquitto as the platform's broker", () => {
  it("a provisioned device connects with its secret and its press becomes a case, acked through Mosquitto", async () => {
    await accounts.provision("BJ-00001", "secret-of-00001");
    const d = device("BJ-00001", "secret-of-00001");
    await d.connect();
    const result = await d.press("sos");
    expect(result.ack).toMatchObject({ eventId: result.eventId, status: "received" });
    const { token } = await login(httpUrl, "dispatcher");
    const detail = await api<{ case: { deviceId: string; status: string } }>(
      httpUrl,
      token,
      "GET",
      `/api/cases/${result.ack.caseId}`,
    );
    expect(detail.status).toBe(200);
    expect(JSON.stringify(detail.body)).toContain('"deviceId":"BJ-00001"');
  });

  it("the platform's own register tells Mosquitto: an enrolled device gets in, a retired one is cut off", async () => {
    const { token } = await login(httpUrl, "admin");
    const resident = await enrolResident(httpUrl, token);
    const { device: enrolled, secret } = await enrolDevice(httpUrl, token, resident.id, {
      id: "TEST-MOSQ-1",
    });
    const d = device(enrolled.id, secret);
    await d.connect();
    const result = await d.press("sos");
    expect(result.ack).toMatchObject({ eventId: result.eventId, status: "received" });

    const live = await raw({ username: enrolled.id, password: secret, clientId: enrolled.id });
    const cut = closed(live);
    const retired = await api(httpUrl, token, "POST", `/api/devices/${enrolled.id}/retire`);
    expect(retired.status).toBe(200);
    await cut;
    await expect(
      raw({ username: enrolled.id, password: secret, clientId: enrolled.id }),
    ).rejects.toMatchObject({ code: 5 });
  });

  it("refuses an unprovisioned device, a wrong secret and a client id other than the device id", async () => {
    await accounts.provision("BJ-00002", "secret-of-00002");
    const as = (username: string, password: string, clientId = username) =>
      raw({ username, password, clientId });
    await expect(as("BJ-00003", "secret-of-00003")).rejects.toMatchObject({ code: 5 });
    await expect(as("BJ-00002", "guess")).rejects.toMatchObject({ code: 5 });
    await expect(as("BJ-00002", "secret-of-00002", "BJ-00001")).rejects.toMatchObject({ code: 5 });
    expect((await as("BJ-00002", "secret-of-00002")).connected).toBe(true);
  });

  it("keeps a device to its own topics", async () => {
    await accounts.provision("BJ-00004", "secret-of-00004");
    const probe = await raw({ ...SERVICE, clientId: "acl-probe" });
    const seen: string[] = [];
    probe.on("message", (topic) => seen.push(topic));
    await probe.subscribeAsync(topics.allEvents, { qos: 1 });
    const d = await raw({ username: "BJ-00004", password: "secret-of-00004", clientId: "BJ-00004" });

    await d.publishAsync(topics.events("BJ-00005"), eventPayload("forged"), { qos: 1 });
    await d.publishAsync(topics.ack("BJ-00004"), "{}", { qos: 1 });
    await d.publishAsync(topics.events("BJ-00004"), eventPayload("own"), { qos: 1 });
    for (const filter of [topics.ack("BJ-00005"), topics.allEvents, "#"]) {
      await expect(d.subscribeAsync(filter, { qos: 1 })).rejects.toMatchObject({
        packet: { granted: [0x80] },
      });
    }
    await expect(d.subscribeAsync(topics.ack("BJ-00004"), { qos: 1 })).resolves.toMatchObject([{ qos: 1 }]);
    // Same publisher, in order: once its own event is through, the forged one would have been too.
    await until(() => seen.includes(topics.events("BJ-00004")));
    expect(seen).toEqual([topics.events("BJ-00004")]);
  });

  it("a new secret ends the live session at once; a revoked device is cut off and refused", async () => {
    await accounts.provision("BJ-00006", "first-secret");
    const first = await raw({ username: "BJ-00006", password: "first-secret", clientId: "BJ-00006" });
    const rotated = closed(first);
    await accounts.provision("BJ-00006", "second-secret");
    await rotated;
    await expect(
      raw({ username: "BJ-00006", password: "first-secret", clientId: "BJ-00006" }),
    ).rejects.toMatchObject({ code: 5 });
    const second = await raw({ username: "BJ-00006", password: "second-secret", clientId: "BJ-00006" });

    const revoked = closed(second);
    await accounts.revoke("BJ-00006");
    await revoked;
    await expect(
      raw({ username: "BJ-00006", password: "second-secret", clientId: "BJ-00006" }),
    ).rejects.toMatchObject({ code: 5 });
    await accounts.revoke("BJ-00006"); // idempotent
  });
});
