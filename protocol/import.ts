// Bulk import of residents with their devices from the spreadsheets communities already keep
// (CSV or XLSX): the columns, and the report of a dry run or a commit.
import { z } from "zod";
import { DeviceKindSchema } from "./domain.ts";
import { id } from "./wire.ts";

/**
 * The columns, in template order, with the header a sheet may use for each (Chinese or English,
 * the template's language). Only `required` columns must be filled on every row.
 */
export const IMPORT_COLUMNS = [
  { key: "name", zh: "姓名", en: "Name", required: true },
  { key: "gender", zh: "性别", en: "Gender", required: true },
  { key: "birthDate", zh: "出生日期", en: "Birth date", required: true },
  { key: "phone", zh: "电话", en: "Phone", required: true },
  { key: "address", zh: "住址", en: "Address", required: true },
  { key: "community", zh: "社区", en: "Community", required: true },
  { key: "grid", zh: "网格", en: "Grid", required: true },
  { key: "livingSituation", zh: "居住情况", en: "Living situation", required: false },
  { key: "conditions", zh: "健康状况", en: "Conditions", required: false },
  { key: "medicines", zh: "用药", en: "Medicines", required: false },
  { key: "contacts", zh: "紧急联系人", en: "Emergency contacts", required: true },
  { key: "keyHolder", zh: "钥匙保管人", en: "Key holder", required: false },
  { key: "deviceId", zh: "设备编号", en: "Device id", required: false },
  { key: "deviceKind", zh: "设备类型", en: "Device kind", required: false },
  { key: "lat", zh: "纬度", en: "Latitude", required: false },
  { key: "lng", zh: "经度", en: "Longitude", required: false },
] as const;
export type ImportColumn = (typeof IMPORT_COLUMNS)[number]["key"];
export const IMPORT_COLUMN_KEYS = IMPORT_COLUMNS.map((c) => c.key) as [ImportColumn, ...ImportColumn[]];
export const ImportColumnSchema = z.enum(IMPORT_COLUMN_KEYS);

/** Larger sheets are split by the community; one import is one transaction. */
export const MAX_IMPORT_ROWS = 5000;
export const MAX_IMPORT_BYTES = 5 * 1024 * 1024;

/** Why a row (or the sheet) cannot be imported; the console says it in the UI language. */
export const IMPORT_ISSUE_CODES = [
  "required",
  "invalid_phone",
  "invalid_date",
  "future_date",
  "invalid_gender",
  "invalid_living_situation",
  "invalid_contacts",
  "unknown_community",
  "unknown_grid",
  "out_of_scope",
  "invalid_coordinates",
  "outside_service_area",
  "invalid_device_id",
  "invalid_device_kind",
  "device_id_taken",
  "duplicate_device_in_sheet",
  "duplicate_resident",
  "duplicate_in_sheet",
  "too_long",
  // the sheet as a whole (row 0)
  "unreadable_sheet",
  "missing_column",
  "no_rows",
  "too_many_rows",
  // warnings: imported, but worth a look
  "located_at_community",
] as const;
export const ImportIssueCodeSchema = z.enum(IMPORT_ISSUE_CODES);
export type ImportIssueCode = z.infer<typeof ImportIssueCodeSchema>;

export const ImportIssueSchema = z.object({
  /** The sheet's row number as a spreadsheet shows it (the header is row 1); 0 for the sheet. */
  row: z.number().int().min(0),
  column: ImportColumnSchema.nullable(),
  code: ImportIssueCodeSchema,
  /** English, for API users and logs. */
  message: z.string(),
  /** Facts for the console's sentence: the value, the existing record… */
  details: z.record(z.string(), z.unknown()).optional(),
});
export type ImportIssue = z.infer<typeof ImportIssueSchema>;

export const IMPORT_MODES = ["dry-run", "commit"] as const;
export const ImportQuerySchema = z.object({ mode: z.enum(IMPORT_MODES).default("dry-run") });

export const ImportedDeviceSchema = z.object({
  row: z.number().int(),
  residentId: id,
  residentName: z.string(),
  address: z.string(),
  deviceId: z.string(),
  kind: DeviceKindSchema,
  /** Shown once: the installer's sheet is the only copy. */
  secret: z.string(),
});
export type ImportedDevice = z.infer<typeof ImportedDeviceSchema>;

export const ImportReportSchema = z.object({
  mode: z.enum(IMPORT_MODES),
  rows: z.number().int(),
  /** Rows with no error. */
  valid: z.number().int(),
  errors: z.array(ImportIssueSchema),
  warnings: z.array(ImportIssueSchema),
  /** Set only when the commit wrote the sheet: nothing is written while any row has an error. */
  imported: z
    .object({
      residents: z.number().int(),
      devices: z.array(ImportedDeviceSchema),
      /** The installer's sheet (XLSX, base64): device id, secret, resident, address. */
      installerSheet: z.string(),
    })
    .nullable(),
});
export type ImportReport = z.infer<typeof ImportReportSchema>;

export const IMPORT_LANGUAGES = ["zh-CN", "en"] as const;
export const ImportTemplateQuerySchema = z.object({
  format: z.enum(["xlsx", "csv"]).default("xlsx"),
  lang: z.enum(IMPORT_LANGUAGES).default("zh-CN"),
});

/**
 * The words a sheet may use for the closed sets, in Chinese and English (matched ignoring case
 * and spaces); the template's first example row uses the first word of each.
 */
export const IMPORT_WORDS = {
  gender: { female: ["女", "female", "f"], male: ["男", "male", "m"] },
  livingSituation: {
    alone: ["独居", "alone"],
    empty_nest: ["空巢", "empty nest", "empty_nest"],
    disabled: ["失能", "disabled"],
    with_family: ["与家人同住", "同住", "with family", "with_family"],
  },
  deviceKind: {
    wall_button: ["墙挂按钮", "壁挂按钮", "壁挂", "wall button", "wall_button"],
    wrist_button: ["腕式按钮", "手环", "wrist button", "wrist_button"],
    pendant: ["挂件", "胸挂", "定位挂件", "pendant"],
    smoke_alarm: ["烟雾报警器", "烟感", "smoke alarm", "smoke_alarm"],
    gas_alarm: ["燃气报警器", "燃气探测器", "gas alarm", "gas_alarm"],
    water_sensor: ["水浸传感器", "水浸", "water sensor", "water_sensor"],
    door_sensor: ["门磁", "门磁传感器", "door sensor", "door_sensor"],
    motion_sensor: ["人体红外", "红外感应", "motion sensor", "motion_sensor"],
  },
} as const satisfies Record<string, Record<string, readonly string[]>>;

/** A resident's living situation when the sheet leaves it blank: dispatch assumes nobody else is home. */
export const DEFAULT_IMPORT_LIVING_SITUATION = "alone";
