// `GET /healthz`, and the platform's state as consoles get it (`platform:health`).
import { z } from "zod";
import { isoDate } from "./wire.ts";

/** What keeps the platform from doing its job right now. */
export const PLATFORM_PROBLEMS = [
  "storage_unavailable",
  "mqtt_disconnected",
  "broker_down",
  "redis_unavailable",
] as const;
export const PlatformProblemCodeSchema = z.enum(PLATFORM_PROBLEMS);
export type PlatformProblemCode = z.infer<typeof PlatformProblemCodeSchema>;

/** Why storage is unavailable (the SQL port's StorageFault). */
export const STORAGE_FAULTS = ["busy", "read_only", "full", "io", "corrupt", "closed"] as const;
export const StorageFaultSchema = z.enum(STORAGE_FAULTS);
export type StorageFault = z.infer<typeof StorageFaultSchema>;

export const PlatformProblemSchema = z.object({
  code: PlatformProblemCodeSchema,
  /** English, for operators and logs; consoles word it from `code` and `fault`. */
  message: z.string(),
  since: isoDate,
  fault: StorageFaultSchema.optional(),
});
export type PlatformProblem = z.infer<typeof PlatformProblemSchema>;

/** `degraded` while any problem lasts: presses are then not acknowledged, devices resend. */
export const PlatformStatusSchema = z.object({
  status: z.enum(["ok", "degraded"]),
  problems: z.array(PlatformProblemSchema),
});
export type PlatformStatus = z.infer<typeof PlatformStatusSchema>;

export const HealthSchema = PlatformStatusSchema.extend({
  /** `leader` runs ingest, matching and timers; a `follower` (cluster mode) serves and stands by. */
  role: z.enum(["leader", "follower"]),
  /** This instance's name in a cluster; absent on a single instance. */
  instance: z.string().optional(),
  broker: z.enum(["up", "down", "external"]),
  /** The dispatcher's own MQTT session; `standby` on a follower, which has none. */
  mqtt: z.enum(["connected", "disconnected", "standby"]),
  /** Cluster mode's Redis (socket fan-out, the broker cluster); `off` on a single instance. */
  redis: z.enum(["up", "down", "off"]),
  /** `down`: the database cannot commit right now. */
  db: z.enum(["up", "down"]),
  uptimeSeconds: z.number(),
  /** Failures of background work since start (flushes, timers, matching), by task. */
  failures: z.record(z.string(), z.number().int()),
});
export type Health = z.infer<typeof HealthSchema>;
