// Pure row validation of the bulk import: one sheet row → a resident (and device), or its issues
// with row, column and code.
import { describe, expect, it } from "vitest";
import { serviceAreaOf } from "../../protocol/index.ts";
import {
  parseContacts,
  parseDate,
  parseRow,
  type ImportContext,
  type SheetRow,
} from "../../dispatcher/import/rows.ts";

const ctx: ImportContext = {
  communities: new Map([
    ["经二路社区", { id: 1, lat: 34.36, lng: 107.14, grids: new Map([["第一网格", 11]]) }],
    ["东风路社区", { id: 2, lat: 34.37, lng: 107.2, grids: new Map([["第一网格", 21]]) }],
  ]),
  scope: null,
  area: serviceAreaOf([
    { lat: 34.36, lng: 107.14 },
    { lat: 34.37, lng: 107.2 },
  ]),
  today: "2026-12-01",
};

const good: SheetRow["cells"] = {
  name: "王秀英",
  gender: "女",
  birthDate: "1938/4/12",
  phone: "139 1234 5678",
  address: "经二路 12号",
  community: "经二路社区",
  grid: "第一网格",
  contacts: "王强 儿子 13800138000",
};

const parse = (cells: SheetRow["cells"], c: ImportContext = ctx) => parseRow({ row: 7, cells }, c);
const codes = (cells: SheetRow["cells"], c?: ImportContext) => {
  const r = parse(cells, c);
  return r.ok ? [] : r.issues.map((i) => [i.row, i.column, i.code]);
};

describe("an import row", () => {
  it("becomes a resident placed at the community centre, living alone, without a device", () => {
    const r = parse(good);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value).toMatchObject({
      row: 7,
      resident: {
        name: "王秀英",
        gender: "female",
        birthDate: "1938-04-12",
        phone: "13912345678",
        communityId: 1,
        gridId: 11,
        livingSituation: "alone",
        lat: 34.36,
        lng: 107.14,
        emergencyContacts: [{ name: "王强", relation: "儿子", phone: "13800138000" }],
      },
      device: null,
      locatedAtCommunity: true,
    });
  });

  it("takes lists, coordinates and a device with its kind in either language", () => {
    const r = parse({
      ...good,
      conditions: "高血压、糖尿病，冠心病",
      medicines: "硝苯地平; 二甲双胍",
      lat: "34.361",
      lng: "107.141",
      deviceId: "BJ-77",
      deviceKind: "Pendant",
      livingSituation: "empty nest",
    });
    expect(r.ok && r.value).toMatchObject({
      resident: {
        conditions: ["高血压", "糖尿病", "冠心病"],
        medicines: ["硝苯地平", "二甲双胍"],
        lat: 34.361,
        livingSituation: "empty_nest",
      },
      device: { id: "BJ-77", kind: "pendant" },
      locatedAtCommunity: false,
    });
  });

  it("names every problem with its row and column", () => {
    expect(codes({ ...good, name: "", phone: "12345", gender: "未知" })).toEqual([
      [7, "name", "required"],
      [7, "gender", "invalid_gender"],
      [7, "phone", "invalid_phone"],
    ]);
    expect(codes({ ...good, community: "别处" })).toEqual([[7, "community", "unknown_community"]]);
    expect(codes({ ...good, grid: "第九网格" })).toEqual([[7, "grid", "unknown_grid"]]);
    expect(codes({ ...good, birthDate: "2030-01-01" })).toEqual([[7, "birthDate", "future_date"]]);
    expect(codes({ ...good, lat: "39.9", lng: "116.4" })).toEqual([[7, "lat", "outside_service_area"]]);
    expect(codes({ ...good, lat: "34.36" })).toEqual([[7, "lng", "invalid_coordinates"]]);
    expect(codes({ ...good, contacts: "王强 儿子" })).toEqual([[7, "contacts", "invalid_contacts"]]);
    expect(codes({ ...good, deviceId: "bad id" })).toEqual([[7, "deviceId", "invalid_device_id"]]);
    expect(codes({ ...good, deviceKind: "手表" })).toEqual([[7, "deviceKind", "invalid_device_kind"]]);
    expect(codes(good, { ...ctx, scope: [2] })).toEqual([[7, "community", "out_of_scope"]]);
  });
});

describe("cells people write", () => {
  it.each([
    ["1938-04-12", "1938-04-12"],
    ["1938/4/2", "1938-04-02"],
    ["1938.4.2", "1938-04-02"],
    ["1938年4月2日", "1938-04-02"],
    ["19380402", "1938-04-02"],
    ["1938-02-30", null],
    ["4/2/1938", null],
    ["1938", null],
  ])("the date %s reads as %s", (raw, date) => {
    expect(parseDate(raw)).toBe(date);
  });

  it("contacts: name, relation (or none) and a phone as typed, separated by ；", () => {
    expect(parseContacts("李强 儿子 139 0000 1111；王芳：0917-1234567")).toEqual([
      { name: "李强", relation: "儿子", phone: "13900001111" },
      { name: "王芳", relation: "联系人", phone: "0917-1234567" },
    ]);
    expect(parseContacts("13900001111")).toBeNull();
    expect(parseContacts("")).toBeNull();
  });
});
