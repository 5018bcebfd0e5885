// Transports and lifecycle of the real broker: MQTT over WebSocket, wire metrics, stop() with
// clients still attached, and the stand-alone process (broker/main.ts) on a real SQLite file.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { connect as tcpConnect, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { afterEach, describe, expect, it } from "vitest";
import { openDatabase } from "../../dispatcher/db/open.ts";
import mqtt, { type MqttClient } from "mqtt";
import pino from "pino";
import { createBroker, type BrokerOptions, type RunningBroker } from "../../broker/broker.ts";
import { hashDeviceSecret } from "../../broker/device-secret.ts";
import { topics } from "../../protocol/mqtt.ts";
import { SERVICE, asDevice, eventPayload, secretOf, testBrokers } from "../helpers/broker.ts";
import { until } from "../helpers/wait.ts";

const { start: startBroker, connect, track, cleanup } = testBrokers();
let sockets: Socket[] = [];

afterEach(async () => {
  for (const s of sockets) s.destroy();
  sockets = [];
  await cleanup();
});

/** A broker on TCP and WebSocket that knows dev-a and dev-b. */
async function start(extra: Partial<BrokerOptions> = {}): Promise<RunningBroker> {
  return (await startBroker(["dev-a", "dev-b"], { wsPort: 0, ...extra })).broker;
}

function nextMessage(client: MqttClient, topic: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no message on ${topic}`)), 3000);
    client.on("message", (t, payload) => {
      if (t !== topic) return;
      clearTimeout(timer);
      resolve(payload.toString());
    });
  });
}

describe("MQTT over WebSocket", () => {
  it("a device on WebSocket reaches the service on TCP and gets its ack back", async () => {
    const b = await start();
    expect(b.wsPort).toBeGreaterThan(0);
    const svc = await connect(`mqtt://127.0.0.1:${b.port}`, SERVICE);
    await svc.subscribeAsync(topics.allEvents, { qos: 1 });
    const device = await connect(`ws://127.0.0.1:${b.wsPort}/mqtt`, asDevice("dev-a"));
    await device.subscribeAsync(topics.ack("dev-a"), { qos: 1 });

    const received = nextMessage(svc, topics.events("dev-a"));
    await device.publishAsync(topics.events("dev-a"), eventPayload("ws-1"), { qos: 1 });
    expect(JSON.parse(await received)).toMatchObject({ eventId: "ws-1" });

    const acked = nextMessage(device, topics.ack("dev-a"));
    await svc.publishAsync(topics.ack("dev-a"), '{"status":"received"}', { qos: 1 });
    expect(await acked).toContain("received");
  });

  it("applies the same authentication on WebSocket", async () => {
    const b = await start();
    await expect(
      connect(`ws://127.0.0.1:${b.wsPort}/mqtt`, { ...asDevice("dev-a"), password: "wrong" }),
    ).rejects.toMatchObject({ code: 4 });
    expect(b.metrics().authFailures).toBe(1);
  });

  it("is off when wsPort is null", async () => {
    const b = await start({ wsPort: null });
    expect(b.wsPort).toBeNull();
  });
});

describe("metrics", () => {
  it("counts packets on the wire in both directions", async () => {
    const b = await start({ wsPort: null });
    const url = `mqtt://127.0.0.1:${b.port}`;
    const svc = await connect(url, SERVICE);
    await svc.subscribeAsync(topics.allEvents, { qos: 1 });
    const device = await connect(url, asDevice("dev-a"));
    const received = nextMessage(svc, topics.events("dev-a"));
    await device.publishAsync(topics.events("dev-a"), eventPayload("m-1"), { qos: 1 });
    await received;
    await until(() => b.metrics().packetsIn === 5); // the service's PUBACK for the delivery
    // in: CONNECT ×2, SUBSCRIBE, PUBLISH, PUBACK · out: CONNACK ×2, SUBACK, PUBACK, PUBLISH
    expect(b.metrics()).toMatchObject({
      connectedClients: 2,
      connects: 2,
      packetsIn: 5,
      packetsOut: 5,
      publishesIn: 1,
    });
  });
});

