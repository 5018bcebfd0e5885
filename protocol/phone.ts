// Phone numbers as the platform stores them, defined once: mainland mobiles (1[3-9] + 9 digits)
// and landlines with their area code (0 + 2–3 digits, then a 7–8 digit local number). People
// type them with spaces, dashes, brackets or a +86 prefix; the stored form is normalised:
// "13912345678" for a mobile, "0917-3456789" for a landline. Pure; the console validates with it too.
import { z } from "zod";

/** Area codes with three digits (010 Beijing, 02x big cities); every other area code has four. */
const THREE_DIGIT_AREA = /^0(10|2\d)/;

/** The normalised number, or null when it is neither a mainland mobile nor a landline. */
export function normalizePhone(raw: string): string | null {
  let digits = raw.trim().replace(/[\s()（）-]/g, "");
  if (digits.startsWith("+86")) digits = digits.slice(3);
  else if (digits.startsWith("0086")) digits = digits.slice(4);
  if (!/^\d+$/.test(digits)) return null;
  if (/^1[3-9]\d{9}$/.test(digits)) return digits;
  if (!digits.startsWith("0")) return null;
  const areaLength = THREE_DIGIT_AREA.test(digits) ? 3 : 4;
  const local = digits.slice(areaLength);
  if (!/^\d{7,8}$/.test(local) || local.startsWith("0")) return null;
  return `${digits.slice(0, areaLength)}-${local}`;
}

/** Only the digits, for search: "0917-3456789" → "09173456789". */
export function phoneDigits(phone: string): string {
  return phone.replace(/\D/g, "");
}

/** The message of an invalid phone number; the console shows its own sentence for it. */
export const INVALID_PHONE = "a mainland mobile (1[3-9] + 9 digits) or a landline with its area code";

/** A phone number as typed → its normalised form; anything else is a validation error. */
export const PhoneSchema = z.string().transform((raw, ctx) => {
  const phone = normalizePhone(raw);
  if (phone === null) {
    ctx.addIssue({ code: "custom", message: INVALID_PHONE, params: { rule: "phone" } });
    return z.NEVER;
  }
  return phone;
});
