// A report as a sheet (CSV or XLSX): one row per community, grid or responder and a total, then
// the period's series; headers in the asked language, days in the platform's time zone.
import type { Report, ReportFigures } from "../../protocol/index.ts";
import { sheetFile, type SheetFormat, type SheetTable } from "../sheet-file.ts";

type Lang = "zh-CN" | "en";

const COLUMNS: readonly { zh: string; en: string; value: (f: ReportFigures) => number | string | null }[] = [
  { zh: "报警总数", en: "Alarms", value: (f) => f.alarms },
  { zh: "紧急呼叫", en: "SOS", value: (f) => f.byType.sos ?? 0 },
  { zh: "跌倒", en: "Falls", value: (f) => f.byType.fall ?? 0 },
  { zh: "突发疾病", en: "Medical", value: (f) => f.byType.medical ?? 0 },
  { zh: "上门探视", en: "Welfare checks", value: (f) => f.byType.welfare_check ?? 0 },
  { zh: "服务请求", en: "Service requests", value: (f) => f.byType.service_request ?? 0 },
  { zh: "误报/取消", en: "False alarms", value: (f) => f.falseAlarms },
  { zh: "升级", en: "Escalations", value: (f) => f.escalations },
  { zh: "按键到派单 P50（秒）", en: "Press to offer P50 (s)", value: (f) => f.pressToOfferP50 },
  { zh: "按键到派单 P90（秒）", en: "Press to offer P90 (s)", value: (f) => f.pressToOfferP90 },
  { zh: "按键到接单 P50（秒）", en: "Press to accept P50 (s)", value: (f) => f.pressToAcceptP50 },
  { zh: "按键到接单 P90（秒）", en: "Press to accept P90 (s)", value: (f) => f.pressToAcceptP90 },
  { zh: "按键到到场 P50（秒）", en: "Press to on scene P50 (s)", value: (f) => f.pressToSceneP50 },
  { zh: "按键到到场 P90（秒）", en: "Press to on scene P90 (s)", value: (f) => f.pressToSceneP90 },
  { zh: "60 秒内接单（%）", en: "Accepted within 60 s (%)", value: (f) => f.acceptedWithin60sPct },
  { zh: "15 分钟内到场（%）", en: "On scene within 15 min (%)", value: (f) => f.onSceneWithin15minPct },
  { zh: "45 分钟内到场（%）", en: "On scene within 45 min (%)", value: (f) => f.onSceneWithin45minPct },
  { zh: "设备问题", en: "Device problems", value: (f) => f.deviceProblems },
  { zh: "服务时长（小时）", en: "Service hours", value: (f) => f.serviceHours },
];

const GROUP_LABEL = {
  community: { zh: "社区", en: "Community" },
  grid: { zh: "网格", en: "Grid" },
  responder: { zh: "人员", en: "Responder" },
} as const;
const PERIOD_LABEL = {
  day: { zh: "日期", en: "Day" },
  week: { zh: "周（周一）", en: "Week (Monday)" },
  month: { zh: "月份", en: "Month" },
} as const;

const pick = (l: { zh: string; en: string }, lang: Lang) => (lang === "en" ? l.en : l.zh);

/** The two tables of a report: by group (with a total row) and by period. */
export function reportTables(r: Report, lang: Lang): SheetTable[] {
  const values = (f: ReportFigures) => COLUMNS.map((c) => c.value(f));
  return [
    {
      title: pick(GROUP_LABEL[r.group], lang),
      header: [pick(GROUP_LABEL[r.group], lang), ...COLUMNS.map((c) => pick(c, lang))],
      rows: [
        ...r.rows.map((row) => [row.name, ...values(row.figures)]),
        [lang === "en" ? "Total" : "合计", ...values(r.total)],
      ],
    },
    {
      title: pick(PERIOD_LABEL[r.period], lang),
      header: [pick(PERIOD_LABEL[r.period], lang), ...COLUMNS.map((c) => pick(c, lang))],
      rows: r.series.map((s) => [s.bucket, ...values(s.figures)]),
    },
  ];
}

export function reportSheet(r: Report, lang: Lang, format: SheetFormat): Promise<Buffer> {
  return sheetFile(reportTables(r, lang), format);
}
