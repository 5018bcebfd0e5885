// Starts the real platform (embedded broker, SQLite file, HTTP + Socket.IO) on port 0; on a
// PostgreSQL database instead with TEST_DATABASE=postgres (tests/helpers/database.ts).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pino from "pino";
import { io, type Socket } from "socket.io-client";
import { startApp, type App, type AppOptions } from "../../dispatcher/app.ts";
import { loadConfig } from "../../dispatcher/config.ts";
import {
  ACTIVE_CASE_STATUSES,
  sqlList,
  type ClientToServerEvents,
  type LoginResponse,
  type ServerToClientEvents,
} from "../../protocol/index.ts";
import type { SqlParams } from "../../dispatcher/db/sql.ts";
import { testDatabaseUrl } from "./database.ts";

export const TEST_PASSWORD = "pw-test-1";
export const TEST_DEVICE_SECRET = "device-secret-test";

export interface TestApp extends App {
  dir: string;
  /** The SQLite file (when the tests run on SQLite). */
  dbFile: string;
  databaseUrl: string;
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
    clock?: AppOptions["clock"];
  } = {},
): Promise<TestApp> {
  const dir = opts.dir ?? mkdtempSync(join(tmpdir(), "eldercare-test-"));
  const dbFile = join(dir, "test.db");
  const config = loadConfig({
    PORT: "0",
    MQTT_PORT: "0",
    MQTT_WS_PORT: "0",
    HOST: "127.0.0.1",
    DATABASE_URL: await testDatabaseUrl(dir),
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
    ...(opts.clock ? { clock: opts.clock } : {}),
  });
  return {
    ...app,
    dir,
    dbFile,
    databaseUrl: config.DATABASE_URL,
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

/** `listen` registers handlers before the handshake, for events sent right at connection. */
export async function connectSocket(
  baseUrl: string,
  token: string,
  listen: (socket: ClientSocket) => void = () => undefined,
): Promise<ClientSocket> {
  const socket: ClientSocket = io(baseUrl, {
    auth: { token },
    transports: ["websocket"],
    reconnection: false,
  });
  listen(socket);
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
export async function allOffDuty(app: App): Promise<void> {
  await app.registry.flushLocations();
  await app.db.write((tx) => tx.run(`UPDATE "Responder" SET "onDuty" = 0`));
  await app.registry.load();
}

/** Cancels every case still in progress, so the next test starts with free responders. */
export async function cancelActiveCases(app: App): Promise<void> {
  const active = await app.db.all<{ id: number }>(
    `SELECT id FROM "Case" WHERE status IN (${sqlList(ACTIVE_CASE_STATUSES)})`,
  );
  for (const { id } of active) {
    await app.cases.execute(id, {
      type: "cancel",
      actor: { type: "staff", id: null, name: "test" },
      reason: "test cleanup",
    });
  }
}

/** `SELECT COUNT(*) AS n …` → n. */
export async function count(app: App, sql: string, params: SqlParams = []): Promise<number> {
  return Number((await app.db.get<{ n: number }>(sql, params))?.n ?? 0);
}
