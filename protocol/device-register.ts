// REST DTOs of the device register: enrol a call device for a resident, give it a new secret,
// move it, retire it. A secret is returned exactly once, when it is made; the platform keeps
// only its hash.
import { z } from "zod";
import { DeviceKindSchema } from "./domain.ts";
import { DeviceIdSchema } from "./mqtt.ts";
import { id, isoDate } from "./wire.ts";

export const DeviceRecordSchema = z.object({
  id: z.string(),
  residentId: id,
  residentName: z.string(),
  communityId: id,
  kind: DeviceKindSchema,
  heartbeatSeconds: z.number().int(),
  missedBeatsOffline: z.number().int(),
  online: z.boolean(),
  battery: z.number().int().nullable(),
  lastSeenAt: isoDate.nullable(),
  createdAt: isoDate,
  retiredAt: isoDate.nullable(),
});
export type DeviceRecord = z.infer<typeof DeviceRecordSchema>;

/** Supervision profile: a heartbeat every 1 min … 1 day; offline after 1–20 missed beats. */
const supervision = {
  heartbeatSeconds: z.number().int().min(60).max(86_400),
  missedBeatsOffline: z.number().int().min(1).max(20),
};

export const DeviceCreateSchema = z.strictObject({
  residentId: id.positive(),
  kind: DeviceKindSchema,
  /** The id printed on the label; the platform makes one when it is left out. */
  id: DeviceIdSchema.optional(),
  heartbeatSeconds: supervision.heartbeatSeconds.default(300),
  missedBeatsOffline: supervision.missedBeatsOffline.default(3),
});
export type DeviceCreate = z.infer<typeof DeviceCreateSchema>;

export const DevicePatchSchema = z
  .strictObject({
    /** Move the device to another resident. */
    residentId: id.positive(),
    kind: DeviceKindSchema,
    ...supervision,
  })
  .partial()
  .refine((p) => Object.keys(p).length > 0, "nothing to change");
export type DevicePatch = z.infer<typeof DevicePatchSchema>;

/** The answer to an enrolment or a new secret: the only time the secret is ever shown. */
export const DeviceWithSecretSchema = z.object({ device: DeviceRecordSchema, secret: z.string() });
export type DeviceWithSecret = z.infer<typeof DeviceWithSecretSchema>;