describe("robustness", () => {
  it("garbage, a malformed length and an oversized WebSocket frame close only their own connection", async () => {
    const b = await start();
    const garbage = [
      Buffer.from("GET / HTTP/1.1\r\nHost: x\r\n\r\n"),
      Buffer.from([0x10, 0xff, 0xff, 0xff, 0xff, 0x7f]), // Remaining Length over 4 bytes (§2.2.3)
    ];
    for (const bytes of garbage) {
      const socket = tcpConnect(b.port, "127.0.0.1");
      sockets.push(socket);
      socket.on("error", () => undefined);
      await new Promise((r) => socket.once("connect", r));
      socket.write(bytes);
      await new Promise((r) => socket.once("close", r));
    }
    const wsDevice = await connect(`ws://127.0.0.1:${b.wsPort}/mqtt`, asDevice("dev-b"));
    const wsClosed = new Promise<void>((r) => wsDevice.once("close", () => r()));
    wsDevice.publish(topics.events("dev-b"), Buffer.alloc(2 * 1024 * 1024, 1), { qos: 0 });
    await wsClosed;

    const svc = await connect(`mqtt://127.0.0.1:${b.port}`, SERVICE);
    await svc.subscribeAsync(topics.allEvents, { qos: 1 });
    const received = nextMessage(svc, topics.events("dev-a"));
    const device = await connect(`ws://127.0.0.1:${b.wsPort}/mqtt`, asDevice("dev-a"));
    await device.publishAsync(topics.events("dev-a"), eventPayload("still-up"), { qos: 1 });
    expect(await received).toContain("still-up");
  });
});

describe("start-up", () => {
  it("rejects when a port is taken, without leaving the other listener open", async () => {
    const first = await start();
    const opts = { lookupDevice: () => Promise.resolve(null), serviceUsers: [SERVICE], host: "127.0.0.1" };
    const silentLogger = pino({ level: "silent" });
    await expect(
      createBroker({ ...opts, port: first.port, wsPort: null, logger: silentLogger }),
    ).rejects.toMatchObject({
      code: "EADDRINUSE",
    });

    // WebSocket port taken: the TCP listener opened first must be closed again.
    const probe = await createBroker({ ...opts, port: 0, wsPort: null, logger: silentLogger });
    const freePort = probe.port;
    await probe.stop();
    await expect(
      createBroker({ ...opts, port: freePort, wsPort: first.wsPort, logger: silentLogger }),
    ).rejects.toMatchObject({ code: "EADDRINUSE" });
    const again = await createBroker({ ...opts, port: freePort, wsPort: null, logger: silentLogger });
    expect(again.port).toBe(freePort);
    await again.stop();
  });
});

describe("stop()", () => {
  it("resolves with clients connected on TCP and WebSocket, half-open and mid-authentication", async () => {
    let release: (() => void) | null = null;
    let asked: () => void = () => undefined;
    const lookupStarted = new Promise<void>((resolve) => (asked = resolve));
    const b = await start({
      // A lookup that hangs, as a locked database would.
      lookupDevice: (id) => {
        if (id !== "dev-slow") return Promise.resolve(null);
        asked();
        return new Promise((resolve) => (release = () => resolve(null)));
      },
    });
    const svc = await connect(`mqtt://127.0.0.1:${b.port}`, SERVICE);
    const wsSvc = await connect(`ws://127.0.0.1:${b.wsPort}/mqtt`, { ...SERVICE, clientId: "ws-service" });
    const silent = tcpConnect(b.port, "127.0.0.1"); // never sends CONNECT
    sockets.push(silent);
    await new Promise((r) => silent.once("connect", r));
    const slow = mqtt.connect(`mqtt://127.0.0.1:${b.port}`, { ...asDevice("dev-slow"), reconnectPeriod: 0 });
    track(slow);
    slow.on("error", () => undefined);
    await lookupStarted; // the broker is mid-authentication

    const closed = Promise.all([svc, wsSvc].map((c) => new Promise<void>((r) => c.once("close", () => r()))));
    await b.stop(); // a hang here fails the test at its timeout
    await closed;
    await new Promise<void>((resolve) =>
      silent.destroyed ? resolve() : silent.once("close", () => resolve()),
    );
    await b.stop(); // idempotent
    (release as (() => void) | null)?.();
    await expect(connect(`mqtt://127.0.0.1:${b.port}`, SERVICE)).rejects.toThrow();
  });
});

