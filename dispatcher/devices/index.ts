// The devices feature: event intake (batching, dedupe, commit, ack), heartbeats and supervision,
// the device-health list, the device register. Fed by the MQTT link through `traffic`.
import { Router } from "express";
import type { Logger } from "pino";
import type { DeviceAccounts } from "../../broker/accounts.ts";
import type { AuditLog } from "../audit/service.ts";
import type { CaseService } from "../cases/service.ts";
import type { Clock } from "../clock.ts";
import type { SqlDatabase } from "../db/sql.ts";
import type { Authenticator } from "../edge/http.ts";
import type { DeviceTraffic } from "../edge/mqtt-link.ts";
import type { Feature } from "../feature.ts";
import type { Notifier } from "../notifier.ts";
import type { TaskReporter } from "../platform-health.ts";
import { DeviceHeartbeats, type HeartbeatOptions } from "./heartbeats.ts";
import { DeviceIntake, type IntakeOptions, type SensorObserver } from "./intake.ts";
import { SupervisionProfiles } from "./profiles.ts";
import { DeviceRegister } from "./register.ts";
import { deviceRegisterRoutes } from "./register-routes.ts";
import { deviceRoutes } from "./routes.ts";
import { DeviceService } from "./service.ts";

export interface DevicesDeps {
  db: SqlDatabase;
  cases: Pick<
    CaseService,
    "takeDeviceEvent" | "settleTx" | "afterCommit" | "openTechnical" | "recordDeviceFaults"
  >;
  notifier: Notifier;
  clock: Clock;
  auth: Authenticator;
  logger: Logger;
  audit: AuditLog;
  /** The broker's device accounts, once it runs (null: an external broker without one). */
  accounts: () => DeviceAccounts | null;
  tasks: TaskReporter;
  intake?: IntakeOptions;
  heartbeats?: HeartbeatOptions;
  /** Home sensors' rules that read an event before the press rule. */
  sensors?: SensorObserver;
}

export interface DevicesFeature extends Feature {
  intake: DeviceIntake;
  heartbeats: DeviceHeartbeats;
  service: DeviceService;
  profiles: SupervisionProfiles;
  register: DeviceRegister;
  /** What the MQTT link delivers to. */
  traffic: DeviceTraffic;
}

export function createDevicesFeature(deps: DevicesDeps): DevicesFeature {
  const intake = new DeviceIntake(deps, deps.intake);
  const heartbeats = new DeviceHeartbeats(deps, deps.heartbeats);
  const service = new DeviceService(deps.db, deps.clock);
  const register = new DeviceRegister(deps);
  const profiles = new SupervisionProfiles(deps);
  const traffic: DeviceTraffic = {
    event: (deviceId, payload) => intake.push(deviceId, payload),
    status: (deviceId, status) => heartbeats.push(deviceId, status),
  };
  return {
    name: "devices",
    intake,
    heartbeats,
    service,
    profiles,
    register,
    traffic,
    router: Router().use(
      deviceRoutes(deps.auth, service, profiles),
      deviceRegisterRoutes(deps.auth, register),
    ),
    async start() {
      await profiles.addMissing();
      heartbeats.start();
    },
    stop: () => heartbeats.stop(),
  };
}
