// The per-case CSV export of a report period. Pure: the words come in `texts` (the console's own
// locale files, so a spreadsheet says what the screen says), times in the platform's zone.
import {
  formatZoned,
  type CallDirection,
  type CallOutcome,
  type CallParty,
  type CaseKind,
  type CaseStatus,
} from "../../protocol/index.ts";
import type { CaseTiming, KpiCall } from "./kpis.ts";

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
  "calls",
] as const;
export type CsvColumn = (typeof CSV_COLUMNS)[number];

export interface CsvTexts {
  headers: Readonly<Record<CsvColumn, string>>;
  caseType: Readonly<Record<string, string>>;
  caseKind: Readonly<Record<CaseKind, string>>;
  caseStatus: Readonly<Record<CaseStatus, string>>;
  callDirection: Readonly<Record<CallDirection, string>>;
  callParty: Readonly<Record<CallParty, string>>;
  callOutcome: Readonly<Record<CallOutcome, string>>;
  yes: string;
  no: string;
}

const quote = (v: string) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

export function toCsv(
  rows: readonly CaseTiming[],
  calls: readonly KpiCall[],
  texts: CsvTexts,
  timeZone: string,
): string {
  const time = (ms: number | null) => (ms === null ? "" : formatZoned(ms, timeZone));
  const byCase = new Map<number, KpiCall[]>();
  for (const c of calls) byCase.set(c.caseId, [...(byCase.get(c.caseId) ?? []), c]);
  // All of a case's calls in one cell, oldest first: "time direction party number outcome; …".
  const callsCell = (caseId: number) =>
    (byCase.get(caseId) ?? [])
      .map((c) =>
        [
          time(c.at),
          texts.callDirection[c.direction],
          texts.callParty[c.party],
          c.number ?? "",
          texts.callOutcome[c.outcome],
        ]
          .filter(Boolean)
          .join(" "),
      )
      .join("; ");
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
      callsCell(r.caseId),
    ]
      .map(quote)
      .join(","),
  );
  return "\uFEFF" + [header, ...lines].join("\n") + "\n"; // BOM: Excel opens UTF-8 Chinese correctly
}
