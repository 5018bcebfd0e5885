// Composition root: opens the database, builds every component and feature, then starts them in
// order — database (migrate, seed) → features → HTTP → broker → MQTT link → case engine — and
// stops them in reverse. Every server can start on port 0. See docs/architecture.md.
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { createServer } from "node:http";
import { createServer as createSecureServer } from "node:https";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import express from "express";
import pino, { type Logger } from "pino";
import type { Health } from "../protocol/index.ts";
import { createBroker, type DeviceCredentialLookup, type RunningBroker } from "../broker/broker.ts";
import type { BrokerCluster } from "../broker/cluster.ts";
import { mosquittoAccountsOnDemand } from "../broker/mosquitto/accounts.ts";
import { tlsOf } from "../broker/tls.ts";
import { seedDemoCity, type SeedResult } from "../prisma/seed.ts";
import { createAlertsFeature } from "./alerts/index.ts";
import { createAuditFeature } from "./audit/index.ts";
import { AuditLog } from "./audit/service.ts";
import { createAuthFeature } from "./auth/index.ts";
import { createCheckInFeature } from "./check-in/index.ts";
import type { CheckInService } from "./check-in/service.ts";
import type { AuthService } from "./auth/service.ts";
import { createCasesFeature } from "./cases/index.ts";
import type { CaseService } from "./cases/service.ts";
import { DEFAULT_POLICY, type Policy } from "./cases/state.ts";
import { systemClock, type Clock } from "./clock.ts";
import { Cluster } from "./cluster/index.ts";
import type { Config } from "./config.ts";
import { openDatabase } from "./db/open.ts";
import type { SqlDatabase } from "./db/sql.ts";
import { createDevicesFeature } from "./devices/index.ts";
import type { DeviceHeartbeats } from "./devices/heartbeats.ts";
import type { DeviceIntake, IntakeOptions } from "./devices/intake.ts";
import { errorHandler, jsonBodiesOnly, listen, noStore, portInUse, sendError } from "./edge/http.ts";
import { securityHeaders } from "./edge/security-headers.ts";
import { createMqttLink } from "./edge/mqtt-link.ts";
import { createRealtime } from "./edge/realtime.ts";
import type { Feature } from "./feature.ts";
import { createFamilyFeature } from "./family/index.ts";
import { withFamily } from "./family/notifier.ts";
import type { FamilyService } from "./family/service.ts";
import { NO_SMS, webhookSmsGateway } from "./family/sms.ts";
import { createIdempotencyFeature } from "./idempotency/index.ts";
import { createImportFeature } from "./import/index.ts";
import { IMPORT_UPLOAD_PATH } from "./import/routes.ts";
import { createKpiFeature } from "./kpi/index.ts";
import { createMapFeature } from "./map/index.ts";
import { DEFAULT_MATCHING_OPTIONS, type MatchingOptions } from "./matching/index.ts";
import { createOpenApiFeature } from "./openapi/index.ts";
import { mountedRoutes } from "./openapi/mounted.ts";
import type { Notifier } from "./notifier.ts";
import { createPlatformFeature } from "./platform/index.ts";
import { PlatformHealth } from "./platform-health.ts";
import { createIntakeFeature } from "./intake/index.ts";
import { createPushFeature } from "./push/index.ts";
import { familyPush, withPush } from "./push/notifier.ts";
import { createReportsFeature } from "./reports/index.ts";
import { createResidentsFeature } from "./residents/index.ts";
import type { ResidentService } from "./residents/service.ts";
import { createRostersFeature } from "./rosters/index.ts";
import type { CoverageAlerts } from "./rosters/coverage-alerts.ts";
import type { RosterService } from "./rosters/service.ts";
import { createServiceLogFeature } from "./service-log/index.ts";
import { createSensorsFeature } from "./sensors/index.ts";
import type { SensorService } from "./sensors/service.ts";
import { createServiceOrdersFeature } from "./service-orders/index.ts";
import type { ServiceOrderService } from "./service-orders/service.ts";
import { createRespondersFeature } from "./responders/index.ts";
import { PresenceTracker } from "./responders/presence-tracker.ts";
import type { ResponderService } from "./responders/service.ts";
import type { PushService } from "./push/service.ts";
import { ResponderRegistry } from "./responders/registry.ts";
import { createUsersFeature } from "./users/index.ts";

