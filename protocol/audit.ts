// REST DTOs of the audit log: who changed which record, when, from what to what.
import { z } from "zod";
import { ActorTypeSchema } from "./domain.ts";
import { PageQuerySchema, pageSchema } from "./paging.ts";
import { id, isoDate } from "./wire.ts";

/** The registers whose changes are logged. */
export const AUDIT_ENTITIES = ["resident", "device", "responder", "user", "supervision_profile"] as const;
export const AuditEntitySchema = z.enum(AUDIT_ENTITIES);
export type AuditEntity = z.infer<typeof AuditEntitySchema>;

export const AUDIT_ACTIONS = [
  "create",
  "update",
  "retire",
  "rotate_secret",
  "reset_password",
  "change_password",
] as const;
export const AuditActionSchema = z.enum(AUDIT_ACTIONS);
export type AuditAction = z.infer<typeof AuditActionSchema>;

export const AuditEntryDtoSchema = z.object({
  id,
  at: isoDate,
  actorType: ActorTypeSchema,
  actorId: z.string().nullable(),
  actorName: z.string().nullable(),
  action: z.string(),
  entity: z.string(),
  entityId: z.string().nullable(),
  /** {field: [before, after]}. */
  changes: z.record(z.string(), z.tuple([z.unknown(), z.unknown()]).readonly()).nullable(),
  ip: z.string().nullable(),
});
export type AuditEntryDto = z.infer<typeof AuditEntryDtoSchema>;

export const AuditQuerySchema = PageQuerySchema.extend({
  entity: AuditEntitySchema.optional(),
  id: z.string().min(1).max(64).optional(),
}).refine((q) => q.id === undefined || q.entity !== undefined, {
  message: "id needs an entity",
  path: ["id"],
});
export type AuditQuery = z.infer<typeof AuditQuerySchema>;

export const AuditPageSchema = pageSchema(AuditEntryDtoSchema);
