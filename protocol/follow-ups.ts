// REST DTOs of follow-up calls still to make (回访任务).
import { z } from "zod";
import {
  FollowUpTaskReasonSchema,
  FollowUpTaskStatusSchema,
  PrioritySchema,
  CaseTypeSchema,
} from "./domain.ts";
import { id, isoDate } from "./wire.ts";

export const FollowUpTaskSchema = z.object({
  id,
  caseId: id,
  reason: FollowUpTaskReasonSchema,
  status: FollowUpTaskStatusSchema,
  /** 1 for the first call after the visit, 2 for the first retry… */
  attempt: z.number().int(),
  dueAt: isoDate,
  createdAt: isoDate,
  residentName: z.string(),
  residentPhone: z.string(),
  communityName: z.string(),
  caseType: CaseTypeSchema,
  priority: PrioritySchema,
});
export type FollowUpTask = z.infer<typeof FollowUpTaskSchema>;

export const FollowUpListQuerySchema = z.object({
  /** Only tasks due before this instant (e.g. now: what is due or overdue). */
  dueBefore: isoDate.optional(),
});
export type FollowUpListQuery = z.infer<typeof FollowUpListQuerySchema>;
