// What a family notice says (pure), in the member's language; the words come from the family
// view's own translations (console/src/locales/*/family.json), so notice and app never disagree.
import type { CaseSummary, FamilyStage } from "../../protocol/index.ts";
import zhFamily from "../../console/src/locales/zh-CN/family.json" with { type: "json" };
import enFamily from "../../console/src/locales/en/family.json" with { type: "json" };
import zhCase from "../../console/src/locales/zh-CN/case.json" with { type: "json" };
import enCase from "../../console/src/locales/en/case.json" with { type: "json" };

export type NoticeLanguage = "zh-CN" | "en";

const TEXTS = {
  "zh-CN": { ...zhFamily, caseType: zhCase.caseType },
  en: { ...enFamily, caseType: enCase.caseType },
} as const;

const fill = (template: string, vars: Record<string, string>): string =>
  template.replace(/\{\{(\w+)\}\}/g, (_, k: string) => vars[k] ?? "");

export interface Notice {
  title: string;
  body: string;
}

/** The notice of one stage of a case: who is coming and when, or how it ended. */
export function caseNotice(lang: NoticeLanguage, c: CaseSummary, stage: FamilyStage): Notice {
  const t = TEXTS[lang];
  const vars = {
    resident: c.residentName,
    type: t.caseType[c.type],
    responder: c.responderName ?? "",
    minutes: c.etaSeconds === null ? "?" : String(Math.max(1, Math.round(c.etaSeconds / 60))),
    stage: t.familyStage[stage],
  };
  const away = c.location?.away ? t.familyNotice.away : "";
  return { title: fill(t.familyNotice.title, vars), body: fill(t.familyNotice[stage], vars) + away };
}

/** The SMS with a sign-in code. */
export function codeText(lang: NoticeLanguage, code: string, minutes: number): string {
  return fill(TEXTS[lang].familyNotice.code, { code, minutes: String(minutes) });
}
