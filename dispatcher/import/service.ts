// Bulk import of residents with their devices from a community's sheet. A dry run reports every
// row's errors (row, column, code); a commit checks again inside its one transaction and writes
// everything or, if any row still has an error, nothing. New devices' secrets are returned once,
// with the installer's sheet.
import {
  IMPORT_WORDS,
  MAX_IMPORT_ROWS,
  PLATFORM_TIME_ZONE,
  type ImportedDevice,
  type ImportIssue,
  type ImportReport,
} from "../../protocol/index.ts";
import { communityScope, requirePermission, type Principal } from "../auth/access.ts";
import type { Clock } from "../clock.ts";
import type { Queryable, SqlDatabase } from "../db/sql.ts";
import type { DeviceRegister } from "../devices/register.ts";
import type { ResidentService } from "../residents/service.ts";
import { duplicateKey, duplicatesWithin, localDate } from "../residents/rules.ts";
import { parseRow, type ImportContext, type ParsedRow } from "./rows.ts";
import { installerSheet, readSheet, template } from "./sheet.ts";

type Lang = "zh-CN" | "en";

export interface ImportServiceDeps {
  db: SqlDatabase;
  clock: Clock;
  residents: Pick<ResidentService, "allCommunities" | "enrolTx" | "findDuplicate">;
  devices: Pick<DeviceRegister, "enrolTx" | "provisioned" | "idTaken">;
}

interface Checked {
  rows: number;
  parsed: ParsedRow[];
  errors: ImportIssue[];
  warnings: ImportIssue[];
}

/** Thrown inside the commit's transaction to undo it when a row failed the final check. */
class RowsInvalid extends Error {
  constructor(readonly checked: Checked) {
    super("rows invalid");
  }
}

export class ImportService {
  constructor(private readonly deps: ImportServiceDeps) {}

  template(user: Principal, format: "xlsx" | "csv", lang: Lang): Promise<Buffer> {
    requirePermission(user, "resident.enrol");
    return template(format, lang);
  }

  async run(user: Principal, bytes: Buffer, mode: "dry-run" | "commit", lang: Lang): Promise<ImportReport> {
    requirePermission(user, "resident.enrol");
    requirePermission(user, "device.manage");
    const sheet = await readSheet(bytes);
    if (!sheet.ok) return report(mode, { rows: 0, parsed: [], errors: sheet.issues, warnings: [] });
    if (sheet.rows.length === 0) {
      return report(mode, {
        rows: 0,
        parsed: [],
        errors: [sheetIssue("no_rows", "the sheet has no rows")],
        warnings: [],
      });
    }
    if (sheet.rows.length > MAX_IMPORT_ROWS) {
      const errors = [
        sheetIssue("too_many_rows", `at most ${MAX_IMPORT_ROWS} rows per import`, { max: MAX_IMPORT_ROWS }),
      ];
      return report(mode, { rows: sheet.rows.length, parsed: [], errors, warnings: [] });
    }
    const ctx = await this.context(user);
    const parse = (q: Queryable) => this.check(q, sheet.rows, ctx);
    if (mode === "dry-run") return report(mode, await parse(this.deps.db));

    let created: { row: ParsedRow; residentId: number; device: { id: string; secret: string } | null }[];
    let checked: Checked;
    try {
      ({ created, checked } = await this.deps.db.write(async (tx) => {
        const checked = await parse(tx);
        if (checked.errors.length > 0) throw new RowsInvalid(checked);
        const created = [];
        for (const row of checked.parsed) {
          const residentId = await this.deps.residents.enrolTx(tx, user, row.resident);
          const device = row.device
            ? await this.deps.devices.enrolTx(tx, user, {
                residentId,
                kind: row.device.kind,
                ...(row.device.id !== null ? { id: row.device.id } : {}),
              })
            : null;
          created.push({ row, residentId, device });
        }
        return { created, checked };
      }));
    } catch (err) {
      if (err instanceof RowsInvalid) return report(mode, err.checked);
      throw err;
    }
    const devices: ImportedDevice[] = created.flatMap(({ row, residentId, device }) =>
      device
        ? [
            {
              row: row.row,
              residentId,
              residentName: row.resident.name,
              address: row.resident.address,
              deviceId: device.id,
              kind: row.device!.kind,
              secret: device.secret,
            },
          ]
        : [],
    );
    await this.deps.devices.provisioned(created.flatMap((c) => (c.device ? [c.device] : [])));
    return {
      ...report(mode, checked),
      imported: {
        residents: created.length,
        devices,
        installerSheet: (await installerSheet(devices, lang, kindLabel(lang))).toString("base64"),
      },
    };
  }

