// REST DTOs of the responder register: caregivers, volunteers, grid workers and doctors with
// their skills, transport, community, paired households (结对) and phone login.
import { z } from "zod";
import { ResponderRoleSchema, SkillSchema, TransportModeSchema } from "./domain.ts";
import { PageQuerySchema, RecordStatusSchema, pageSchema } from "./paging.ts";
import { PhoneSchema } from "./phone.ts";
import { PasswordSchema, UsernameSchema } from "./users.ts";
import { id, isoDate } from "./wire.ts";

export const ResponderRecordSchema = z.object({
  id,
  name: z.string(),
  phone: z.string(),
  role: ResponderRoleSchema,
  skills: z.array(SkillSchema),
  transport: TransportModeSchema,
  communityId: id,
  communityName: z.string(),
  volunteerHours: z.number(),
  onDuty: z.boolean(),
  createdAt: isoDate,
  retiredAt: isoDate.nullable(),
  /** The phone-app login that goes with the responder. */
  account: z.object({ userId: id, username: z.string(), disabled: z.boolean() }).nullable(),
  /** Households paired with this responder (结对帮扶). */
  pairedResidents: z.array(z.object({ id, name: z.string(), address: z.string() })),
});
export type ResponderRecord = z.infer<typeof ResponderRecordSchema>;

const fields = {
  name: z.string().trim().min(1).max(40),
  phone: PhoneSchema,
  role: ResponderRoleSchema,
  skills: z.array(SkillSchema).max(20),
  transport: TransportModeSchema,
  communityId: id.positive(),
  pairedResidentIds: z.array(id.positive()).max(50),
};

export const ResponderCreateSchema = z.strictObject({
  ...fields,
  skills: fields.skills.default([]),
  pairedResidentIds: fields.pairedResidentIds.default([]),
  /** A login for the phone app, made with the responder. */
  account: z.strictObject({ username: UsernameSchema, password: PasswordSchema }).optional(),
});
export type ResponderCreate = z.infer<typeof ResponderCreateSchema>;

export const ResponderPatchSchema = z
  .strictObject(fields)
  .partial()
  .refine((p) => Object.keys(p).length > 0, "nothing to change");
export type ResponderPatch = z.infer<typeof ResponderPatchSchema>;

export const ResponderListQuerySchema = PageQuerySchema.extend({
  q: z.string().trim().max(60).optional(),
  communityId: z.coerce.number().int().positive().optional(),
  role: ResponderRoleSchema.optional(),
  status: RecordStatusSchema.default("active"),
});
export type ResponderListQuery = z.infer<typeof ResponderListQuerySchema>;

export const ResponderPageSchema = pageSchema(ResponderRecordSchema);
