// The per-case CSV export of a report period. Pure: the words come in `texts` (the console's own
// locale files, so a spreadsheet says what the screen says), times in the platform's zone.
import { formatZoned, type CaseKind, type CaseStatus } from "../../protocol/index.ts";
import type { CaseTiming } from "./kpis.ts";

export const CSV_COLUMNS = [
  "caseId",
  "type",
  "kind",
  "status",
  "escalated",
  "resident",
  "community",
  "createdAt",
  "acceptedAt",
  "arrivedAt",
  "resolvedAt",
  "acceptSeconds",
  "onSceneSeconds",
] as const;
export type CsvColumn = (typeof CSV_COLUMNS)[number];

export interface CsvTexts {
  headers: Readonly<Record<CsvColumn, string>>;
  caseType: Readonly<Record<string, string>>;
  caseKind: Readonly<Record<CaseKind, string>>;
  caseStatus: Readonly<Record<CaseStatus, string>>;
  yes: string;
  no: string;
}

const quote = (v: string) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

export function toCsv(rows: readonly CaseTiming[], texts: CsvTexts, timeZone: string): string {
  const time = (ms: number | null) => (ms === null ? "" : formatZoned(ms, timeZone));
  const seconds = (ms: number | null, since: number) =>
    ms === null ? "" : String(Math.round((ms - since) / 1000));
  const header = CSV_COLUMNS.map((c) => quote(texts.headers[c])).join(",");
  const lines = rows.map((r) =>
    [
      String(r.caseId),
      texts.caseType[r.type] ?? r.type,
      texts.caseKind[r.kind],
      texts.caseStatus[r.status],
      r.escalated ? texts.yes : texts.no,
      r.residentName,
      r.communityName,
      time(r.createdAt),
      time(r.acceptedAt),
      time(r.arrivedAt),
      time(r.resolvedAt),
      seconds(r.acceptedAt, r.createdAt),
      seconds(r.arrivedAt, r.createdAt),
    ]
      .map(quote)
      .join(","),
  );
  return "\uFEFF" + [header, ...lines].join("\n") + "\n"; // BOM: Excel opens UTF-8 Chinese correctly
}
