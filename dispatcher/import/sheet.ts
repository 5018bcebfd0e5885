// Spreadsheets in and out of the import, through exceljs: a CSV (UTF-8, or GBK as Excel saves it
// on Chinese Windows) or XLSX file → rows of cell text keyed by column; the template; the
// installer's sheet of new device secrets.
import ExcelJS from "exceljs";
import { Readable } from "node:stream";
import {
  IMPORT_COLUMNS,
  IMPORT_WORDS,
  type ImportColumn,
  type ImportedDevice,
  type ImportIssue,
} from "../../protocol/index.ts";
import type { SheetRow } from "./rows.ts";

type Lang = "zh-CN" | "en";

/** A header as people write it: spaces, a required-marker star, case don't matter. */
const headerKey = (s: string) => s.replace(/[\s*＊]/g, "").toLowerCase();
const COLUMN_BY_HEADER = new Map<string, ImportColumn>(
  IMPORT_COLUMNS.flatMap((c) => [
    [headerKey(c.zh), c.key],
    [headerKey(c.en), c.key],
    [headerKey(c.key), c.key],
  ]),
);

const isZip = (b: Buffer) => b.length > 4 && b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04;

/** UTF-8 when it is valid UTF-8 (a BOM is dropped), else GBK. */
function decodeText(bytes: Buffer): string {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes).replace(/^\uFEFF/, "");
  } catch {
    return new TextDecoder("gbk").decode(bytes);
  }
}

/** A cell as the sheet shows it: dates as YYYY-MM-DD, numbers as written, rich text flattened. */
function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return "";
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === "object") {
    if ("richText" in value) return value.richText.map((r) => r.text).join("");
    if ("result" in value) return cellText(value.result);
    if ("text" in value) return String(value.text);
    return ""; // an error cell, or a shape of no use to the import
  }
  return String(value);
}

export type ReadSheet = { ok: true; rows: SheetRow[] } | { ok: false; issues: ImportIssue[] };

const sheetIssue = (
  code: ImportIssue["code"],
  message: string,
  details?: Record<string, unknown>,
): ImportIssue => ({
  row: 0,
  column: null,
  code,
  message,
  ...(details ? { details } : {}),
});

export async function readSheet(bytes: Buffer): Promise<ReadSheet> {
  const wb = new ExcelJS.Workbook();
  let ws: ExcelJS.Worksheet | undefined;
  try {
    if (isZip(bytes)) {
      await wb.xlsx.load(bytes as unknown as ArrayBuffer);
      ws = wb.worksheets[0];
    } else {
      // Keep every cell as the text it is: a phone 09173456789 must not become a number.
      ws = await wb.csv.read(Readable.from([decodeText(bytes)]), { map: (v: unknown) => v });
    }
  } catch (err) {
    return {
      ok: false,
      issues: [sheetIssue("unreadable_sheet", `not a CSV or XLSX file: ${(err as Error).message}`)],
    };
  }
  if (!ws) return { ok: false, issues: [sheetIssue("no_rows", "the file has no sheet")] };

  const raw: { row: number; values: string[] }[] = [];
  ws.eachRow({ includeEmpty: false }, (row, number) => {
    const values: string[] = [];
    row.eachCell({ includeEmpty: true }, (cell, col) => (values[col - 1] = cellText(cell.value).trim()));
    if (values.some((v) => v)) raw.push({ row: number, values });
  });
  const [header, ...body] = raw;
  if (!header) return { ok: false, issues: [sheetIssue("no_rows", "the sheet is empty")] };
  const columns = header.values.map((h) => COLUMN_BY_HEADER.get(headerKey(h ?? "")) ?? null);
  const missing = IMPORT_COLUMNS.filter((c) => c.required && !columns.includes(c.key));
  if (missing.length > 0) {
    return {
      ok: false,
      issues: missing.map((c) =>
        sheetIssue("missing_column", `the header row has no ${c.en} column`, { column: c.key, header: c.zh }),
      ),
    };
  }
  return {
    ok: true,
    rows: body.map(({ row, values }) => ({
      row,
      cells: Object.fromEntries(columns.flatMap((key, i) => (key === null ? [] : [[key, values[i] ?? ""]]))),
    })),
  };
}

const EXAMPLE: Record<ImportColumn, string> = {
  name: "王秀英",
  gender: IMPORT_WORDS.gender.female[0],
  birthDate: "1938-04-12",
  phone: "13912345678",
  address: "渭滨区经二路社区 12号楼 3单元 501",
  community: "经二路社区",
  grid: "第一网格",
  livingSituation: IMPORT_WORDS.livingSituation.alone[0],
  conditions: "高血压、糖尿病",
  medicines: "硝苯地平、二甲双胍",
  contacts: "王强 儿子 13800138000；李娟 女儿 0917-3456789",
  keyHolder: "邻居 张阿姨 501室对门",
  deviceId: "",
  deviceKind: IMPORT_WORDS.deviceKind.wall_button[0],
  lat: "",
  lng: "",
};

const headers = (lang: Lang) => IMPORT_COLUMNS.map((c) => (lang === "en" ? c.en : c.zh));

/** The import template: the header row to fill in, and an example sheet. */
export async function template(format: "xlsx" | "csv", lang: Lang): Promise<Buffer> {
  if (format === "csv") {
    const escape = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
    const lines = [headers(lang), IMPORT_COLUMNS.map((c) => EXAMPLE[c.key])].map((l) =>
      l.map(escape).join(","),
    );
    // A BOM, so Excel opens the UTF-8 file with its Chinese intact.
    return Buffer.from(`\uFEFF${lines.join("\r\n")}\r\n`, "utf8");
  }
  const wb = new ExcelJS.Workbook();
  const sheet = wb.addWorksheet(lang === "en" ? "Residents" : "居民");
  sheet.addRow(headers(lang)).font = { bold: true };
  sheet.columns.forEach((col) => (col.width = 16));
  // Text cells: a typed landline keeps its leading zero, a date stays as written.
  for (let i = 1; i <= IMPORT_COLUMNS.length; i++) sheet.getColumn(i).numFmt = "@";
  const example = wb.addWorksheet(lang === "en" ? "Example" : "示例");
  example.addRow(headers(lang)).font = { bold: true };
  example.addRow(IMPORT_COLUMNS.map((c) => EXAMPLE[c.key]));
  example.columns.forEach((col) => (col.width = 16));
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** The installer's sheet: each new device with its secret, once. */
export async function installerSheet(
  devices: readonly ImportedDevice[],
  lang: Lang,
  kindLabel: (kind: ImportedDevice["kind"]) => string,
): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const sheet = wb.addWorksheet(lang === "en" ? "Devices" : "设备");
  const head =
    lang === "en"
      ? ["Row", "Device id", "Secret", "Device kind", "Resident", "Address"]
      : ["行号", "设备编号", "设备密钥", "设备类型", "居民", "住址"];
  sheet.addRow(head).font = { bold: true };
  for (const d of devices)
    sheet.addRow([d.row, d.deviceId, d.secret, kindLabel(d.kind), d.residentName, d.address]);
  sheet.columns.forEach((col, i) => (col.width = i === 5 ? 40 : 18));
  return Buffer.from(await wb.xlsx.writeBuffer());
}
