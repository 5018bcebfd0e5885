// Field-by-field messages in the UI language, from the same zod schemas the server checks with
// (inline, as people type) and from a 400/409's details (what only the server can know).
import type { z } from "zod";
import i18n from "../i18n.ts";
import { ApiError } from "../api.ts";

/** path ("phone", "emergencyContacts.0.phone") → message. */
export type FieldErrors = Record<string, string>;

interface Issue {
  path: string;
  code: string;
  rule?: string;
}

const INVALID = [
  "too_small",
  "too_big",
  "invalid_type",
  "invalid_value",
  "invalid_format",
  "unrecognized_keys",
] as const;

function sentence(issue: Issue, facts: Record<string, unknown> = {}): string {
  if (issue.rule) return i18n.t(`registers.rule.${issue.rule}` as "registers.rule.phone", facts);
  const code = (INVALID as readonly string[]).includes(issue.code)
    ? (issue.code as (typeof INVALID)[number])
    : "other";
  return i18n.t(`registers.invalid.${code}`);
}

function collect(issues: Issue[], facts?: Record<string, unknown>): FieldErrors {
  const out: FieldErrors = {};
  for (const i of issues) out[i.path] ??= sentence(i, facts);
  return out;
}

/** Checks a form's value with a protocol schema; {} when it passes. */
export function validate(schema: z.ZodType, value: unknown): FieldErrors {
  const r = schema.safeParse(value);
  if (r.success) return {};
  return collect(
    r.error.issues.map((i) => {
      const rule = (i as { params?: { rule?: unknown } }).params?.rule;
      return { path: i.path.join("."), code: i.code, ...(typeof rule === "string" ? { rule } : {}) };
    }),
  );
}

/** The fields a server error names (400 details.fields, or a 409's rule on a field), with their sentences. */
export function serverFieldErrors(err: unknown): FieldErrors {
  if (!(err instanceof ApiError) || !err.details) return {};
  const fields = Array.isArray(err.details.fields) ? (err.details.fields as Issue[]) : [];
  return collect(fields, err.details);
}

/** A server error as one sentence: a broken rule says which, else the generic error text. */
export function ruleText(err: unknown): string | null {
  if (!(err instanceof ApiError) || typeof err.details?.rule !== "string") return null;
  return i18n.t(`registers.rule.${err.details.rule}` as "registers.rule.phone", err.details);
}
