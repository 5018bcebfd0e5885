// Bulk import against the real service: 500 rows with 3 bad ones are reported exactly in the dry
// run, and nothing is written — not by the dry run, and not by a commit while any row is bad;
// fixed, the commit writes all 500 with their devices at once and returns each secret once (the
// installer's sheet too), and those secrets let the devices in. XLSX works as CSV does.
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Communities, ImportReport } from "../../protocol/index.ts";
import { api, count, login, startTestApp, type TestApp } from "../helpers/app.ts";
import { connectDevice } from "../helpers/scenario.ts";

let app: TestApp;
let admin: string;
let communities: Communities["communities"];

beforeAll(async () => {
  app = await startTestApp({ seed: { residents: 100, caregivers: 5, volunteers: 5 } });
  admin = (await login(app.httpUrl, "admin")).token;
  communities = (await api<Communities>(app.httpUrl, admin, "GET", "/api/communities")).body.communities;
});
afterAll(async () => {
  await app?.close();
});

const HEADER =
  "姓名,性别,出生日期,电话,住址,社区,网格,居住情况,健康状况,用药,紧急联系人,钥匙保管人,设备编号,设备类型";

function row(i: number, over: Partial<Record<"phone" | "community" | "birthDate", string>> = {}): string {
  const c = communities[i % communities.length]!;
  const cells = [
    `导入老人${i}`,
    i % 2 ? "男" : "女",
    over.birthDate ?? `19${30 + (i % 30)}-0${1 + (i % 9)}-1${i % 10}`,
    over.phone ?? `139${String(i).padStart(8, "0")}`,
    `${c.name} ${i}号楼 1单元 101`,
    over.community ?? c.name,
    c.grids[0]!.name,
    i % 3 ? "独居" : "空巢",
    "高血压、糖尿病",
    "硝苯地平",
    `子女${i} 儿子 138${String(i).padStart(8, "0")}`,
    "邻居",
    `IMP-${String(i).padStart(4, "0")}`,
    i % 2 ? "墙挂按钮" : "挂件",
  ];
  return cells.join(",");
}

const BAD: Record<number, Partial<Record<"phone" | "community" | "birthDate", string>>> = {
  17: { phone: "12345" },
  250: { community: "不存在社区" },
  444: { birthDate: "1950-13-01" },
};

const sheet = (bad: typeof BAD) =>
  [HEADER, ...Array.from({ length: 500 }, (_, i) => row(i, bad[i]))].join("\n");

async function upload(body: string | Buffer, mode: "dry-run" | "commit", type = "text/csv") {
  const res = await fetch(`${app.httpUrl}/api/import/residents?mode=${mode}`, {
    method: "POST",
    headers: { authorization: `Bearer ${admin}`, "content-type": type },
    body: typeof body === "string" ? body : new Uint8Array(body),
  });
  return { status: res.status, body: (await res.json()) as ImportReport };
}

const written = async () => [
  await count(app, `SELECT COUNT(*) AS n FROM "Resident"`),
  await count(app, `SELECT COUNT(*) AS n FROM "Device"`),
  await count(app, `SELECT COUNT(*) AS n FROM "AuditEntry"`),
];

describe("importing 500 residents with their devices", () => {
  it("the dry run reports exactly the 3 bad rows (row, column, code) and writes nothing", async () => {
    const before = await written();
    const { status, body } = await upload(sheet(BAD), "dry-run");
    expect(status).toBe(200);
    expect(body).toMatchObject({ mode: "dry-run", rows: 500, valid: 497, imported: null });
    // Sheet rows count the header as row 1.
    expect(body.errors.map((e) => [e.row, e.column, e.code])).toEqual([
      [19, "phone", "invalid_phone"],
      [252, "community", "unknown_community"],
      [446, "birthDate", "invalid_date"],
    ]);
    expect(body.warnings.every((w) => w.code === "located_at_community")).toBe(true);
    expect(await written()).toEqual(before);
  });

  it("a commit while any row is bad writes nothing; fixed, it writes all 500 and returns each secret once", async () => {
    const before = await written();
    const refused = await upload(sheet(BAD), "commit");
    expect(refused.body.errors).toHaveLength(3);
    expect(refused.body.imported).toBeNull();
    expect(await written()).toEqual(before);

    const { body } = await upload(sheet({}), "commit");
    expect(body.errors).toEqual([]);
    expect(body.imported?.residents).toBe(500);
    expect(body.imported?.devices).toHaveLength(500);
    const [residents, devices] = await written();
    expect([residents, devices]).toEqual([before[0]! + 500, before[1]! + 500]);

    // The installer's sheet holds every device with its secret.
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(body.imported!.installerSheet, "base64") as unknown as ArrayBuffer);
    const rows = wb.worksheets[0]!.getSheetValues().filter(Boolean);
    expect(rows).toHaveLength(501);
    const first = body.imported!.devices[0]!;
    expect(JSON.stringify(rows)).toContain(first.secret);

    // A new device gets in with its secret, and its resident is the imported one.
    const device = await connectDevice(app, first.deviceId, first.secret);
    await device.press("imported-1");
    const ack = await device.ack((a) => a.eventId === "imported-1");
    const c = await api<{ case: { residentId: number } }>(
      app.httpUrl,
      admin,
      "GET",
      `/api/cases/${ack.caseId}`,
    );
    expect(c.body.case.residentId).toBe(first.residentId);
    await device.close();

    // Importing the same sheet again: every row is now a duplicate, and nothing is written.
    const again = await upload(sheet({}), "dry-run");
    expect(again.body.errors.filter((e) => e.code === "duplicate_resident")).toHaveLength(500);
    expect(again.body.errors.filter((e) => e.code === "device_id_taken")).toHaveLength(500);
  });

  it("reads XLSX as it reads CSV, and finds duplicates within the sheet", async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet("居民");
    const lines = [HEADER, row(900), row(901), row(900).replace("IMP-0900", "IMP-0999")];
    for (const line of lines) ws.addRow(line.split(","));
    const { body } = await upload(
      Buffer.from(await wb.xlsx.writeBuffer()),
      "dry-run",
      "application/octet-stream",
    );
    expect(body.rows).toBe(3);
    expect(body.errors.map((e) => [e.row, e.code])).toEqual([[4, "duplicate_in_sheet"]]);
    expect(body.errors[0]!.details).toEqual({ firstRow: 2 });
  });

  it("explains a sheet it cannot use, and the template it offers reads back", async () => {
    const missing = await upload("姓名,电话\n王,13900000000\n", "dry-run");
    expect(missing.body.errors.map((e) => e.code)).toContain("missing_column");
    const json = await api(app.httpUrl, admin, "POST", "/api/import/residents", { rows: [] });
    expect(json.status).toBe(415);
    const template = await fetch(`${app.httpUrl}/api/import/residents/template?format=xlsx`, {
      headers: { authorization: `Bearer ${admin}` },
    });
    expect(template.status).toBe(200);
    const empty = await upload(
      Buffer.from(await template.arrayBuffer()),
      "dry-run",
      "application/octet-stream",
    );
    expect(empty.body.errors.map((e) => e.code)).toEqual(["no_rows"]);
    // Only an admin imports.
    const dispatcher = (await login(app.httpUrl, "dispatcher")).token;
    const res = await fetch(`${app.httpUrl}/api/import/residents?mode=dry-run`, {
      method: "POST",
      headers: { authorization: `Bearer ${dispatcher}`, "content-type": "text/csv" },
      body: sheet({}),
    });
    expect(res.status).toBe(403);
  });
});
