// The error body of every HTTP answer that is not a success, and the stable codes it carries.
// `code` is for programs (the console turns it into a sentence in the UI language), `message`
// is an English explanation for logs and API users, `details` are typed facts for the sentence.
import { z } from "zod";
import { CaseStatusSchema, UserRoleSchema } from "./domain.ts";

export const ERROR_CODES = [
  "bad_request",
  "unauthorized",
  "forbidden",
  "not_found",
  "too_large",
  "unsupported_media_type",
  "rate_limited",
  "conflict",
  "illegal_transition",
  "offer_closed",
  "not_assigned",
  "idempotency_mismatch",
  "unavailable",
  "internal",
] as const;
export const ErrorCodeSchema = z.enum(ERROR_CODES);
export type ErrorCode = z.infer<typeof ErrorCodeSchema>;

/** HTTP status of each code, mapped once. */
export const ERROR_STATUS: Record<ErrorCode, number> = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  conflict: 409,
  illegal_transition: 409,
  offer_closed: 409,
  not_assigned: 403,
  /** An Idempotency-Key sent again with a different request (draft-ietf-httpapi-idempotency-key-header). */
  idempotency_mismatch: 422,
  unavailable: 503,
  internal: 500,
};

/** What a `not_found` error was looking for. */
export const ERROR_ENTITIES = [
  "case",
  "offer",
  "responder",
  "resident",
  "alert",
  "device",
  "endpoint",
] as const;

/**
 * Typed facts of an error, for a sentence in the UI language; each one is optional and an error
 * carries those that apply. Unknown keys pass through (a newer server may send more).
 */
export const ErrorDetailsSchema = z
  .object({
    /** bad_request (and a register's 409): the fields that failed, by path, with the rule broken. */
    fields: z
      .array(
        z.object({ path: z.string(), code: z.string(), message: z.string(), rule: z.string().optional() }),
      )
      .optional(),
    /** A register's rule that the request broke (registers.rule.* in the console). */
    rule: z.string().optional(),
    /** illegal_transition, offer_closed: the case's status, and what was asked of it. */
    status: CaseStatusSchema.optional(),
    action: z.string().optional(),
    /** not_found: what was looked for, and its id. */
    entity: z.enum(ERROR_ENTITIES).optional(),
    id: z.union([z.number(), z.string()]).optional(),
    /** forbidden: the roles that may do it. */
    roles: z.array(UserRoleSchema).optional(),
  })
  .catchall(z.unknown());
export type ErrorDetails = z.infer<typeof ErrorDetailsSchema>;

export const ApiErrorSchema = z.object({
  error: z.object({
    code: ErrorCodeSchema,
    message: z.string(),
    details: ErrorDetailsSchema.optional(),
  }),
});
export type ApiErrorBody = z.infer<typeof ApiErrorSchema>;
