// Service orders (居民点单、支部下单、党员接单): a resident orders a home service for a time window,
// the community's queue assigns it to a responder or publishes it for volunteers with the skill to
// claim; the responder confirms, does it and logs the hours. Calm work: a due time and reminders,
// never a siren.
import { z } from "zod";
import { ServiceKindSchema, type ServiceKind } from "./domain.ts";
import { id, isoDate } from "./wire.ts";

export const SERVICE_ORDER_STATUSES = [
  /** In the community's queue, waiting for staff. */
  "queued",
  /** Offered to volunteers with the skill: the first to claim it takes it. */
  "published",
  /** A responder has it (assigned by staff or claimed) and has not confirmed yet. */
  "assigned",
  "confirmed",
  /** The responder is at the door. */
  "in_progress",
  "done",
  "cancelled",
] as const;
export const ServiceOrderStatusSchema = z.enum(SERVICE_ORDER_STATUSES);
export type ServiceOrderStatus = z.infer<typeof ServiceOrderStatusSchema>;

/** Where an order came from: 居民点单 by the button or a call, or staff on the resident's behalf. */
export const ORDER_ORIGINS = ["device", "hotline", "staff"] as const;
export const OrderOriginSchema = z.enum(ORDER_ORIGINS);
export type OrderOrigin = z.infer<typeof OrderOriginSchema>;

/**
 * The resident's own request (居民点单): a service-request press or a call asking for a service.
 * A second request while the first one's order is open joins it (`requests` counts them) instead
 * of placing another order.
 */
export const REQUEST_ORIGINS = ["device", "hotline"] as const satisfies readonly OrderOrigin[];
export type RequestOrigin = (typeof REQUEST_ORIGINS)[number];

/**
 * The service a request is for when the button does not say (a one-key service button): 家政,
 * everyday help at home; staff ring the resident back and change it if it is something else.
 */
export const DEFAULT_REQUEST_SERVICE = "housekeeping" as const satisfies ServiceKind;

export const ServiceWindowSchema = z
  .object({ from: isoDate, to: isoDate })
  .refine((w) => Date.parse(w.to) > Date.parse(w.from), { message: "to must be after from", path: ["to"] })
  .refine((w) => Date.parse(w.to) - Date.parse(w.from) <= 14 * 86_400_000, {
    message: "a window lasts at most 14 days",
    path: ["to"],
  });
export type ServiceWindow = z.infer<typeof ServiceWindowSchema>;

export const ServiceOrderInputSchema = z.object({
  residentId: id,
  service: ServiceKindSchema,
  window: ServiceWindowSchema,
  notes: z.string().trim().max(500).default(""),
});
export type ServiceOrderInput = z.infer<typeof ServiceOrderInputSchema>;

export const ServiceOrderSchema = z.object({
  id,
  residentId: id,
  residentName: z.string(),
  residentPhone: z.string(),
  address: z.string(),
  communityId: id,
  communityName: z.string(),
  service: ServiceKindSchema,
  window: z.object({ from: isoDate, to: isoDate }),
  notes: z.string(),
  origin: OrderOriginSchema,
  status: ServiceOrderStatusSchema,
  responderId: id.nullable(),
  responderName: z.string().nullable(),
  /** The responder took it from the published list (党员接单) rather than being assigned. */
  claimed: z.boolean(),
  /** The window has ended and the service is not done. */
  overdue: z.boolean(),
  minutes: z.number().int().nullable(),
  report: z.string().nullable(),
  cancelReason: z.string().nullable(),
  /** How often the resident asked for it: 1, plus each press or call that joined it while open. */
  requests: z.number().int().min(1),
  /** The latest press or call that joined the order (null: asked once). */
  lastRequestAt: isoDate.nullable(),
  createdAt: isoDate,
  doneAt: isoDate.nullable(),
});
export type ServiceOrder = z.infer<typeof ServiceOrderSchema>;

export const ServiceOrderListQuerySchema = z.object({
  status: z
    .enum(["open", ...SERVICE_ORDER_STATUSES])
    .default("open")
    .describe("open: every order not done or cancelled"),
  communityId: z.coerce.number().int().optional(),
  limit: z.coerce.number().int().min(1).max(500).default(200),
});
export type ServiceOrderListQuery = z.infer<typeof ServiceOrderListQuerySchema>;

export const OrderAssignRequestSchema = z.object({ responderId: id });
export const OrderCancelRequestSchema = z.object({ reason: z.string().trim().min(1).max(300) });
export const OrderDoneRequestSchema = z.object({
  /** The visit's length: it counts on the responder's record (volunteer hours). */
  minutes: z
    .number()
    .int()
    .min(1)
    .max(12 * 60),
  report: z.string().trim().min(1).max(1000),
});
export type OrderDoneRequest = z.infer<typeof OrderDoneRequestSchema>;

/** The phone's view: orders it may claim, and its own. */
export const ResponderOrdersSchema = z.object({
  claimable: z.array(ServiceOrderSchema),
  mine: z.array(ServiceOrderSchema),
});
export type ResponderOrders = z.infer<typeof ResponderOrdersSchema>;
