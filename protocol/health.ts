// `GET /healthz`.
import { z } from "zod";

export const HealthSchema = z.object({
  status: z.enum(["ok", "degraded"]),
  broker: z.enum(["up", "down", "external"]),
  mqtt: z.enum(["connected", "disconnected"]),
  db: z.enum(["up", "down"]),
  uptimeSeconds: z.number(),
});
export type Health = z.infer<typeof HealthSchema>;
