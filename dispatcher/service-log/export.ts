// The service log as a sheet: one row per entry, newest first; headers and kinds in the asked
// language, taken from the console's locale files (the screen and the file say the same), times in
// the platform's zone with their offset.
import {
  formatZoned,
  hoursOfMinutes,
  type ServiceLogEntry,
  type ServiceLogKind,
  type UiLanguage,
} from "../../protocol/index.ts";
import en from "../../console/src/locales/en/index.ts";
import zhCN from "../../console/src/locales/zh-CN/index.ts";
import type { SheetCell, SheetTable } from "../sheet-file.ts";

const COLUMNS = [
  "at",
  "kind",
  "resident",
  "community",
  "grid",
  "place",
  "responder",
  "content",
  "hours",
  "caseId",
  "serviceOrderId",
] as const;

interface LogTexts {
  title: string;
  column: Readonly<Record<(typeof COLUMNS)[number], string>>;
  kind: Readonly<Record<ServiceLogKind, string>>;
}

const TEXTS: Readonly<Record<UiLanguage, LogTexts>> = {
  "zh-CN": zhCN.care.log,
  en: en.care.log,
};

const WIDTHS = [24, 12, 10, 14, 12, 28, 10, 40, 12, 10, 10];

export function serviceLogTable(
  entries: readonly ServiceLogEntry[],
  lang: UiLanguage,
  timeZone: string,
): SheetTable {
  const t = TEXTS[lang];
  const row = (e: ServiceLogEntry): SheetCell[] => [
    formatZoned(Date.parse(e.at), timeZone),
    t.kind[e.kind],
    e.residentName,
    e.communityName,
    e.gridName,
    e.place,
    e.responderName,
    e.content,
    e.minutes === null ? null : hoursOfMinutes(e.minutes),
    e.caseId,
    e.serviceOrderId,
  ];
  return { title: t.title, header: COLUMNS.map((c) => t.column[c]), rows: entries.map(row), widths: WIDTHS };
}
