// TLS on the platform's own listeners (TLS_CERT_FILE + TLS_KEY_FILE): a device presses over
// mqtts:// and over wss://, staff log in and watch the case over HTTPS and Socket.IO, all checking
// the server's certificate against the CA they were given; a client that does not trust it, or
// that speaks plain text to a TLS port, gets nothing. The certificate is made for this run.
import { request } from "node:https";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import mqtt from "mqtt";
import { generate } from "selfsigned";
import { io } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ClientToServerEvents, ServerToClientEvents } from "../../protocol/socket.ts";
import type { Socket } from "socket.io-client";
import { loadConfig } from "../../dispatcher/config.ts";
import { startTestApp, TEST_DEVICE_SECRET, TEST_PASSWORD, type TestApp } from "../helpers/app.ts";
import { connectDevice, until } from "../helpers/scenario.ts";

let dir: string;
let app: TestApp;
let ca: string;

/** A certificate for localhost and 127.0.0.1, self-signed: it is its own CA. */
async function certificate(commonName: string) {
  const pems = await generate([{ name: "commonName", value: commonName }], {
    keyType: "ec",
    algorithm: "sha256",
    extensions: [
      { name: "basicConstraints", cA: true },
      { name: "keyUsage", digitalSignature: true, keyCertSign: true, critical: true },
      { name: "extKeyUsage", serverAuth: true },
      {
        name: "subjectAltName",
        altNames: [
          { type: 2, value: "localhost" },
          { type: 7, ip: "127.0.0.1" },
        ],
      },
    ],
  });
  return { cert: pems.cert, key: pems.private };
}

/** One HTTPS request that trusts `trust` only. */
function httpsJson(
  url: string,
  trust: string | undefined,
  init: { method?: string; body?: unknown } = {},
): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const body = init.body === undefined ? undefined : JSON.stringify(init.body);
    const req = request(
      url,
      {
        method: init.method ?? "GET",
        ...(trust ? { ca: trust } : {}),
        headers: body ? { "content-type": "application/json" } : {},
      },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => (text += chunk));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : null }));
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "eldercare-tls-"));
  const { cert, key } = await certificate("localhost");
  ca = cert;
  writeFileSync(join(dir, "cert.pem"), cert);
  writeFileSync(join(dir, "key.pem"), key, { mode: 0o600 });
  app = await startTestApp({
    env: { TLS_CERT_FILE: join(dir, "cert.pem"), TLS_KEY_FILE: join(dir, "key.pem"), MQTTS_PORT: "0" },
    seed: { residents: 40, caregivers: 4, volunteers: 4 },
  });
});

afterAll(async () => {
  await app?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("with a certificate", () => {
  it("serves the API over HTTPS on PORT", async () => {
    expect(app.httpUrl).toMatch(/^https:\/\//);
    const health = await httpsJson(`${app.httpUrl}/healthz`, ca);
    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({ status: "ok", broker: "up", mqtt: "connected" });
  });

  it("answers a press over mqtts:// and over wss://, and the console sees it over Socket.IO on HTTPS", async () => {
    const login = await httpsJson(`${app.httpUrl}/api/auth/login`, ca, {
      method: "POST",
      body: { username: "admin", password: TEST_PASSWORD },
    });
    expect(login.status).toBe(200);
    const { token } = login.body as { token: string };
    const staff: Socket<ServerToClientEvents, ClientToServerEvents> = io(app.httpUrl, {
      auth: { token },
      transports: ["websocket"],
      reconnection: false,
      ca,
    });
    await new Promise<void>((resolve, reject) => {
      staff.once("connect", resolve);
      staff.once("connect_error", reject);
    });
    const created: string[] = [];
    staff.on("case:created", (c) => c.deviceId && created.push(c.deviceId));

    const overTls = await connectDevice(
      { mqttUrl: `mqtts://127.0.0.1:${app.mqttTlsPort}` },
      "BJ-00001",
      TEST_DEVICE_SECRET,
      { ca },
    );
    await overTls.press("tls-press-1");
    const ack = await overTls.ack((a) => a.eventId === "tls-press-1");
    expect(ack.status).toBe("received");

    const overWss = await connectDevice(
      { mqttUrl: `wss://127.0.0.1:${app.mqttWsPort}/mqtt` },
      "BJ-00002",
      TEST_DEVICE_SECRET,
      { ca },
    );
    await overWss.press("wss-press-1");
    expect((await overWss.ack((a) => a.eventId === "wss-press-1")).status).toBe("received");

    await until(() => created.includes("BJ-00001") && created.includes("BJ-00002"));
    expect(created).toEqual(expect.arrayContaining(["BJ-00001", "BJ-00002"]));
    await overTls.close();
    await overWss.close();
    staff.close();
  });

  it("refuses clients that do not trust the certificate", async () => {
    const other = await certificate("localhost");
    await expect(httpsJson(`${app.httpUrl}/healthz`, other.cert)).rejects.toThrow(/certificate/i);
    await expect(
      mqtt.connectAsync(`mqtts://127.0.0.1:${app.mqttTlsPort}`, {
        clientId: "BJ-00003",
        username: "BJ-00003",
        password: TEST_DEVICE_SECRET,
        reconnectPeriod: 0,
        ca: other.cert,
      }),
    ).rejects.toThrow(/certificate/i);
  });

  it("gives a plain-text MQTT client nothing on the TLS port", async () => {
    const plain = mqtt.connect(`mqtt://127.0.0.1:${app.mqttTlsPort}`, {
      clientId: "BJ-00004",
      username: "BJ-00004",
      password: TEST_DEVICE_SECRET,
      reconnectPeriod: 0,
      connectTimeout: 10_000,
    });
    let connected = false;
    plain.on("connect", () => (connected = true));
    plain.on("error", () => undefined);
    // The server answers a ClientHello-less stream by closing it; no CONNACK ever comes.
    await new Promise<void>((resolve) => plain.once("close", () => resolve()));
    expect(connected).toBe(false);
    await plain.endAsync(true);
  });
});

describe("TLS settings", () => {
  it("need the certificate and the key together", () => {
    expect(() => loadConfig({ TLS_CERT_FILE: "/etc/ssl/cert.pem" })).toThrow(/TLS_KEY_FILE/);
    expect(loadConfig({}).TLS_CERT_FILE).toBeUndefined();
  });

  it("name the file that cannot be read, and the platform does not start", async () => {
    await expect(
      startTestApp({
        env: { TLS_CERT_FILE: join(dir, "missing.pem"), TLS_KEY_FILE: join(dir, "key.pem") },
        seed: false,
        dir: mkdtempSync(join(dir, "app-")),
      }),
    ).rejects.toThrow(/TLS_CERT_FILE: cannot read .*missing\.pem \(ENOENT\)/);
    writeFileSync(join(dir, "not-pem.txt"), "hello");
    await expect(
      startTestApp({
        env: { TLS_CERT_FILE: join(dir, "cert.pem"), TLS_KEY_FILE: join(dir, "not-pem.txt") },
        seed: false,
        dir: mkdtempSync(join(dir, "app-")),
      }),
    ).rejects.toThrow(/TLS_KEY_FILE: .*not a PEM file/);
  });
});
