// Composition root: builds the database, broker, MQTT link, HTTP + Socket.IO server and the
// case engine, wires them, and owns the start and stop order. Every server can start on port 0.
import { createServer, type Server as HttpServer } from "node:http";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import express from "express";
import pino, { type Logger } from "pino";
import type { Health } from "../protocol/index.ts";
import { createBroker, type RunningBroker } from "../broker/broker.ts";
import { openDatabase, type Db } from "./db/database.ts";
import { seedDemoCity, type SeedResult } from "../prisma/seed.ts";
import type { Config } from "./config.ts";
import { SessionService } from "./auth/service.ts";
import { LoginRequestSchema } from "../protocol/index.ts";
import { ResponderRegistry } from "./responders/registry.ts";
import { CaseService } from "./cases/service.ts";
import { CaseQueries } from "./cases/queries.ts";
import { DEFAULT_POLICY, type Policy } from "./cases/state.ts";
import { systemClock, type Clock } from "./clock.ts";
import type { Notifier } from "./notifier.ts";
import { DeviceEventIngest } from "./devices/intake.ts";
import { DeviceStatusIngest } from "./devices/heartbeats.ts";
import { connectMqttLink, type MqttLink } from "./edge/mqtt-link.ts";
import { createRealtime, type RealtimeServer } from "./edge/realtime.ts";
import { bearer, errorHandler, guard, parse, respond, sendError, STAFF } from "./edge/http.ts";
import { caseRoutes } from "./cases/routes.ts";
import { responderRoutes } from "./responders/routes.ts";
import { reportRoutes } from "./kpi/routes.ts";

const CONSOLE_DIST = join(dirname(fileURLToPath(import.meta.url)), "..", "console", "dist");

export interface AppOptions {
  config: Config;
  logger?: Logger;
  clock?: Clock;
  policy?: Partial<Policy>;
  /** Seed options for an empty DB; defaults from config (DEMO_*). */
  seed?: { residents?: number; caregivers?: number; volunteers?: number } | false;
  consoleDir?: string;
  /** Ingest tuning (benchmarks compare group commit with one transaction per event). */
  ingest?: { groupCommitMs?: number; maxBatch?: number };
}

export interface App {
  httpUrl: string;
  httpPort: number;
  mqttUrl: string;
  mqttPort: number | null;
  mqttWsPort: number | null;
  seed: SeedResult | null;
  db: Db;
  cases: CaseService;
  ingest: DeviceEventIngest;
  statuses: DeviceStatusIngest;
  registry: ResponderRegistry;
  broker: RunningBroker | null;
  health(): Health;
  stop(): Promise<void>;
}

