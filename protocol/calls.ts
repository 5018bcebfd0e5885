// REST DTOs of the phone calls recorded on a case.
import { z } from "zod";
import { ActorTypeSchema, CallDirectionSchema, CallOutcomeSchema, CallPartySchema } from "./domain.ts";
import { id, isoDate } from "./wire.ts";

/** Digits with an optional leading +, spaces and dashes as people type them; 120 and 110 included. */
export const DialledNumberSchema = z
  .string()
  .trim()
  .regex(/^\+?[0-9][0-9 -]{1,24}$/, "a phone number has digits, spaces and dashes only");

export const CallRequestSchema = z.object({
  direction: CallDirectionSchema,
  party: CallPartySchema,
  number: DialledNumberSchema.optional(),
  /** Who was called or called in (the daughter's name, the neighbour's). */
  name: z.string().trim().min(1).max(40).optional(),
  outcome: CallOutcomeSchema,
  note: z.string().max(2000).optional(),
});
export type CallRequest = z.infer<typeof CallRequestSchema>;

export const CallDtoSchema = z.object({
  id,
  caseId: id,
  at: isoDate,
  direction: CallDirectionSchema,
  party: CallPartySchema,
  number: z.string().nullable(),
  name: z.string().nullable(),
  outcome: CallOutcomeSchema,
  note: z.string().nullable(),
  actorType: ActorTypeSchema,
  actorId: z.string().nullable(),
  actorName: z.string().nullable(),
});
export type CallDto = z.infer<typeof CallDtoSchema>;
