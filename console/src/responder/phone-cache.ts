// The phone's last known state, kept on the device so a reload without network still shows the
// duty, the job and the resident's essentials ("上次同步 hh:mm"). One copy per responder.
import { z } from "zod";
import {
  CaseDetailSchema,
  ResponderMeSchema,
  type CaseDetail,
  type ResponderMe,
} from "../../../protocol/api.ts";

const CachedSchema = z.object({
  me: ResponderMeSchema,
  syncedAt: z.number(),
  /** The active job's resident file (phone, conditions, key holder, contacts). */
  resident: CaseDetailSchema.shape.resident.nullable(),
});
export type CachedPhone = z.infer<typeof CachedSchema>;

const key = (responderId: number) => `eldercare.phone.${responderId}`;

export function loadCache(responderId: number): CachedPhone | null {
  try {
    const raw = localStorage.getItem(key(responderId));
    if (!raw) return null;
    const parsed = CachedSchema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export function saveCache(
  responderId: number,
  me: ResponderMe,
  syncedAt: number,
  resident: CaseDetail["resident"] | null,
): void {
  // Offers expire within a minute: an old copy would only mislead.
  const value: CachedPhone = { me: { ...me, offers: [] }, syncedAt, resident };
  try {
    localStorage.setItem(key(responderId), JSON.stringify(value));
  } catch {
    // Storage full or private mode: the phone works, it just cannot show this offline.
  }
}

export function clearCache(responderId: number): void {
  try {
    localStorage.removeItem(key(responderId));
  } catch {
    // Nothing to clear.
  }
}
