// The set-ups a benchmark compares in one run. "embedded": the platform as `npm start` runs it,
// broker inside. "mosquitto": the same platform with Debian's Mosquitto as BROKER_URL, device
// accounts seeded from the same device list. Both expose where devices connect and which
// process holds their connections.
import { deviceIds } from "../../device-sim/fleet.ts";
import { untilDone } from "./cleanup.ts";
import { startMosquitto, type RunningMosquitto } from "../../tests/helpers/mosquitto.ts";
import {
  DEVICE_SECRET,
  SERVICE_PASSWORD,
  SERVICE_USER,
  startPlatform,
  type Profiling,
  type RunningPlatform,
} from "./platform.ts";

export type PeerKind = "embedded" | "mosquitto";

export interface Peer {
  kind: PeerKind;
  platform: RunningPlatform;
  mqttUrl: string;
  /** The process that holds the device connections. */
  brokerPid: number;
  stop(): Promise<void>;
}

export const ADMIN = { username: "bench-admin", password: "bench-admin-password" };

export async function mosquittoFor(devices: number): Promise<RunningMosquitto> {
  const mosquitto = await startMosquitto({
    seed: {
      admin: ADMIN,
      service: { username: SERVICE_USER, password: SERVICE_PASSWORD },
      devices: deviceIds(devices).map((id) => ({ id, secret: DEVICE_SECRET })),
    },
  });
  const done = untilDone(() => mosquitto.stop());
  return {
    ...mosquitto,
    async stop() {
      await mosquitto.stop();
      done();
    },
  };
}

export async function startPeer(
  kind: PeerKind,
  o: {
    dir: string;
    database: string;
    devices: number;
    label: string;
    profiling?: Profiling;
    env?: Record<string, string>;
  },
): Promise<Peer> {
  const label = `${o.label}-${kind}`;
  if (kind === "embedded") {
    const platform = await startPlatform({
      dir: o.dir,
      database: o.database,
      label,
      profiling: o.profiling,
      env: o.env,
    });
    return {
      kind,
      platform,
      mqttUrl: platform.mqttUrl,
      brokerPid: platform.pid,
      stop: () => platform.stop(),
    };
  }
  const mosquitto = await mosquittoFor(o.devices);
  try {
    const platform = await startPlatform({
      dir: o.dir,
      database: o.database,
      label,
      brokerUrl: mosquitto.url,
      profiling: o.profiling,
      env: o.env,
    });
    return {
      kind,
      platform,
      mqttUrl: mosquitto.url,
      brokerPid: mosquitto.pid,
      async stop() {
        await platform.stop();
        await mosquitto.stop();
      },
    };
  } catch (err) {
    await mosquitto.stop();
    throw err;
  }
}
