// Pure rules of the resident register: when two records are the same person, what a birth date
// may be, what the search text of a resident holds, and who may change which fields.
import {
  RESIDENT_CARE_FIELDS,
  RESIDENT_IDENTITY_FIELDS,
  RESIDENT_PAIRING_FIELDS,
  isInServiceArea,
  phoneDigits,
  type Permission,
  type ResidentInput,
  type ResidentPatch,
  type ResidentRule,
  type ServiceArea,
} from "../../protocol/index.ts";

/** The stored fields of a resident (birthDate "" for a record that only knows the year). */
type ResidentFields = ResidentInput;

/** Spaces and full-width forms do not make another address: "经二路 12号" = "经二路12号". */
export function normalizeAddress(address: string): string {
  return address.normalize("NFKC").replace(/\s+/g, "").toLowerCase();
}

/** Same name, birth date and address: the same person, enrolled twice. */
export function duplicateKey(r: { name: string; birthDate: string; address: string }): string {
  return [r.name.normalize("NFKC").replace(/\s+/g, ""), r.birthDate, normalizeAddress(r.address)].join("|");
}

/** The rows whose key another row of the list already has (first seen wins): row index → that index. */
export function duplicatesWithin<T>(rows: readonly T[], key: (row: T) => string | null): Map<number, number> {
  const first = new Map<string, number>();
  const dup = new Map<number, number>();
  rows.forEach((row, i) => {
    const k = key(row);
    if (k === null) return;
    const seen = first.get(k);
    if (seen === undefined) first.set(k, i);
    else dup.set(i, seen);
  });
  return dup;
}

/** Why a birth date cannot be right, or null: in the future, or older than anyone alive. */
export function birthDateProblem(birthDate: string, today: string): "future_date" | "invalid_date" | null {
  if (birthDate > today) return "future_date";
  const years = Number(today.slice(0, 4)) - Number(birthDate.slice(0, 4));
  return years > 125 ? "invalid_date" : null;
}

/** Today's date (YYYY-MM-DD) in a time zone: birth dates are compared with the local calendar. */
export function localDate(at: number, timeZone: string): string {
  return new Intl.DateTimeFormat("en-CA", {
    timeZone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  }).format(at);
}

/** Characters that never occur in a query: fields are joined with it, so no match spans two. */
export const SEARCH_SEPARATOR = "|";

/**
 * What `q` may match, lower case: name, address, phones as stored and as digits, contacts' phones.
 * (Device ids are matched in the device table.)
 */
export function searchText(r: {
  name: string;
  phone: string;
  address: string;
  contactPhones: readonly string[];
}): string {
  const phones = [r.phone, ...r.contactPhones].flatMap((p) => [p, phoneDigits(p)]);
  return [r.name, r.address, ...phones]
    .map((s) => s.normalize("NFKC").toLowerCase().replaceAll(SEARCH_SEPARATOR, " "))
    .join(SEARCH_SEPARATOR);
}

/**
 * The query as the search text holds it: lower case; a phone typed with spaces, dashes or a
 * +86 prefix becomes its digits. Null for a query that matches everything.
 */
export function searchTerm(q: string | undefined): string | null {
  if (q === undefined) return null;
  let term = q.normalize("NFKC").trim().toLowerCase().replaceAll(SEARCH_SEPARATOR, "");
  if (/^\+?[\d\s()-]+$/.test(term) && /\d/.test(term)) {
    term = phoneDigits(term.replace(/^\+86/, ""));
  }
  return term === "" ? null : term;
}

/** What a change needs: identity → resident.enrol, care facts → resident.care, pairing → resident.pairing. */
export function permissionsForPatch(patch: ResidentPatch): Permission[] {
  const touched = (fields: readonly string[]) => fields.some((f) => f in patch);
  const needed: Permission[] = [];
  if (touched(RESIDENT_IDENTITY_FIELDS)) needed.push("resident.enrol");
  if (touched(RESIDENT_CARE_FIELDS)) needed.push("resident.care");
  if (touched(RESIDENT_PAIRING_FIELDS)) needed.push("resident.pairing");
  return needed;
}

/** What the record refers to, looked up by the caller. */
export interface ResidentContext {
  /** The grid's community, or null when there is no such grid. */
  gridCommunityId: number | null;
  communityExists: boolean;
  area: ServiceArea | null;
  /** Today in the platform's time zone, YYYY-MM-DD. */
  today: string;
  /** The paired volunteer, when one is named: null when there is no such responder in service. */
  volunteer?: { communityId: number } | null;
}

export interface ResidentProblem {
  field: keyof ResidentFields;
  rule: ResidentRule;
}

/** Everything wrong with a record beyond its fields' shapes (those are checked by the zod schema). */
export function residentProblems(f: ResidentFields, ctx: ResidentContext): ResidentProblem[] {
  const problems: ResidentProblem[] = [];
  if (!ctx.communityExists) problems.push({ field: "communityId", rule: "unknown_community" });
  else if (ctx.gridCommunityId !== f.communityId)
    problems.push({ field: "gridId", rule: "grid_not_in_community" });
  if (ctx.area && !isInServiceArea(ctx.area, f))
    problems.push({ field: "lat", rule: "outside_service_area" });
  if (f.birthDate !== "") {
    const date = birthDateProblem(f.birthDate, ctx.today);
    if (date) problems.push({ field: "birthDate", rule: date });
  }
  if (f.pairedVolunteerId !== null && ctx.volunteer === null) {
    problems.push({ field: "pairedVolunteerId", rule: "unknown_volunteer" });
  }
  return problems;
}