  private async context(user: Principal): Promise<ImportContext> {
    const { communities, serviceArea } = await this.deps.residents.allCommunities();
    return {
      communities: new Map(
        communities.map((c) => [
          c.name,
          { id: c.id, lat: c.lat, lng: c.lng, grids: new Map(c.grids.map((g) => [g.name, g.id])) },
        ]),
      ),
      scope: communityScope(user),
      area: serviceArea,
      today: localDate(this.deps.clock.now(), PLATFORM_TIME_ZONE),
    };
  }

  /** Every row's own errors, then the sheet's duplicates (within it and against the register). */
  private async check(
    q: Queryable,
    rows: Parameters<typeof parseRow>[0][],
    ctx: ImportContext,
  ): Promise<Checked> {
    const errors: ImportIssue[] = [];
    const warnings: ImportIssue[] = [];
    const parsed: ParsedRow[] = [];
    for (const row of rows) {
      const r = parseRow(row, ctx);
      if (r.ok) parsed.push(r.value);
      else errors.push(...r.issues);
    }
    const bad = new Set<number>();
    const flag = (i: ImportIssue) => {
      errors.push(i);
      bad.add(i.row);
    };
    for (const [i, first] of duplicatesWithin(parsed, (p) => duplicateKey(p.resident))) {
      flag(
        issue(parsed[i]!.row, "name", "duplicate_in_sheet", "the same resident is on an earlier row", {
          firstRow: parsed[first]!.row,
        }),
      );
    }
    for (const [i, first] of duplicatesWithin(parsed, (p) => p.device?.id ?? null)) {
      flag(
        issue(
          parsed[i]!.row,
          "deviceId",
          "duplicate_device_in_sheet",
          "the same device id is on an earlier row",
          { firstRow: parsed[first]!.row },
        ),
      );
    }
    for (const p of parsed) {
      const twin = await this.deps.residents.findDuplicate(q, p.resident);
      if (twin !== null)
        flag(
          issue(p.row, "name", "duplicate_resident", "this resident is already enrolled", {
            residentId: twin,
          }),
        );
      if (p.device?.id && (await this.deps.devices.idTaken(q, p.device.id))) {
        flag(
          issue(p.row, "deviceId", "device_id_taken", "this device id is already in use", {
            value: p.device.id,
          }),
        );
      }
      if (p.locatedAtCommunity)
        warnings.push(
          issue(p.row, "lat", "located_at_community", "no coordinates: placed at the community's centre"),
        );
    }
    errors.sort((a, b) => a.row - b.row);
    return { rows: rows.length, parsed: parsed.filter((p) => !bad.has(p.row)), errors, warnings };
  }
}

function issue(
  row: number,
  column: ImportIssue["column"],
  code: ImportIssue["code"],
  message: string,
  details?: Record<string, unknown>,
): ImportIssue {
  return { row, column, code, message, ...(details ? { details } : {}) };
}

function sheetIssue(
  code: ImportIssue["code"],
  message: string,
  details?: Record<string, unknown>,
): ImportIssue {
  return issue(0, null, code, message, details);
}

function report(mode: "dry-run" | "commit", c: Checked): ImportReport {
  const rowsWithErrors = new Set(c.errors.filter((e) => e.row > 0).map((e) => e.row)).size;
  return {
    mode,
    rows: c.rows,
    valid: c.errors.some((e) => e.row === 0) ? 0 : c.rows - rowsWithErrors,
    errors: c.errors,
    warnings: c.warnings,
    imported: null,
  };
}

/** The device kind as the installer's sheet names it. */
const kindLabel = (lang: Lang) => (kind: keyof typeof IMPORT_WORDS.deviceKind) =>
  lang === "en"
    ? IMPORT_WORDS.deviceKind[kind].find((w) => /^[a-z ]+$/.test(w))!
    : IMPORT_WORDS.deviceKind[kind][0];