describe("stand-alone broker process", () => {
  let child: ChildProcess | null = null;
  let dir: string | null = null;
  afterEach(() => {
    child?.kill("SIGKILL");
    child = null;
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = null;
  });

  function run(env: Record<string, string>): ChildProcess {
    const { BROKER_SERVICE_PASSWORD: _, DATABASE_URL: __, ...rest } = process.env;
    child = spawn(process.execPath, ["--import", "tsx", "broker/main.ts"], {
      env: { ...rest, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    return child;
  }

  it("authenticates devices from the Device table of the SQLite file and stops on SIGTERM", async () => {
    dir = mkdtempSync(join(tmpdir(), "eldercare-broker-"));
    const file = join(dir, "devices.db");
    // Only what the broker reads of the dispatcher's schema.
    const db = await openDatabase(`file:${file}`, { migrate: false });
    await db.write(async (tx) => {
      await tx.run(
        `CREATE TABLE "Device" (id TEXT PRIMARY KEY, "secretHash" TEXT NOT NULL, "retiredAt" INTEGER)`,
      );
      await tx.run(`INSERT INTO "Device" (id, "secretHash") VALUES (?, ?)`, [
        "dev-a",
        hashDeviceSecret(secretOf("dev-a")),
      ]);
    });
    await db.close();

    const proc = run({
      MQTT_PORT: "0",
      MQTT_WS_PORT: "off",
      HOST: "127.0.0.1",
      DATABASE_URL: `file:${file}`,
      BROKER_SERVICE_PASSWORD: SERVICE.password,
      LOG_LEVEL: "info",
    });
    const port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("broker did not start")), 20_000);
      createInterface({ input: proc.stdout! }).on("line", (line) => {
        const log = JSON.parse(line) as { msg?: string; port?: number };
        if (log.msg === "mqtt broker listening" && log.port) {
          clearTimeout(timer);
          resolve(log.port);
        }
      });
    });

    const url = `mqtt://127.0.0.1:${port}`;
    await connect(url, asDevice("dev-a"));
    await expect(connect(url, asDevice("dev-b"))).rejects.toMatchObject({ code: 4 });
    const svc = await connect(url, SERVICE);
    expect(svc.connected).toBe(true);

    const exited = new Promise<number | null>((resolve) => proc.once("exit", (code) => resolve(code)));
    proc.kill("SIGTERM");
    expect(await exited).toBe(0);
  });

  it("fails fast on bad environment, naming the variable", async () => {
    const proc = run({ MQTT_PORT: "not-a-port", BROKER_SERVICE_PASSWORD: SERVICE.password });
    let stderr = "";
    proc.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => proc.once("exit", (c) => resolve(c)));
    expect(code).toBe(1);
    expect(stderr).toMatch(/MQTT_PORT/);

    const missing = run({});
    let err2 = "";
    missing.stderr!.on("data", (chunk: Buffer) => (err2 += chunk.toString()));
    expect(await new Promise((resolve) => missing.once("exit", resolve))).toBe(1);
    expect(err2).toMatch(/BROKER_SERVICE_PASSWORD/);
  });
});
