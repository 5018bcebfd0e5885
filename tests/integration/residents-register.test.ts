// The resident register's rules against the real service: every field validated (phone numbers
// normalised, coordinates inside the service area, grid of the community, at least one contact),
// duplicates refused with the existing record named, nothing half-written; and the search the
// hotline intake types into: name (also part of it), phone, address, device id, contacts' phones.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Communities, Page, ResidentListItem, ResidentRecord } from "../../protocol/index.ts";
import { api, count, login, startTestApp, type TestApp } from "../helpers/app.ts";
import { enrolDevice, enrolResident, residentInput } from "../helpers/registers.ts";

let app: TestApp;
let admin: string;

beforeAll(async () => {
  app = await startTestApp({ seed: { residents: 300, caregivers: 10, volunteers: 10 } });
  admin = (await login(app.httpUrl, "admin")).token;
});
afterAll(async () => {
  await app?.close();
});

type ErrorBody = {
  error: {
    code: string;
    details?: { fields?: { path: string; rule?: string }[]; rule?: string; duplicateOf?: number };
  };
};

const residents = () => count(app, `SELECT COUNT(*) AS n FROM "Resident"`);
const audits = () => count(app, `SELECT COUNT(*) AS n FROM "AuditEntry"`);

async function search(q: string): Promise<Page<ResidentListItem>> {
  const res = await api<Page<ResidentListItem>>(
    app.httpUrl,
    admin,
    "GET",
    `/api/residents?q=${encodeURIComponent(q)}`,
  );
  expect(res.status).toBe(200);
  return res.body;
}

describe("enrolment rules", () => {
  it("bad fields are a 400 naming each field, and nothing is written", async () => {
    const before = [await residents(), await audits()];
    const { body } = await api<Communities>(app.httpUrl, admin, "GET", "/api/communities");
    const other = body.communities[1]!;
    const cases: [Record<string, unknown>, string, string | undefined][] = [
      [{ phone: "12345" }, "phone", "phone"],
      [
        { emergencyContacts: [{ name: "王强", relation: "儿子", phone: "110" }] },
        "emergencyContacts.0.phone",
        "phone",
      ],
      [{ emergencyContacts: [] }, "emergencyContacts", undefined],
      [{ lat: 39.9, lng: 116.4 }, "lat", "outside_service_area"], // Beijing, not Baoji
      [{ gridId: other.grids[0]!.id }, "gridId", "grid_not_in_community"],
      [{ birthDate: "2999-01-01" }, "birthDate", "future_date"],
      [{ birthDate: "1950-02-30" }, "birthDate", undefined],
      [{ name: "" }, "name", undefined],
      [{ unknownField: 1 }, "", undefined],
    ];
    for (const [bad, path, rule] of cases) {
      const res = await api<ErrorBody>(app.httpUrl, admin, "POST", "/api/residents", {
        ...(await residentInput(app.httpUrl, admin)),
        ...bad,
      });
      expect(res.status, JSON.stringify(bad)).toBe(400);
      const field = res.body.error.details?.fields?.find((f) => f.path === path);
      expect(field, `${JSON.stringify(bad)} → ${JSON.stringify(res.body)}`).toBeDefined();
      if (rule) expect(field?.rule).toBe(rule);
    }
    expect([await residents(), await audits()]).toEqual(before);
  });

  it("phone numbers are stored normalised: mobiles as 11 digits, landlines with their area code", async () => {
    const r = await enrolResident(app.httpUrl, admin, {
      phone: "(0917) 3456789",
      emergencyContacts: [{ name: "李娟", relation: "女儿", phone: "+86 139-0000-1111" }],
    });
    expect(r.phone).toBe("0917-3456789");
    expect(r.emergencyContacts[0]!.phone).toBe("13900001111");
  });

  it("the same name, birth date and address is a duplicate (409 naming the record); nothing half-written", async () => {
    const first = await enrolResident(app.httpUrl, admin, {
      name: "赵桂兰",
      address: "渭滨区经二路 5号楼 2单元 301",
    });
    const before = [await residents(), await audits()];
    const twin = await api<ErrorBody>(app.httpUrl, admin, "POST", "/api/residents", {
      ...(await residentInput(app.httpUrl, admin)),
      name: "赵桂兰",
      birthDate: first.birthDate!,
      address: "渭滨区经二路5号楼2单元301", // spaces make no other address
    });
    expect(twin.status).toBe(409);
    expect(twin.body.error.details).toMatchObject({ rule: "duplicate_resident", duplicateOf: first.id });
    expect([await residents(), await audits()]).toEqual(before);
    // Another birth date is another person.
    await enrolResident(app.httpUrl, admin, {
      name: "赵桂兰",
      birthDate: "1940-01-01",
      address: first.address,
    });
    // A change that would make a duplicate is refused too.
    const other = await enrolResident(app.httpUrl, admin, { name: "钱秀英" });
    const clash = await api<ErrorBody>(app.httpUrl, admin, "PATCH", `/api/residents/${other.id}`, {
      name: "赵桂兰",
      birthDate: first.birthDate!,
      address: first.address,
    });
    expect(clash.status).toBe(409);
    expect(
      (await api<ResidentRecord>(app.httpUrl, admin, "GET", `/api/residents/${other.id}`)).body.name,
    ).toBe("钱秀英");
  });

  it("a device id in use (even retired) is refused with a clear message", async () => {
    const r = await enrolResident(app.httpUrl, admin);
    const first = await enrolDevice(app.httpUrl, admin, r.id, { id: "TEST-DUP-1" });
    await api(app.httpUrl, admin, "POST", `/api/devices/${first.device.id}/retire`);
    const again = await api<ErrorBody>(app.httpUrl, admin, "POST", "/api/devices", {
      residentId: r.id,
      kind: "pendant",
      id: "TEST-DUP-1",
    });
    expect(again.status).toBe(409);
    expect(again.body.error.details?.rule).toBe("device_id_taken");
    expect(
      (
        await api(app.httpUrl, admin, "POST", "/api/devices", {
          residentId: r.id,
          kind: "pendant",
          id: "bad id!",
        })
      ).status,
    ).toBe(400);
  });

  it("a change is audited field by field, before → after", async () => {
    const r = await enrolResident(app.httpUrl, admin);
    const res = await api<ResidentRecord>(app.httpUrl, admin, "PATCH", `/api/residents/${r.id}`, {
      keyHolder: "女儿 李娟",
      conditions: ["高血压", "糖尿病"],
      phone: "13912345678", // the same number, typed the same: no change
    });
    expect(res.status).toBe(200);
    const audit = await api<Page<{ action: string; changes: Record<string, unknown> }>>(
      app.httpUrl,
      admin,
      "GET",
      `/api/audit?entity=resident&id=${r.id}`,
    );
    expect(audit.body.items[0]).toMatchObject({
      action: "update",
      changes: { keyHolder: ["邻居 李阿姨", "女儿 李娟"], conditions: [["高血压"], ["高血压", "糖尿病"]] },
    });
    expect(Object.keys(audit.body.items[0]!.changes)).toHaveLength(2);
  });
});

