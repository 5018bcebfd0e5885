// The devices feature: event intake (batching, dedupe, commit, ack), heartbeats and supervision,
// the device-health list. Fed by the MQTT link through `traffic`.
import type { Logger } from "pino";
import type { CaseService } from "../cases/service.ts";
import type { Clock } from "../clock.ts";
import type { SqlDatabase } from "../db/sql.ts";
import type { Authenticator } from "../edge/http.ts";
import type { DeviceTraffic } from "../edge/mqtt-link.ts";
import type { Feature } from "../feature.ts";
import type { Notifier } from "../notifier.ts";
import type { TaskReporter } from "../platform-health.ts";
import { DeviceHeartbeats, type HeartbeatOptions } from "./heartbeats.ts";
import { DeviceIntake, type IntakeOptions } from "./intake.ts";
import { deviceRoutes } from "./routes.ts";
import { DeviceService } from "./service.ts";

export interface DevicesDeps {
  db: SqlDatabase;
  cases: Pick<CaseService, "takeDeviceEvent" | "afterCommit" | "openTechnical" | "recordDeviceFaults">;
  notifier: Notifier;
  clock: Clock;
  auth: Authenticator;
  logger: Logger;
  tasks: TaskReporter;
  intake?: IntakeOptions;
  heartbeats?: HeartbeatOptions;
}

export interface DevicesFeature extends Feature {
  intake: DeviceIntake;
  heartbeats: DeviceHeartbeats;
  service: DeviceService;
  /** What the MQTT link delivers to. */
  traffic: DeviceTraffic;
}

export function createDevicesFeature(deps: DevicesDeps): DevicesFeature {
  const intake = new DeviceIntake(deps, deps.intake);
  const heartbeats = new DeviceHeartbeats(deps, deps.heartbeats);
  const service = new DeviceService(deps.db, deps.clock);
  const traffic: DeviceTraffic = {
    event: (deviceId, payload) => intake.push(deviceId, payload),
    status: (deviceId, status) => heartbeats.push(deviceId, status),
  };
  return {
    name: "devices",
    intake,
    heartbeats,
    service,
    traffic,
    router: deviceRoutes(deps.auth, service),
    start: () => Promise.resolve(heartbeats.start()),
    stop: () => heartbeats.stop(),
  };
}
