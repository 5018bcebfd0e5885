// REST DTOs of the hotline intake: a phone call becomes a case (POST /api/cases).
import { z } from "zod";
import { CallerRelationSchema, IntakeCaseTypeSchema, PrioritySchema, ServiceKindSchema } from "./domain.ts";
import { CaseSummarySchema } from "./cases.ts";
import { ServiceOrderSchema, ServiceWindowSchema } from "./service-orders.ts";
import { PhoneSchema } from "./phone.ts";
import { id, lat, lng } from "./wire.ts";

/** What staff type while the caller talks; longer belongs in case notes afterwards. */
export const INTAKE_NOTES_MAX = 1000;

export const CallerSchema = z.strictObject({
  relation: CallerRelationSchema,
  name: z.string().trim().min(1).max(40).optional(),
  /** The number the call came from: the one to ring back. */
  phone: PhoneSchema,
});
export type Caller = z.infer<typeof CallerSchema>;

/** A caller who is not in the register: where they are, as picked on the map. */
export const UnregisteredPlaceSchema = z.strictObject({
  location: z.strictObject({ lat, lng }),
  address: z.string().trim().min(1).max(200),
  name: z.string().trim().min(1).max(40).optional(),
});

const IntakeFieldsSchema = z.strictObject({
  residentId: id.positive().optional(),
  location: UnregisteredPlaceSchema.shape.location.optional(),
  address: UnregisteredPlaceSchema.shape.address.optional(),
  name: UnregisteredPlaceSchema.shape.name,
  type: IntakeCaseTypeSchema,
  /** Required for a service request: which service. */
  service: ServiceKindSchema.optional(),
  /**
   * A service request: when the caller wants it; without it, as soon as convenient today (the
   * order's default window). A service request becomes a service order, not a case.
   */
  window: ServiceWindowSchema.optional(),
  /** Staff's judgement over the type's default (1 = most urgent). */
  priority: PrioritySchema.optional(),
  caller: CallerSchema,
  notes: z.string().trim().max(INTAKE_NOTES_MAX).optional(),
});

/** `{residentId}` for a registered resident, or `{location, address, name?}` for anyone else. */
export const IntakeRequestSchema = IntakeFieldsSchema.superRefine((r, ctx) => {
  if (r.residentId !== undefined) {
    for (const field of ["location", "address", "name"] as const) {
      if (r[field] !== undefined)
        ctx.addIssue({
          code: "custom",
          path: [field],
          message:
            "a registered resident's place is in the register; send residentId or a location, not both",
          params: { rule: "resident_or_location" },
        });
    }
  } else {
    if (r.location === undefined)
      ctx.addIssue({
        code: "custom",
        path: ["location"],
        message: "name the resident (residentId) or, for a caller not in the register, the place on the map",
        params: { rule: "resident_or_location" },
      });
    if (r.address === undefined)
      ctx.addIssue({
        code: "custom",
        path: ["address"],
        message: "a caller not in the register needs the address responders go to",
        params: { rule: "address_required" },
      });
  }
  if (r.type === "service_request" && r.service === undefined)
    ctx.addIssue({
      code: "custom",
      path: ["service"],
      message: "a service request names its service",
      params: { rule: "service_required" },
    });
  if (r.type !== "service_request" && r.service !== undefined)
    ctx.addIssue({
      code: "custom",
      path: ["service"],
      message: "only a service request names a service",
      params: { rule: "service_only_for_requests" },
    });
  if (r.type !== "service_request" && r.window !== undefined)
    ctx.addIssue({
      code: "custom",
      path: ["window"],
      message: "only a service request has a time window",
      params: { rule: "service_only_for_requests" },
    });
});
export type IntakeRequest = z.infer<typeof IntakeRequestSchema>;

/**
 * 201 with a new case, or 200 with `joined: true` when the call joined the resident's open case.
 * A service request gives an order instead (`case` null): a new one in the community queue, or
 * the resident's open request it joined.
 */
export const IntakeResultSchema = z.object({
  case: CaseSummarySchema.nullable(),
  order: ServiceOrderSchema.nullable(),
  joined: z.boolean(),
});
export type IntakeResult = z.infer<typeof IntakeResultSchema>;
