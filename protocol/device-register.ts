// REST DTOs of the device register: enrol a call device for a resident, give it a new secret,
// move it, retire it. A secret is returned exactly once, when it is made; the platform keeps
// only its hash.
import { z } from "zod";
import { DeviceKindSchema } from "./domain.ts";
import { DeviceIdSchema } from "./mqtt.ts";
import { SupervisionProfileInputSchema } from "./supervision.ts";
import { id, isoDate } from "./wire.ts";

export const DeviceRecordSchema = z.object({
  id: z.string(),
  residentId: id,
  residentName: z.string(),
  communityId: id,
  kind: DeviceKindSchema,
  /** In effect: the device's own settings, or its kind's supervision profile. */
  heartbeatSeconds: z.number().int(),
  missedBeatsOffline: z.number().int(),
  /** true: its own heartbeat settings; false: its kind's profile (GET /api/supervision-profiles). */
  ownSupervision: z.boolean(),
  online: z.boolean(),
  battery: z.number().int().nullable(),
  lastSeenAt: isoDate.nullable(),
  createdAt: isoDate,
  retiredAt: isoDate.nullable(),
});
export type DeviceRecord = z.infer<typeof DeviceRecordSchema>;

/** A device's own heartbeat settings, instead of its kind's profile (protocol/supervision.ts). */
const supervision = {
  heartbeatSeconds: SupervisionProfileInputSchema.shape.heartbeatSeconds,
  missedBeatsOffline: SupervisionProfileInputSchema.shape.missedBeatsOffline,
};

export const DeviceCreateSchema = z.strictObject({
  residentId: id.positive(),
  kind: DeviceKindSchema,
  /** The id printed on the label; the platform makes one when it is left out. */
  id: DeviceIdSchema.optional(),
  /** Left out: the device follows its kind's supervision profile. */
  heartbeatSeconds: supervision.heartbeatSeconds.optional(),
  missedBeatsOffline: supervision.missedBeatsOffline.optional(),
});
export type DeviceCreate = z.infer<typeof DeviceCreateSchema>;

export const DevicePatchSchema = z
  .strictObject({
    /** Move the device to another resident. */
    residentId: id.positive(),
    kind: DeviceKindSchema,
    /** Setting either gives the device its own settings; `ownSupervision: false` returns it to the profile. */
    ...supervision,
    ownSupervision: z.literal(false),
  })
  .partial()
  .refine((p) => Object.keys(p).length > 0, "nothing to change");
export type DevicePatch = z.infer<typeof DevicePatchSchema>;

/** The answer to an enrolment or a new secret: the only time the secret is ever shown. */
export const DeviceWithSecretSchema = z.object({ device: DeviceRecordSchema, secret: z.string() });
export type DeviceWithSecret = z.infer<typeof DeviceWithSecretSchema>;