describe("search", () => {
  let target: ResidentRecord;
  let deviceId: string;

  beforeAll(async () => {
    target = await enrolResident(app.httpUrl, admin, {
      name: "欧阳秀凤",
      phone: "0917-2223334",
      address: "金台区东风路 88号院 3号楼",
      emergencyContacts: [{ name: "欧阳军", relation: "儿子", phone: "13655556666" }],
    });
    deviceId = (await enrolDevice(app.httpUrl, admin, target.id, { id: "SRCH-7788" })).device.id;
  });

  it.each([
    ["the full name", "欧阳秀凤"],
    ["part of the name", "秀凤"],
    ["the phone as typed", "0917 222 3334"],
    ["part of the phone", "2223334"],
    ["the address", "东风路 88号院"],
    ["the device id, any case", "srch-7788"],
    ["a contact's phone", "136-5555-6666"],
  ])("finds a resident by %s", async (_what, q) => {
    const page = await search(q);
    expect(page.items.map((r) => r.id)).toContain(target.id);
    expect(page.items.find((r) => r.id === target.id)?.deviceIds).toEqual([deviceId]);
  });

  it("puts an exact name first, pages, and finds nothing for nonsense or wildcards", async () => {
    expect((await search("欧阳秀凤")).items[0]!.id).toBe(target.id);
    expect((await search("zzz-nobody")).total).toBe(0);
    expect((await search("%")).total).toBe(0);
    const all = await api<Page<ResidentListItem>>(
      app.httpUrl,
      admin,
      "GET",
      "/api/residents?page=2&pageSize=7",
    );
    expect(all.body).toMatchObject({ page: 2, pageSize: 7 });
    expect(all.body.items).toHaveLength(7);
    expect(all.body.total).toBeGreaterThan(300);
  });

  it("a retired resident leaves the active list but stays findable among the retired", async () => {
    const r = await enrolResident(app.httpUrl, admin, { name: "孙退休" });
    await api(app.httpUrl, admin, "POST", `/api/residents/${r.id}/retire`);
    expect((await search("孙退休")).total).toBe(0);
    const retired = await api<Page<ResidentListItem>>(
      app.httpUrl,
      admin,
      "GET",
      `/api/residents?q=${encodeURIComponent("孙退休")}&status=retired`,
    );
    expect(retired.body.items.map((x) => x.id)).toEqual([r.id]);
  });
});
