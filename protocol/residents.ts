// REST DTOs of the resident register: enrolment, care facts, pairing, search, and the
// communities and grids a record refers to.
import { z } from "zod";
import { ContactSchema, GenderSchema, LivingSituationSchema } from "./domain.ts";
import { PageQuerySchema, RecordStatusSchema, pageSchema } from "./paging.ts";
import { PhoneSchema } from "./phone.ts";
import { DeviceRecordSchema } from "./device-register.ts";
import { id, isoDate, lat, lng } from "./wire.ts";

const text = (max: number) => z.string().trim().min(1).max(max);

/** A calendar date, YYYY-MM-DD (a birth date is a date, not a time: no zone). */
export const CalendarDateSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "a date as YYYY-MM-DD")
  .refine((d) => {
    const t = new Date(`${d}T00:00:00Z`);
    return !Number.isNaN(t.getTime()) && t.toISOString().slice(0, 10) === d && d >= "1900-01-01";
  }, "not a real date (from 1900 on)");

export const ContactInputSchema = z.strictObject({
  name: text(40),
  relation: text(20),
  phone: PhoneSchema,
});

/** Everything a resident's record holds; the groups below say who may change which part. */
export const ResidentInputSchema = z.strictObject({
  name: text(40),
  gender: GenderSchema,
  birthDate: CalendarDateSchema,
  phone: PhoneSchema,
  address: text(200),
  lat,
  lng,
  communityId: id.positive(),
  gridId: id.positive(),
  livingSituation: LivingSituationSchema,
  conditions: z.array(text(60)).max(30).default([]),
  medicines: z.array(text(60)).max(30).default([]),
  /** At least one person to call: a care fact the platform cannot do without. */
  emergencyContacts: z.array(ContactInputSchema).min(1).max(10),
  keyHolder: text(200).nullable().default(null),
  pairedVolunteerId: id.positive().nullable().default(null),
});
export type ResidentInput = z.infer<typeof ResidentInputSchema>;

/** Who the resident is and where they live (resident.enrol). */
export const RESIDENT_IDENTITY_FIELDS = [
  "name",
  "gender",
  "birthDate",
  "phone",
  "address",
  "lat",
  "lng",
  "communityId",
  "gridId",
  "livingSituation",
] as const satisfies readonly (keyof ResidentInput)[];
/** What responders need at the door (resident.care). */
export const RESIDENT_CARE_FIELDS = [
  "emergencyContacts",
  "conditions",
  "medicines",
  "keyHolder",
] as const satisfies readonly (keyof ResidentInput)[];
/** 结对 (resident.pairing). */
export const RESIDENT_PAIRING_FIELDS = [
  "pairedVolunteerId",
] as const satisfies readonly (keyof ResidentInput)[];

/** A change to some fields; at least one. */
export const ResidentPatchSchema = z
  .strictObject({
    name: text(40),
    gender: GenderSchema,
    birthDate: CalendarDateSchema,
    phone: PhoneSchema,
    address: text(200),
    lat,
    lng,
    communityId: id.positive(),
    gridId: id.positive(),
    livingSituation: LivingSituationSchema,
    conditions: z.array(text(60)).max(30),
    medicines: z.array(text(60)).max(30),
    emergencyContacts: z.array(ContactInputSchema).min(1).max(10),
    keyHolder: text(200).nullable(),
    pairedVolunteerId: id.positive().nullable(),
  })
  .partial()
  .refine((p) => Object.keys(p).length > 0, "nothing to change");
export type ResidentPatch = z.infer<typeof ResidentPatchSchema>;

export const ResidentRecordSchema = z.object({
  id,
  name: z.string(),
  gender: GenderSchema,
  /** Null for residents enrolled before birth dates were kept (only the year is known). */
  birthDate: z.string().nullable(),
  birthYear: z.number().int(),
  phone: z.string(),
  address: z.string(),
  lat,
  lng,
  communityId: id,
  communityName: z.string(),
  gridId: id,
  gridName: z.string(),
  livingSituation: LivingSituationSchema,
  conditions: z.array(z.string()),
  medicines: z.array(z.string()),
  emergencyContacts: z.array(ContactSchema),
  keyHolder: z.string().nullable(),
  pairedVolunteer: z.object({ id, name: z.string(), phone: z.string() }).nullable(),
  devices: z.array(DeviceRecordSchema),
  createdAt: isoDate,
  retiredAt: isoDate.nullable(),
});
export type ResidentRecord = z.infer<typeof ResidentRecordSchema>;

/** A row of the register table and of the intake's as-you-type search. */
export const ResidentListItemSchema = ResidentRecordSchema.pick({
  id: true,
  name: true,
  gender: true,
  birthDate: true,
  birthYear: true,
  phone: true,
  address: true,
  communityId: true,
  communityName: true,
  gridId: true,
  gridName: true,
  livingSituation: true,
  retiredAt: true,
}).extend({ deviceIds: z.array(z.string()) });
export type ResidentListItem = z.infer<typeof ResidentListItemSchema>;

export const ResidentPageSchema = pageSchema(ResidentListItemSchema);

export const ResidentListQuerySchema = PageQuerySchema.extend({
  /** Matches name (also part of it), phone, address, device id and emergency-contact phones. */
  q: z.string().trim().max(60).optional(),
  communityId: z.coerce.number().int().positive().optional(),
  gridId: z.coerce.number().int().positive().optional(),
  status: RecordStatusSchema.default("active"),
});
export type ResidentListQuery = z.infer<typeof ResidentListQuerySchema>;

// ---- communities and grids, for forms and filters ----

export const CommunityDtoSchema = z.object({
  id,
  name: z.string(),
  district: z.string(),
  lat,
  lng,
  grids: z.array(z.object({ id, name: z.string() })),
});
export type CommunityDto = z.infer<typeof CommunityDtoSchema>;

export const ServiceAreaSchema = z.object({
  south: lat,
  west: lng,
  north: lat,
  east: lng,
});

/** `GET /api/communities`: those in the caller's scope, and the service area of the whole platform. */
export const CommunitiesSchema = z.object({
  communities: z.array(CommunityDtoSchema),
  serviceArea: ServiceAreaSchema.nullable(),
});
export type Communities = z.infer<typeof CommunitiesSchema>;

/**
 * Rules of a resident's record beyond the shape of its fields; a 400's `details.fields[].rule`
 * or a 409's `details.rule` names one, and the console says it in the UI language.
 */
export const RESIDENT_RULES = [
  "phone",
  "grid_not_in_community",
  "unknown_community",
  "outside_service_area",
  "future_date",
  "invalid_date",
  "unknown_volunteer",
  "duplicate_resident",
  "retired",
] as const;
export type ResidentRule = (typeof RESIDENT_RULES)[number];