export async function startApp(opts: AppOptions): Promise<App> {
  const { config } = opts;
  const logger = opts.logger ?? pino({ level: config.LOG_LEVEL });
  const clock: Clock = opts.clock ?? systemClock;
  const policy: Policy = {
    ...DEFAULT_POLICY,
    offerTimeoutMs: config.OFFER_TIMEOUT_SECONDS * 1000,
    escalationMs: config.ESCALATION_SECONDS * 1000,
    parallelOffers: config.EMERGENCY_PARALLEL_OFFERS,
    ...opts.policy,
  };
  const started = Date.now();
  const cleanup: (() => Promise<void> | void)[] = [];
  const undo = async () => {
    for (const fn of cleanup.reverse()) await Promise.resolve(fn()).catch(() => undefined);
  };

  try {
    // 1. Database: migrate, then seed an empty one.
    const db = await openDatabase(config.DATABASE_URL);
    cleanup.push(() => db.close());
    let seed: SeedResult | null = null;
    if (opts.seed !== false && config.SEED_DEMO === "true") {
      seed = await seedDemoCity(db.raw, {
        password: config.DEMO_PASSWORD,
        deviceSecret: config.DEMO_DEVICE_SECRET,
        ...(opts.seed ?? {}),
      });
    }

    // 2. HTTP port first: if it is taken we fail before touching the broker ports.
    // Express is the request handler from the start; Socket.IO attaches after and claims /socket.io/.
    const app = express();
    app.disable("x-powered-by");
    app.use(express.json({ limit: "64kb" }));
    const http = createServer(app);
    const httpPort = await listen(http, config.PORT, config.HOST, "PORT");
    cleanup.push(() => new Promise<void>((r) => http.close(() => r())));

    // 3. Broker (embedded unless BROKER_URL).
    const serviceUser = config.BROKER_SERVICE_USER;
    const servicePassword = config.BROKER_SERVICE_PASSWORD ?? randomBytes(18).toString("base64url");
    let broker: RunningBroker | null = null;
    let mqttUrl = config.BROKER_URL ?? "";
    if (!config.BROKER_URL) {
      const lookup = db.raw.prepare(`SELECT secretHash FROM "Device" WHERE id = ?`);
      broker = await createBroker({
        port: config.MQTT_PORT,
        wsPort: config.MQTT_WS_PORT,
        host: config.HOST,
        lookupDevice: (id) => Promise.resolve((lookup.get(id) as { secretHash: string } | undefined) ?? null),
        serviceUsers: [{ username: serviceUser, password: servicePassword }],
        logger: logger.child({ component: "broker" }),
      }).catch((err: NodeJS.ErrnoException) => {
        throw err.code === "EADDRINUSE" ? new Error(`${portInUse(err, config)}`) : err;
      });
      cleanup.push(() => broker?.stop());
      mqttUrl = `mqtt://${config.HOST === "0.0.0.0" ? "127.0.0.1" : config.HOST}:${broker.port}`;
    }

    // 4. Engine, realtime, ingest.
    const sessions = new SessionService(db.prisma, config.SESSION_HOURS, () => clock.now());
    const registry = new ResponderRegistry(db.raw);
    const { io, notifier: people } = createRealtime(http, { sessions, registry, clock, logger });
    cleanup.push(() => closeIo(io));
    let link: MqttLink | null = null;
    const notifier: Notifier = {
      ...people,
      ackDevice: (deviceId, ack) => link?.ackDevice(deviceId, ack),
    };
    const cases = new CaseService({ db: db.raw, clock, policy, notifier, responders: registry, logger });
    cleanup.push(() => cases.stop());
    const ingest = new DeviceEventIngest({
      db: db.raw,
      cases,
      clock,
      logger,
      ackDevice: (id, ack) => notifier.ackDevice(id, ack),
      groupCommitMs: config.GROUP_COMMIT_MS,
      maxBatch: config.GROUP_COMMIT_MS === 0 ? 1 : 500,
      ...opts.ingest,
    });
    const statuses = new DeviceStatusIngest({
      db: db.raw,
      clock,
      logger,
      deviceChanged: (d) => notifier.deviceChanged(d),
      technicalIssue: (deviceId, type) => cases.openTechnical(deviceId, type),
    });
    cleanup.push(() => statuses.stop());
    const housekeeping = setInterval(() => {
      registry.flushLocations();
      statuses.sweep();
    }, 5000);
    housekeeping.unref();
    cleanup.push(() => {
      clearInterval(housekeeping);
      registry.flushLocations();
    });

    link = await connectMqttLink({
      url: mqttUrl,
      username: serviceUser,
      password: servicePassword,
      logger: logger.child({ component: "mqtt" }),
      events: ingest,
      statuses,
    });
    cleanup.push(async () => {
      ingest.flush();
      await link?.close();
    });

    // 5. HTTP routes.
    const queries = new CaseQueries(db.prisma, cases, registry, clock);
    const health = (): Health => {
      const mqttUp = link?.connected() ?? false;
      return {
        status: mqttUp && db.raw.open ? "ok" : "degraded",
        broker: broker ? "up" : "external",
        mqtt: mqttUp ? "connected" : "disconnected",
        db: db.raw.open ? "up" : "down",
        uptimeSeconds: Math.round((Date.now() - started) / 1000),
      };
    };
    app.get("/healthz", (_req, res) => {
      const h = health();
      res.status(h.status === "ok" ? 200 : 503).json(h);
    });
    app.post(
      "/api/auth/login",
      respond((req) => {
        const body = parse(LoginRequestSchema, req.body);
        return sessions.login(body.username, body.password);
      }),
    );
    app.post(
      "/api/auth/logout",
      guard(sessions, [...STAFF, "responder"], (req) => sessions.logout(bearer(req)!)),
    );
    app.get(
      "/api/auth/me",
      guard(sessions, [...STAFF, "responder"], (req) => req.user),
    );
    app.use("/api", caseRoutes(sessions, cases, queries));
    app.use("/api", responderRoutes(sessions, registry, cases, notifier, clock));
    app.use("/api", reportRoutes(sessions, db.raw, clock));
    app.use("/api", (_req, res) => sendError(res, "not_found", "no such endpoint"));
    const consoleDir = opts.consoleDir ?? CONSOLE_DIST;
    if (existsSync(join(consoleDir, "index.html"))) {
      app.use(express.static(consoleDir, { index: false, maxAge: "1h" }));
      app.get(/^\/(?!api\/|socket\.io\/).*/, (_req, res) => res.sendFile(join(consoleDir, "index.html")));
    }
    app.use(errorHandler(logger));

    const resumed = cases.resume();
    logger.info({ openCases: resumed.open }, "case engine resumed");

    const host = config.HOST === "0.0.0.0" ? "localhost" : config.HOST;
    let stopping: Promise<void> | null = null;
    return {
      httpUrl: `http://${host}:${httpPort}`,
      httpPort,
      mqttUrl,
      mqttPort: broker?.port ?? null,
      mqttWsPort: broker?.wsPort ?? null,
      seed,
      db,
      cases,
      ingest,
      statuses,
      registry,
      broker,
      health,
      stop: () => (stopping ??= undo()),
    };
  } catch (err) {
    await undo();
    throw err;
  }
}

function portInUse(err: NodeJS.ErrnoException, config: Config): string {
  const port = Number((err as { port?: number }).port ?? /:(\d+)$/.exec(err.message)?.[1]);
  const name = port === config.MQTT_WS_PORT ? "MQTT_WS_PORT" : "MQTT_PORT";
  return `port ${port} is already in use; stop the other process or set ${name} to a free port`;
}

function listen(server: HttpServer, port: number, host: string, name: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) =>
      reject(
        err.code === "EADDRINUSE"
          ? new Error(`port ${port} is already in use; stop the other process or set ${name} to a free port`)
          : err,
      );
    server.once("error", onError);
    server.listen(port, host, () => {
      server.off("error", onError);
      const addr = server.address();
      resolve(typeof addr === "object" && addr ? addr.port : port);
    });
  });
}

function closeIo(io: RealtimeServer): Promise<void> {
  io.disconnectSockets(true);
  return new Promise((resolve) => void io.close(() => resolve()));
}
