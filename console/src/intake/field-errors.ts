// A refused intake's fields with their sentences: the intake's own rules in its words, the rest
// (lengths, types) as the register forms say them.
import i18n from "../i18n.ts";
import { ApiError } from "../api.ts";
import { serverFieldErrors, type FieldErrors } from "../registers/field-errors.ts";
import texts from "../locales/zh-CN/intake.json" with { type: "json" };

type IntakeRule = keyof typeof texts.intake.rule;
const isIntakeRule = (rule: unknown): rule is IntakeRule =>
  typeof rule === "string" && rule in texts.intake.rule;

export function intakeFieldErrors(err: unknown): FieldErrors {
  const out = serverFieldErrors(err);
  if (!(err instanceof ApiError) || !Array.isArray(err.details?.fields)) return out;
  for (const f of err.details.fields as { path: string; rule?: unknown }[]) {
    if (isIntakeRule(f.rule)) out[f.path] = i18n.t(`intake.rule.${f.rule}`);
  }
  return out;
}
