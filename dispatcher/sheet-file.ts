// Tables as a downloadable sheet: CSV (UTF-8 with a BOM, so Excel keeps the Chinese) or an XLSX
// workbook with one worksheet per table. The exports of reports and the service log use it.
import ExcelJS from "exceljs";

export type SheetFormat = "csv" | "xlsx";
export const SHEET_FORMATS = ["csv", "xlsx"] as const satisfies readonly SheetFormat[];

export const SHEET_TYPES: Readonly<Record<SheetFormat, string>> = {
  csv: "text/csv; charset=utf-8",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
};

export type SheetCell = string | number | null;

export interface SheetTable {
  /** The worksheet's name in a workbook. */
  title: string;
  header: string[];
  rows: SheetCell[][];
  /** Column widths in characters (the first column, then the others). */
  widths?: readonly number[];
}

const quote = (v: SheetCell) => {
  const s = v === null ? "" : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/** In a CSV the tables follow each other, an empty line between them. */
export async function sheetFile(tables: readonly SheetTable[], format: SheetFormat): Promise<Buffer> {
  if (format === "csv") {
    const lines = tables.flatMap((t, i) => [
      ...(i > 0 ? [""] : []),
      ...[t.header, ...t.rows].map((row) => row.map(quote).join(",")),
    ]);
    return Buffer.from(`\uFEFF${lines.join("\r\n")}\r\n`, "utf8");
  }
  const wb = new ExcelJS.Workbook();
  for (const t of tables) {
    const sheet = wb.addWorksheet(t.title);
    sheet.addRow(t.header).font = { bold: true };
    for (const row of t.rows) sheet.addRow(row);
    sheet.columns.forEach((col, i) => (col.width = t.widths?.[i] ?? (i === 0 ? 18 : 14)));
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}