/** API routes whose body is not JSON. */
const RAW_BODY_PATHS = [IMPORT_UPLOAD_PATH];

const CONSOLE_DIST = join(dirname(fileURLToPath(import.meta.url)), "..", "console", "dist");
/** How long a new leader keeps trying to connect its MQTT link before it gives the lease up. */
const TAKEOVER_LINK_PATIENCE_MS = 60_000;

export interface AppOptions {
  config: Config;
  logger?: Logger;
  clock?: Clock;
  policy?: Partial<Policy>;
  /** Seed options for an empty DB; defaults from config (DEMO_*). */
  seed?: { residents?: number; caregivers?: number; volunteers?: number } | false;
  consoleDir?: string;
  /** Ingest tuning (benchmarks compare group commit with one transaction per event). */
  ingest?: IntakeOptions;
  /** Matching's options (defaults: DEFAULT_MATCHING_OPTIONS). */
  matching?: Partial<MatchingOptions>;
  /** The slow sweep over cases still waiting for a responder; 0 turns it off. */
  sweepMs?: number;
  /**
   * Cluster mode: this instance led and lost the lease (another one took over). Default: stop
   * the app; `npm start` also exits non-zero, so its supervisor starts it again as a follower.
   */
  onLeaseLost?: (reason: string) => void;
}

export interface App {
  httpUrl: string;
  httpPort: number;
  mqttUrl: string;
  mqttPort: number | null;
  mqttWsPort: number | null;
  /** MQTT over TLS (mqtts://), when TLS_CERT_FILE is set. */
  mqttTlsPort: number | null;
  seed: SeedResult | null;
  db: SqlDatabase;
  cases: CaseService;
  intake: DeviceIntake;
  heartbeats: DeviceHeartbeats;
  registry: ResponderRegistry;
  responders: ResponderService;
  push: PushService;
  broker: RunningBroker | null;
  /** Every HTTP route served (method + path), for the API documentation's coverage test. */
  routes: { method: string; path: string }[];
  platform: PlatformHealth;
  auth: AuthService;
  sensors: SensorService;
  /** Cluster mode only; null on a single instance (which always leads). */
  cluster: Cluster | null;
  /** Care operations (rosters…), for tests that drive their sweeps with an injected clock. */
  care: {
    rosters: RosterService;
    coverage: CoverageAlerts;
    orders: ServiceOrderService;
    checkIns: CheckInService;
  };
  health(): Promise<Health>;
  stop(): Promise<void>;
}

/** Stop functions of what has started, undone in reverse. */
class Lifecycle {
  private readonly stops: (() => Promise<void> | void)[] = [];
  private stopping: Promise<void> | null = null;
  constructor(private readonly logger: Logger) {}

  async step<T>(start: () => Promise<{ value: T; stop: () => Promise<void> | void }>): Promise<T> {
    const { value, stop } = await start();
    this.stops.push(stop);
    return value;
  }

  get stopped(): boolean {
    return this.stopping !== null;
  }

  stop(): Promise<void> {
    this.stopping ??= (async () => {
      // Popped one by one: a step that starts while we stop (a lease taken meanwhile) is undone too.
      for (let stop = this.stops.pop(); stop; stop = this.stops.pop()) {
        await Promise.resolve()
          .then(stop)
          .catch((err: unknown) => this.logger.error({ err }, "stopping failed"));
      }
    })();
    return this.stopping;
  }
}

