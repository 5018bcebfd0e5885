// Device supervision profiles (per device kind): how often a device of that kind sends a
// heartbeat and how many it may miss before it counts as offline, how long after enrolment a
// device that never connected is reported, and how long a fault (an outage) may stay open before
// the device is flagged for replacement. Stored as data (SupervisionProfile), editable by admins.
import { z } from "zod";
import { DeviceKindSchema, type DeviceKind } from "./domain.ts";

const fields = {
  /** The interval the device's firmware beats at: 1 min … 1 day. */
  heartbeatSeconds: z.number().int().min(60).max(86_400),
  /** Offline once this many beats in a row are missing. */
  missedBeatsOffline: z.number().int().min(1).max(20),
  /** Enrolled this long ago and never seen: reported (not installed, wrong secret, no signal). */
  neverConnectedHours: z
    .number()
    .int()
    .min(1)
    .max(24 * 30),
  /** Offline this long past its window: a call did not fix it; flagged for replacement. */
  replaceAfterMinutes: z
    .number()
    .int()
    .min(10)
    .max(7 * 24 * 60),
};

export const SupervisionProfileInputSchema = z.strictObject(fields);
export type SupervisionProfileInput = z.infer<typeof SupervisionProfileInputSchema>;

export const SupervisionProfileSchema = z.object({
  kind: DeviceKindSchema,
  ...fields,
  updatedAt: z.iso.datetime({ offset: true }).nullable(),
});
export type SupervisionProfile = z.infer<typeof SupervisionProfileSchema>;

/**
 * The defaults a new database starts with. A wall button is mains-powered and fixed: it can beat
 * every 5 minutes and is offline after 15. A wrist button and a pendant run on a small battery and
 * travel with the resident (a walk, a bath), so they beat less often and may miss more before
 * anyone is called: 30 and 60 minutes. Home sensors beat rarely to last years on a battery (an
 * hourly supervision signal is common); smoke and gas alarms guard lives and are missed after 90
 * minutes, water, door and motion sensors after 3 hours. The weekly test press
 * (TEST_PRESS_INTERVAL_MS) is the same for every kind.
 */
const button = { neverConnectedHours: 24, replaceAfterMinutes: 120 };
const sensor = {
  heartbeatSeconds: 3600,
  missedBeatsOffline: 3,
  neverConnectedHours: 24,
  replaceAfterMinutes: 120,
};
export const DEFAULT_SUPERVISION_PROFILES: Readonly<Record<DeviceKind, SupervisionProfileInput>> = {
  wall_button: { heartbeatSeconds: 300, missedBeatsOffline: 3, ...button },
  wrist_button: { heartbeatSeconds: 600, missedBeatsOffline: 3, ...button },
  pendant: { heartbeatSeconds: 900, missedBeatsOffline: 4, ...button },
  smoke_alarm: { ...sensor, heartbeatSeconds: 1800 },
  gas_alarm: { ...sensor, heartbeatSeconds: 1800 },
  water_sensor: sensor,
  door_sensor: sensor,
  motion_sensor: sensor,
};

/** How long a device of this profile may stay silent before it counts as offline. */
export function offlineAfterMs(
  p: Pick<SupervisionProfileInput, "heartbeatSeconds" | "missedBeatsOffline">,
): number {
  return p.heartbeatSeconds * p.missedBeatsOffline * 1000;
}
