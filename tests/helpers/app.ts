// Starts the real platform (embedded broker, SQLite file, HTTP + Socket.IO) on port 0.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pino from "pino";
import { io, type Socket } from "socket.io-client";
import { startApp, type App, type AppOptions } from "../../dispatcher/app.ts";
import { loadConfig } from "../../dispatcher/config.ts";
import type { ClientToServerEvents, LoginResponse, ServerToClientEvents } from "../../protocol/index.ts";

export const TEST_PASSWORD = "pw-test-1";
export const TEST_DEVICE_SECRET = "device-secret-test";

export interface TestApp extends App {
  dir: string;
  dbFile: string;
  close(): Promise<void>;
}

export async function startTestApp(
  opts: {
    env?: Record<string, string>;
    policy?: AppOptions["policy"];
    seed?: AppOptions["seed"];
    dir?: string;
    /** Serve a console built into this folder. */
    consoleDir?: string;
  } = {},
): Promise<TestApp> {
  const dir = opts.dir ?? mkdtempSync(join(tmpdir(), "eldercare-test-"));
  const dbFile = join(dir, "test.db");
  const config = loadConfig({
    PORT: "0",
    MQTT_PORT: "0",
    MQTT_WS_PORT: "0",
    HOST: "127.0.0.1",
    DATABASE_URL: `file:${dbFile}`,
    LOG_LEVEL: "silent",
    DEMO_PASSWORD: TEST_PASSWORD,
    DEMO_DEVICE_SECRET: TEST_DEVICE_SECRET,
    ...opts.env,
  });
  const app = await startApp({
    config,
    logger: pino({ level: process.env.TEST_LOG_LEVEL ?? "silent" }),
    seed: opts.seed ?? { residents: 1200, caregivers: 30, volunteers: 60 },
    ...(opts.policy ? { policy: opts.policy } : {}),
    ...(opts.consoleDir ? { consoleDir: opts.consoleDir } : {}),
  });
  return {
    ...app,
    dir,
    dbFile,
    async close() {
      await app.stop();
      if (!opts.dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function login(
  baseUrl: string,
  username: string,
  password = TEST_PASSWORD,
): Promise<LoginResponse> {
  const res = await fetch(`${baseUrl}/api/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username, password }),
  });
  if (!res.ok) throw new Error(`login ${username} failed: ${res.status} ${await res.text()}`);
  return (await res.json()) as LoginResponse;
}

export async function api<T = unknown>(
  baseUrl: string,
  token: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: T }> {
  const res = await fetch(`${baseUrl}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : null) as T };
}

export type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export async function connectSocket(baseUrl: string, token: string): Promise<ClientSocket> {
  const socket: ClientSocket = io(baseUrl, {
    auth: { token },
    transports: ["websocket"],
    reconnection: false,
  });
  await new Promise<void>((resolve, reject) => {
    socket.once("connect", () => resolve());
    socket.once("connect_error", reject);
  });
  return socket;
}

/** Resolves with the first event matching `pred`, or rejects after `ms`. */
export function nextEvent<E extends keyof ServerToClientEvents>(
  socket: ClientSocket,
  event: E,
  pred: (arg: Parameters<ServerToClientEvents[E]>[0]) => boolean = () => true,
  ms = 5000,
): Promise<Parameters<ServerToClientEvents[E]>[0]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.off(event, handler as never);
      reject(new Error(`no ${String(event)} within ${ms} ms`));
    }, ms);
    const handler = (arg: Parameters<ServerToClientEvents[E]>[0]) => {
      if (!pred(arg)) return;
      clearTimeout(timer);
      socket.off(event, handler as never);
      resolve(arg);
    };
    socket.on(event, handler as never);
  });
}

/** Puts every responder off duty, so a test controls exactly who can be offered. */
export function allOffDuty(app: App): void {
  app.db.raw.prepare(`UPDATE "Responder" SET onDuty = 0`).run();
  for (const r of app.registry.snapshot()) app.registry.setDuty(r.id, false);
}

/** Cancels every case still in progress, so the next test starts with free responders. */
export function cancelActiveCases(app: App): void {
  const ids = app.db.raw
    .prepare(`SELECT id FROM "Case" WHERE status IN ('new','offered','accepted','en_route','on_scene')`)
    .all() as { id: number }[];
  for (const { id } of ids) {
    app.cases.execute(id, {
      type: "cancel",
      actor: { type: "staff", id: null, name: "test" },
      reason: "test cleanup",
    });
  }
}
