// What a simulated phone reads from the dispatcher (only the fields it uses), validated with zod,
// and the notes it leaves when it closes a visit.
import { z } from "zod";

export const CaseRefSchema = z.object({
  id: z.number().int(),
  status: z.string(),
  lat: z.number(),
  lng: z.number(),
  responderId: z.number().nullable(),
});
export type CaseRef = z.infer<typeof CaseRefSchema>;
export const OfferSchema = z.object({ id: z.number().int(), caseId: z.number().int(), case: CaseRefSchema });
export const WithdrawnSchema = z.object({ offerId: z.number().int() });
/** GET /api/responder/me — only the fields the phone uses. */
export const MeSchema = z.object({
  responder: z.object({ id: z.number().int(), lat: z.number().nullable(), lng: z.number().nullable() }),
  offers: z.array(OfferSchema),
  activeCase: CaseRefSchema.nullable(),
});

/** Notes a responder leaves when closing a visit (demo content for the Chinese console). */
export const VISIT_NOTES = [
  "已上门查看，老人情况稳定",
  "协助老人起身，无明显外伤",
  "已联系家属，老人情绪平稳",
  "误触按钮，已确认老人安全",
  "送餐到户，老人已用餐",
];

export const DONE_STATUSES: ReadonlySet<string> = new Set(["resolved", "closed", "cancelled"]);
export type Me = z.infer<typeof MeSchema>;
