// Pure: one sheet row → a resident to enrol (and maybe a device), or the reasons it cannot be.
// Cells are text as the sheet shows it; the same zod schemas and register rules as a single
// enrolment apply, so a row that passes here passes there.
import {
  CalendarDateSchema,
  ContactInputSchema,
  DEFAULT_IMPORT_LIVING_SITUATION,
  DeviceIdSchema,
  IMPORT_COLUMNS,
  IMPORT_WORDS,
  ResidentInputSchema,
  normalizePhone,
  type DeviceKind,
  type ImportColumn,
  type ImportIssue,
  type ImportIssueCode,
  type ResidentInput,
  type ServiceArea,
} from "../../protocol/index.ts";
import { residentProblems, type ResidentProblem } from "../residents/rules.ts";

export type SheetRow = { row: number; cells: Partial<Record<ImportColumn, string>> };

export interface ImportContext {
  /** Community (by name as the sheet writes it) → its id, centre and grids by name. */
  communities: Map<string, { id: number; lat: number; lng: number; grids: Map<string, number> }>;
  /** Communities the importing user may enrol into; null = all. */
  scope: readonly number[] | null;
  area: ServiceArea | null;
  today: string;
}

export interface ParsedRow {
  row: number;
  resident: ResidentInput;
  device: { id: string | null; kind: DeviceKind } | null;
  /** No coordinates in the sheet: the home is placed at the community's centre. */
  locatedAtCommunity: boolean;
}

export type RowResult = { ok: true; value: ParsedRow } | { ok: false; issues: ImportIssue[] };

const LIST_SEPARATORS = /[、,，;；/\n]+/;
const CONTACT_SEPARATORS = /[;；\n]+|[、](?=\D)/;
const PROBLEM_COLUMN: Partial<Record<ResidentProblem["field"], ImportColumn>> = {
  communityId: "community",
  gridId: "grid",
  lat: "lat",
  birthDate: "birthDate",
};

/** The words of a closed set, matched ignoring case and spaces. */
function word<K extends string>(words: Record<K, readonly string[]>, raw: string): K | null {
  const v = raw.replace(/\s+/g, "").toLowerCase();
  for (const [key, list] of Object.entries(words) as [K, readonly string[]][]) {
    if (list.some((w) => w.replace(/\s+/g, "").toLowerCase() === v)) return key;
  }
  return null;
}

/** 1938-04-12, 1938/4/12, 1938.4.12, 1938年4月12日, 19380412 → 1938-04-12; anything else null. */
export function parseDate(raw: string): string | null {
  const m =
    /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$/.exec(raw.trim()) ??
    /^(\d{4})(\d{2})(\d{2})$/.exec(raw.trim());
  if (!m) return null;
  const date = `${m[1]}-${m[2]!.padStart(2, "0")}-${m[3]!.padStart(2, "0")}`;
  return CalendarDateSchema.safeParse(date).success ? date : null;
}

/** "李强 儿子 13900000000；王芳 女儿 0917-1234567" → contacts; null when one entry has no valid phone or name. */
export function parseContacts(raw: string): { name: string; relation: string; phone: string }[] | null {
  const entries = raw
    .split(CONTACT_SEPARATORS)
    .map((e) => e.trim())
    .filter(Boolean);
  if (entries.length === 0) return null;
  const out = [];
  for (const entry of entries) {
    // The phone is the entry's tail (it may hold spaces, dashes, brackets); name and relation lead.
    const m = /^(.*?)[\s,，:：]*((?:\+?86)?[\d\s()（）-]{7,})$/.exec(entry);
    const phone = m ? normalizePhone(m[2]!) : null;
    if (!m || phone === null) return null;
    const words = m[1]!.split(/[\s,，:：]+/).filter(Boolean);
    const contact = ContactInputSchema.safeParse({
      name: words[0],
      relation: words.slice(1).join(" ") || "联系人",
      phone,
    });
    if (!contact.success) return null;
    out.push(contact.data);
  }
  return out;
}

const list = (raw: string | undefined) =>
  (raw ?? "")
    .split(LIST_SEPARATORS)
    .map((s) => s.trim())
    .filter(Boolean);

const columnOf = (key: ImportColumn) => IMPORT_COLUMNS.find((c) => c.key === key)!;

