// The CSV's words in each UI language, taken from the console's locale files: one set of texts
// for the screen and the spreadsheet, so the two can never disagree.
import type { UiLanguage } from "../../protocol/index.ts";
import en from "../../console/src/locales/en/index.ts";
import zhCN from "../../console/src/locales/zh-CN/index.ts";
import type { CsvTexts } from "./csv.ts";

type Locale = typeof zhCN;

function csvTexts(l: Locale): CsvTexts {
  return {
    headers: l.kpi.csv,
    caseType: l.caseType,
    caseKind: l.caseKind,
    caseStatus: l.caseStatus,
    callDirection: l.callDirection,
    callParty: l.callParty,
    callOutcome: l.callOutcome,
    yes: l.common.yes,
    no: l.common.no,
  };
}

export const CSV_TEXTS: Readonly<Record<UiLanguage, CsvTexts>> = {
  "zh-CN": csvTexts(zhCN),
  en: csvTexts(en),
};