export async function startApp(opts: AppOptions): Promise<App> {
  const { config } = opts;
  const logger = opts.logger ?? pino({ level: config.LOG_LEVEL });
  const clock = opts.clock ?? systemClock;
  const policy: Policy = {
    ...DEFAULT_POLICY,
    offerTimeoutMs: config.OFFER_TIMEOUT_SECONDS * 1000,
    escalationMs: config.ESCALATION_SECONDS * 1000,
    parallelOffers: config.EMERGENCY_PARALLEL_OFFERS,
    followUpRetryMs: config.FOLLOW_UP_RETRY_MINUTES * 60_000,
    ...opts.policy,
  };
  const started = clock.now();
  const life = new Lifecycle(logger);
  const platform = new PlatformHealth({ clock, logger });

  try {
    // ---- the database first: every feature is built on it, through the health watch ----
    const watched = await life.step(async () => {
      const db = platform.watch(
        await openDatabase(config.DATABASE_URL, {
          onIdleError: (err) => logger.warn({ err }, "database connection lost; the pool opens a new one"),
          onCheckpointError: (err) =>
            logger.warn({ err }, "database checkpoint failed; the next one tries again"),
        }),
      );
      return { value: db, stop: () => db.close() };
    });
    // ---- cluster mode: Redis, and the lease's fence on every write of a leader ----
    const cluster = config.REDIS_URL
      ? await life.step(async () => {
          const c = await Cluster.connect({
            redisUrl: config.REDIS_URL!,
            databaseUrl: config.DATABASE_URL,
            instance: config.INSTANCE_ID,
            leaseCheckMs: config.LEASE_CHECK_MS,
            clock,
            logger: logger.child({ component: "cluster" }),
            onRedis: (up) =>
              platform.set("redis_unavailable", up ? null : "this instance lost its connection to Redis"),
          });
          return { value: c, stop: () => c.closeRedis() };
        })
      : null;
    const db = cluster ? cluster.fence(watched) : watched;

    // ---- build ----
    const serviceUser = config.BROKER_SERVICE_USER;
    const servicePassword = config.BROKER_SERVICE_PASSWORD ?? randomBytes(18).toString("base64url");
    const app = express();
    app.disable("x-powered-by");
    if (config.TRUST_PROXY !== undefined) app.set("trust proxy", config.TRUST_PROXY);
    app.use(securityHeaders());
    app.use(["/api", "/healthz"], noStore);
    // A follower serves no API itself: the leader holds the engine's state (decision 0017).
    if (cluster) app.use(cluster.forwarder(watched));
    app.use(express.json({ limit: "64kb" }));
    app.use("/api", jsonBodiesOnly(RAW_BODY_PATHS));
    // With a certificate the same port speaks HTTPS (and Socket.IO over it); else plain HTTP.
    const tls = tlsOf(config);
    const http = tls ? createSecureServer(tls.options, app) : createServer(app);
    const link = createMqttLink({
      username: serviceUser,
      password: servicePassword,
      logger: logger.child({ component: "mqtt" }),
      onConnection: (up) =>
        platform.set(
          "mqtt_disconnected",
          up ? null : "the dispatcher lost its connection to the MQTT broker",
        ),
    });
    const auth = createAuthFeature({ db, clock, sessionHours: config.SESSION_HOURS, logger });
    const realtime = createRealtime(
      http,
      auth.service,
      platform,
      cluster ? { adapter: cluster.socketAdapter() } : {},
    );
    platform.onChange((status) => realtime.platformHealth(status));
    const push = createPushFeature({
      db,
      clock,
      logger,
      auth: auth.service,
      subject: config.PUSH_VAPID_SUBJECT,
      endpointOrigins: config.PUSH_ENDPOINT_ORIGINS,
    });
    const audit = new AuditLog(clock);
    const sms = config.SMS_WEBHOOK_URL
      ? webhookSmsGateway({
          url: config.SMS_WEBHOOK_URL,
          secret: config.SMS_WEBHOOK_SECRET!,
          clock,
          tasks: platform,
        })
      : NO_SMS;
    // Push goes out next to the socket for everything a phone must not miss. The family feature
    // hears every case change too (it tells the family), and needs the cases feature to show them:
    // the notifier asks for it once a case has changed.
    let familyService: FamilyService | null = null;
    const notifier: Notifier = {
      ...withFamily(withPush(realtime.notifier, push.service, clock), {
        db,
        clock,
        logger,
        sms,
        push: familyPush(push.service, clock),
        family: {
          membersToTell: (residentId) => familyService?.membersToTell(residentId) ?? Promise.resolve([]),
          view: (summary, member) => familyService!.view(summary, member),
        },
      }),
      ackDevice: (id, ack) => link.ackDevice(id, ack),
    };
    const base = { db, clock, logger, notifier, auth: auth.service, tasks: platform, audit };
    const presence = new PresenceTracker(
      db,
      clock,
      {
        presenceMs: config.RESPONDER_PRESENCE_SECONDS * 1000,
        offDutyMs: config.RESPONDER_OFF_DUTY_SECONDS * 1000,
      },
      (id) => push.service.devices(id),
    );
    const registry = new ResponderRegistry(db, presence);
    const alerts = createAlertsFeature(base);
    // Before the cases: a service-request press or call places an order (decision 0015).
    const orders = createServiceOrdersFeature({ ...base, registry, timeZone: config.PLATFORM_TIME_ZONE });
    const cases = createCasesFeature({
      ...base,
      requests: orders.service,
      policy,
      registry,
      alerts: alerts.service,
      matching: { ...DEFAULT_MATCHING_OPTIONS, ...opts.matching },
      ...(opts.sweepMs !== undefined ? { sweepMs: opts.sweepMs } : {}),
    });
    let running: RunningBroker | null = null;
    // An external Mosquitto is told of device changes through its admin account (decision 0010).
    const external =
      config.BROKER_URL && config.MOSQUITTO_ADMIN_PASSWORD
        ? mosquittoAccountsOnDemand({
            url: config.BROKER_URL,
            username: config.MOSQUITTO_ADMIN_USER,
            password: config.MOSQUITTO_ADMIN_PASSWORD,
          })
        : null;
    // The residents feature is built after the devices (it retires their devices); the sensors
    // feature asks it only once requests arrive.
    let residentsService: ResidentService | null = null;
    const sensors = createSensorsFeature({
      ...base,
      cases: cases.service,
      residentReadable: (user, id) => residentsService!.requireReadable(user, String(id)),
    });
    const devices = createDevicesFeature({
      ...base,
      cases: cases.service,
      sensors: sensors.service,
      accounts: () => running?.accounts ?? external,
      intake: {
        groupCommitMs: config.GROUP_COMMIT_MS,
        ...opts.ingest,
      },
    });
    const users = createUsersFeature(base);
    const residents = createResidentsFeature({ ...base, devices: devices.register });
    residentsService = residents.service;
    const family = createFamilyFeature({
      ...base,
      cases: cases.service,
      sms,
      residentReadable: (user, id) => residents.service.requireReadable(user, String(id)),
    });
    familyService = family.service;
    const responders = createRespondersFeature({
      ...base,
      registry,
      presence,
      cases: cases.service,
      residents: residents.service,
      users: users.service,
      dutyDeskPhone: config.DUTY_DESK_PHONE ?? null,
      timeZone: config.PLATFORM_TIME_ZONE,
      ...(cluster ? { countSockets: () => realtime.responderSockets() } : {}),
    });
    const rosters = createRostersFeature({
      ...base,
      timeZone: config.PLATFORM_TIME_ZONE,
      registry,
      readableResponder: (user, id) => responders.register.get(user, id),
    });
    const checkIns = createCheckInFeature({
      ...base,
      timeZone: config.PLATFORM_TIME_ZONE,
      cases: cases.service,
      readableResident: (user, id) => residents.service.get(user, id),
    });
    realtime.onResponderSocket((id, connected) => responders.service.socketChanged(id, connected));
    const idempotent = createIdempotencyFeature(base);
    link.deliverTo(devices.traffic);
    const broker = config.BROKER_URL
      ? null
      : embeddedBroker(config, (id) => devices.service.credentialOf(id), {
          tls,
          serviceUser,
          servicePassword,
          logger,
          ...(cluster ? { cluster: () => cluster.brokerNode() } : {}),
          onRunning: (up) =>
            platform.set("broker_down", up ? null : "the embedded MQTT broker is not running"),
        });
    const features: Feature[] = [
      auth,
      idempotent,
      push,
      alerts,
      cases,
      responders,
      rosters,
      orders,
      checkIns,
      devices,
      residents,
      sensors,
      family,
      users,
      createAuditFeature({
        db,
        auth: auth.service,
        readable: {
          resident: (user, id) => residents.service.requireReadable(user, id),
          device: (user, id) => devices.register.requireReadable(user, id),
          responder: (user, id) => responders.register.requireReadable(user, id),
          user: (user) => users.service.requireReadable(user),
          supervision_profile: (user) => devices.profiles.list(user).then(() => undefined),
        },
      }),
      createImportFeature({ ...base, residents: residents.service, devices: devices.register }),
      createIntakeFeature({
        db,
        auth: auth.service,
        cases: cases.service,
        orders: orders.service,
        residents: residents.service,
      }),
      createKpiFeature({ ...base, timeZone: config.PLATFORM_TIME_ZONE }),
      createMapFeature(base),
      createPlatformFeature({ config, auth: auth.service }),
      createReportsFeature({ ...base, timeZone: config.PLATFORM_TIME_ZONE }),
      createServiceLogFeature({ ...base, timeZone: config.PLATFORM_TIME_ZONE }),
      createOpenApiFeature(),
    ];

    const health = (): Promise<Health> => {
      // A read that fails is a storage fault too; the watch raises it before we look.
      return db.get(`SELECT 1 AS up`).then(
        () => report(),
        () => report(),
      );
      function report(): Health {
        const leading = cluster === null || cluster.leading();
        return {
          ...platform.status(),
          role: leading ? "leader" : "follower",
          ...(cluster ? { instance: cluster.instance } : {}),
          broker: broker === null ? "external" : broker.running() ? "up" : "down",
          mqtt: !leading ? "standby" : link.connected() ? "connected" : "disconnected",
          redis: cluster === null ? "off" : cluster.redisUp() ? "up" : "down",
          db: platform.storageUp() ? "up" : "down",
          uptimeSeconds: Math.round((clock.now() - started) / 1000),
          failures: platform.failureCounts(),
        };
      }
    };
    app.get("/healthz", (_req, res, next) => {
      health().then((h) => res.status(h.status === "ok" ? 200 : 503).json(h), next);
    });
    // Before every route: a phone's queued action sent twice is carried out once.
    app.use("/api", idempotent.middleware);
    for (const f of features) if (f.router) app.use("/api", f.router);
    app.use("/api", (_req, res) => sendError(res, "not_found", "no such endpoint"));
    const consoleDir = opts.consoleDir ?? CONSOLE_DIST;
    if (existsSync(join(consoleDir, "index.html"))) {
      app.use(express.static(consoleDir, { index: false, maxAge: "1h" }));
      app.get(/^\/(?!api\/|socket\.io\/).*/, (_req, res) => res.sendFile(join(consoleDir, "index.html")));
    }
    app.use(errorHandler(logger));

    // ---- start, in order ----
    // What only the leader runs: the demo seed, the features' caches and timers, the MQTT session
    // that consumes device traffic (and acks), the case engine. A single instance always leads.
    let seed: SeedResult | null = null;
    const prepareToLead = async () => {
      seed =
        opts.seed !== false && config.SEED_DEMO === "true"
          ? await seedDemoCity(db, {
              password: config.DEMO_PASSWORD,
              deviceSecret: config.DEMO_DEVICE_SECRET,
              ...(opts.seed ?? {}),
            })
          : null;
      for (const f of features) {
        await life.step(async () => {
          await f.start?.();
          return { value: f.name, stop: () => f.stop?.() };
        });
      }
    };
    const lead = async (mqttUrl: string, takeover: boolean) => {
      await life.step(async () => {
        const since = Date.now();
        // At start a broker that does not answer is a fault to report; when taking over from a
        // dead leader it is the storm of its devices moving over, and giving the lease up would
        // leave nobody leading: the link keeps trying (nothing is acked until it is up).
        // A single instance with its embedded broker goes in-process (broker/local-client.ts). In a
        // cluster the link keeps its persistent session on the broker, so what devices send
        // between two leaders waits there for the next one.
        if (running && !cluster) await link.startInProcess(running.local);
        else await link.start(mqttUrl, takeover ? TAKEOVER_LINK_PATIENCE_MS : undefined);
        logger.info({ ms: Date.now() - since, takeover }, "mqtt link up");
        return {
          value: null,
          // Commit and acknowledge what arrived before the link goes.
          stop: async () => {
            await devices.intake.drain();
            await link.stop();
          },
        };
      });
      await life.step(async () => {
        const { open } = await cases.service.resume();
        logger.info({ openCases: open }, "case engine resumed");
        return { value: null, stop: () => cases.service.stop() };
      });
      if (takeover) await cases.service.announceOpen();
    };

    if (!cluster) await prepareToLead();
    // HTTP before the broker: if its port is taken we fail before touching the broker's ports.
    const httpPort = await life.step(async () => ({
      value: await listen(http, config.PORT, config.HOST, "PORT"),
      // Socket.IO's close also closes the HTTP server.
      stop: () => realtime.close(),
    }));
    running = broker
      ? await life.step(async () => {
          const b = await broker.start();
          return { value: b, stop: () => b.stop() };
        })
      : null;
    if (external) await life.step(() => Promise.resolve({ value: null, stop: () => external.close() }));
    const localHost = config.HOST === "0.0.0.0" ? "127.0.0.1" : config.HOST;
    const mqttUrl = running ? `mqtt://${localHost}:${running.port}` : config.BROKER_URL!;
    if (!cluster) await lead(mqttUrl, false);
    else {
      const httpUrl = config.ADVERTISE_URL ?? `${tls ? "https" : "http"}://${localHost}:${httpPort}`;
      await life.step(async () => {
        await cluster.compete(watched, httpUrl, {
          acquired: async (epoch) => {
            if (life.stopped) return;
            await prepareToLead();
            await lead(mqttUrl, epoch > 1);
          },
          lost: (reason) => {
            if (opts.onLeaseLost) opts.onLeaseLost(reason);
            else void life.stop();
          },
        });
        logger.info(
          { instance: cluster.instance, leading: cluster.leading() },
          "cluster: lease contest joined",
        );
        return { value: null, stop: () => cluster.stop() };
      });
    }

    const host = config.HOST === "0.0.0.0" ? "localhost" : config.HOST;
    return {
      httpUrl: `${tls ? "https" : "http"}://${host}:${httpPort}`,
      httpPort,
      mqttUrl,
      mqttPort: running?.port ?? null,
      mqttWsPort: running?.wsPort ?? null,
      mqttTlsPort: running?.tlsPort ?? null,
      get seed() {
        return seed;
      },
      db,
      cases: cases.service,
      intake: devices.intake,
      heartbeats: devices.heartbeats,
      registry,
      responders: responders.service,
      push: push.service,
      broker: running,
      routes: [
        { method: "get", path: "/healthz" },
        ...features.flatMap((f) => (f.router ? mountedRoutes(f.router, "/api") : [])),
      ],
      platform,
      auth: auth.service,
      sensors: sensors.service,
      cluster,
      care: {
        rosters: rosters.service,
        coverage: rosters.coverage,
        orders: orders.service,
        checkIns: checkIns.service,
      },
      health,
      stop: () => life.stop(),
    };
  } catch (err) {
    await life.stop();
    throw err;
  }
}