export function parseRow(sheet: SheetRow, ctx: ImportContext): RowResult {
  const issues: ImportIssue[] = [];
  const issue = (
    column: ImportColumn | null,
    code: ImportIssueCode,
    message: string,
    details?: Record<string, unknown>,
  ) => issues.push({ row: sheet.row, column, code, message, ...(details ? { details } : {}) });
  const cell = (key: ImportColumn) => (sheet.cells[key] ?? "").trim();

  for (const c of IMPORT_COLUMNS)
    if (c.required && cell(c.key) === "") issue(c.key, "required", `${c.en} is required`);
  const has = (key: ImportColumn) => cell(key) !== "";

  const gender = has("gender") ? word(IMPORT_WORDS.gender, cell("gender")) : null;
  if (has("gender") && !gender)
    issue("gender", "invalid_gender", "gender is 男/女 (male/female)", { value: cell("gender") });
  const birthDate = has("birthDate") ? parseDate(cell("birthDate")) : null;
  if (has("birthDate") && !birthDate)
    issue("birthDate", "invalid_date", "a birth date such as 1938-04-12", { value: cell("birthDate") });
  const phone = has("phone") ? normalizePhone(cell("phone")) : null;
  if (has("phone") && !phone)
    issue("phone", "invalid_phone", "a mainland mobile or a landline with its area code", {
      value: cell("phone"),
    });
  const living = has("livingSituation")
    ? word(IMPORT_WORDS.livingSituation, cell("livingSituation"))
    : DEFAULT_IMPORT_LIVING_SITUATION;
  if (!living)
    issue("livingSituation", "invalid_living_situation", "独居/空巢/失能/与家人同住", {
      value: cell("livingSituation"),
    });
  const contacts = has("contacts") ? parseContacts(cell("contacts")) : null;
  if (has("contacts") && !contacts) {
    issue("contacts", "invalid_contacts", "each contact as: name relation phone; separated by ；", {
      value: cell("contacts"),
    });
  }

  const community = has("community") ? ctx.communities.get(cell("community")) : undefined;
  if (has("community") && !community)
    issue("community", "unknown_community", "no community of that name", { value: cell("community") });
  else if (community && ctx.scope !== null && !ctx.scope.includes(community.id)) {
    issue("community", "out_of_scope", "you may not enrol residents of this community", {
      value: cell("community"),
    });
  }
  const gridId = community && has("grid") ? community.grids.get(cell("grid")) : undefined;
  if (community && has("grid") && gridId === undefined) {
    issue("grid", "unknown_grid", "no grid of that name in the community", {
      value: cell("grid"),
      community: cell("community"),
    });
  }

  let located = { lat: community?.lat ?? 0, lng: community?.lng ?? 0, atCommunity: true };
  if (has("lat") || has("lng")) {
    const lat = Number(cell("lat"));
    const lng = Number(cell("lng"));
    if (!has("lat") || !has("lng") || !Number.isFinite(lat) || !Number.isFinite(lng)) {
      issue(
        has("lat") ? "lng" : "lat",
        "invalid_coordinates",
        "give both latitude and longitude as decimal degrees",
      );
    } else located = { lat, lng, atCommunity: false };
  }

  const kind = has("deviceKind")
    ? word(IMPORT_WORDS.deviceKind, cell("deviceKind"))
    : has("deviceId")
      ? "wall_button"
      : null;
  if (has("deviceKind") && !kind)
    issue("deviceKind", "invalid_device_kind", "墙挂按钮/腕式按钮/挂件", { value: cell("deviceKind") });
  const deviceId = has("deviceId") ? cell("deviceId") : null;
  if (deviceId !== null && !DeviceIdSchema.safeParse(deviceId).success) {
    issue("deviceId", "invalid_device_id", "letters, digits, '-' and '_', 3–64 characters", {
      value: deviceId,
    });
  }
  if (issues.length > 0) return { ok: false, issues };

  const parsed = ResidentInputSchema.safeParse({
    name: cell("name"),
    gender,
    birthDate,
    phone,
    address: cell("address"),
    lat: located.lat,
    lng: located.lng,
    communityId: community!.id,
    gridId,
    livingSituation: living,
    conditions: list(sheet.cells.conditions),
    medicines: list(sheet.cells.medicines),
    emergencyContacts: contacts,
    keyHolder: has("keyHolder") ? cell("keyHolder") : null,
  });
  if (!parsed.success) {
    for (const i of parsed.error.issues) {
      const column = IMPORT_COLUMNS.find((c) => c.key === i.path[0])?.key ?? null;
      issue(column, i.code === "too_big" ? "too_long" : "required", i.message);
    }
    return { ok: false, issues };
  }
  for (const p of residentProblems(parsed.data, {
    gridCommunityId: community!.id,
    communityExists: true,
    area: ctx.area,
    today: ctx.today,
  })) {
    const column = PROBLEM_COLUMN[p.field] ?? null;
    const code: ImportIssueCode =
      p.rule === "outside_service_area" || p.rule === "future_date" || p.rule === "invalid_date"
        ? p.rule
        : "required";
    issue(column, code, p.rule, column ? { value: cell(column) } : undefined);
  }
  if (issues.length > 0) return { ok: false, issues };
  return {
    ok: true,
    value: {
      row: sheet.row,
      resident: parsed.data,
      device: kind ? { id: deviceId, kind } : null,
      locatedAtCommunity: located.atCommunity,
    },
  };
}

/** The header a column has in a language. */
export function headerOf(key: ImportColumn, lang: "zh-CN" | "en"): string {
  const c = columnOf(key);
  return lang === "en" ? c.en : c.zh;
}