/** The embedded aedes broker, authenticating devices against the Device table. */
function embeddedBroker(
  config: Config,
  lookupDevice: DeviceCredentialLookup,
  o: {
    tls: ReturnType<typeof tlsOf>;
    serviceUser: string;
    servicePassword: string;
    logger: Logger;
    /** Cluster mode: this broker is one node of the cluster's broker. */
    cluster?: () => BrokerCluster;
    onRunning(up: boolean): void;
  },
): { start(): Promise<RunningBroker>; running(): boolean } {
  let up = false;
  return {
    running: () => up,
    async start() {
      const b = await createBroker({
        port: config.MQTT_PORT,
        wsPort: config.MQTT_WS_PORT,
        host: config.HOST,
        tls: o.tls,
        lookupDevice,
        serviceUsers: [{ username: o.serviceUser, password: o.servicePassword }],
        logger: o.logger.child({ component: "broker" }),
        ...(o.cluster ? { cluster: o.cluster() } : {}),
      }).catch((err: NodeJS.ErrnoException) => {
        if (err.code !== "EADDRINUSE") throw err;
        const port = Number((err as { port?: number }).port ?? /:(\d+)$/.exec(err.message)?.[1]);
        throw portInUse(port, portSetting(config, port));
      });
      up = true;
      return {
        ...b,
        stop: async () => {
          up = false;
          o.onRunning(false);
          await b.stop();
        },
      };
    },
  };
}

/** Which setting names a port the broker could not take. */
function portSetting(config: Config, port: number): string {
  if (port === config.MQTT_WS_PORT) return "MQTT_WS_PORT";
  if (config.TLS_CERT_FILE !== undefined && port === config.MQTTS_PORT) return "MQTTS_PORT";
  return "MQTT_PORT";
}
