// The pure rules of the registers: phone numbers, the service area, duplicates, birth dates,
// search terms, the role matrix and which field groups a change touches.
import { describe, expect, it } from "vitest";
import {
  PERMISSIONS,
  PERMISSION_NAMES,
  USER_ROLES,
  can,
  isInServiceArea,
  normalizePhone,
  serviceAreaOf,
  type Permission,
  type UserRole,
} from "../../protocol/index.ts";
import { haversineMeters } from "../../protocol/geo.ts";
import {
  birthDateProblem,
  duplicateKey,
  duplicatesWithin,
  localDate,
  permissionsForPatch,
  residentProblems,
  searchTerm,
  searchText,
} from "../../dispatcher/residents/rules.ts";
import { communityScope } from "../../dispatcher/auth/access.ts";

describe("phone numbers", () => {
  it.each([
    ["13912345678", "13912345678"],
    ["139 1234 5678", "13912345678"],
    ["+86 139-1234-5678", "13912345678"],
    ["0086 13912345678", "13912345678"],
    ["0917-3456789", "0917-3456789"],
    ["(0917) 3456789", "0917-3456789"],
    ["09173456789", "0917-3456789"],
    ["010-12345678", "010-12345678"],
    ["01012345678", "010-12345678"],
    ["029 8888 6666", "029-88886666"],
    ["（029）88886666", "029-88886666"],
  ])("%s is stored as %s", (typed, stored) => {
    expect(normalizePhone(typed)).toBe(stored);
  });

  it.each([
    "",
    "12912345678",
    "1391234567",
    "139123456789",
    "3456789",
    "110",
    "120",
    "0917-0456789",
    "0917-12345",
    "phone",
    "139-1234-567a",
  ])("%j is not a phone number", (typed) => {
    expect(normalizePhone(typed)).toBeNull();
  });
});

describe("the service area", () => {
  const communities = [
    { lat: 34.36, lng: 107.14 },
    { lat: 34.38, lng: 107.24 },
  ];
  const area = serviceAreaOf(communities, 5000)!;

  it("is the communities' box grown by the margin on every side", () => {
    expect(haversineMeters(34.36, 107.19, area.south, 107.19)).toBeCloseTo(5000, -1);
    expect(haversineMeters(34.37, 107.24, 34.37, area.east)).toBeGreaterThanOrEqual(4990);
    expect(isInServiceArea(area, { lat: 34.37, lng: 107.19 })).toBe(true);
    expect(isInServiceArea(area, { lat: 34.36 - 0.04, lng: 107.14 })).toBe(true); // 4.4 km south
    expect(isInServiceArea(area, { lat: 34.36 - 0.05, lng: 107.14 })).toBe(false); // 5.6 km south
  });

  it("catches the usual slips: swapped coordinates, another city, a lost digit", () => {
    expect(isInServiceArea(area, { lat: 107.14, lng: 34.36 })).toBe(false);
    expect(isInServiceArea(area, { lat: 39.9, lng: 116.4 })).toBe(false);
    expect(isInServiceArea(area, { lat: 3.436, lng: 107.14 })).toBe(false);
  });

  it("does not exist without communities", () => {
    expect(serviceAreaOf([])).toBeNull();
  });
});

describe("duplicates", () => {
  const a = { name: "王秀英", birthDate: "1938-04-12", address: "经二路 12号 3单元" };

  it("same name, birth date and address, whatever the spacing or full-width digits", () => {
    expect(duplicateKey({ ...a, address: "经二路12号3单元" })).toBe(duplicateKey(a));
    expect(duplicateKey({ ...a, address: "经二路１２号３单元" })).toBe(duplicateKey(a));
    expect(duplicateKey({ ...a, birthDate: "1938-04-13" })).not.toBe(duplicateKey(a));
    expect(duplicateKey({ ...a, address: "经二路 14号 3单元" })).not.toBe(duplicateKey(a));
    expect(duplicateKey({ ...a, name: "王秀华" })).not.toBe(duplicateKey(a));
  });

  it("within a list: each later row names the first one with its key", () => {
    const rows = ["x", "y", "x", null, "y", "x"];
    expect([...duplicatesWithin(rows, (r) => r)]).toEqual([
      [2, 0],
      [4, 1],
      [5, 0],
    ]);
  });
});

describe("birth dates", () => {
  it("may not lie in the future or make someone older than anyone alive", () => {
    expect(birthDateProblem("1938-04-12", "2026-12-01")).toBeNull();
    expect(birthDateProblem("2026-12-02", "2026-12-01")).toBe("future_date");
    expect(birthDateProblem("1890-01-01", "2026-12-01")).toBe("invalid_date");
  });

  it("today is the platform's calendar day", () => {
    // 2026-11-30 20:00 UTC is already 1 December in Shanghai.
    expect(localDate(Date.parse("2026-11-30T20:00:00Z"), "Asia/Shanghai")).toBe("2026-12-01");
  });
});

describe("a resident's record beyond its fields' shapes", () => {
  const area = serviceAreaOf([{ lat: 34.36, lng: 107.14 }])!;
  const f = {
    name: "王秀英",
    gender: "female" as const,
    birthDate: "1938-04-12",
    phone: "13912345678",
    address: "经二路 12号",
    lat: 34.36,
    lng: 107.14,
    communityId: 1,
    gridId: 10,
    livingSituation: "alone" as const,
    conditions: [],
    medicines: [],
    emergencyContacts: [{ name: "王强", relation: "儿子", phone: "13800138000" }],
    keyHolder: null,
    pairedVolunteerId: null,
  };
  const ok = { gridCommunityId: 1, communityExists: true, area, today: "2026-12-01" };

  it("names each problem with its field", () => {
    expect(residentProblems(f, ok)).toEqual([]);
    expect(residentProblems(f, { ...ok, gridCommunityId: 2 })).toEqual([
      { field: "gridId", rule: "grid_not_in_community" },
    ]);
    expect(residentProblems(f, { ...ok, communityExists: false })).toEqual([
      { field: "communityId", rule: "unknown_community" },
    ]);
    expect(residentProblems({ ...f, lat: 35 }, ok)).toEqual([{ field: "lat", rule: "outside_service_area" }]);
    expect(residentProblems({ ...f, pairedVolunteerId: 5 }, { ...ok, volunteer: null })).toEqual([
      { field: "pairedVolunteerId", rule: "unknown_volunteer" },
    ]);
    expect(
      residentProblems({ ...f, pairedVolunteerId: 5 }, { ...ok, volunteer: { communityId: 1 } }),
    ).toEqual([]);
  });
});

describe("search", () => {
  it("a phone typed with spaces, dashes or +86 becomes its digits; other terms are lower case", () => {
    expect(searchTerm(" 139 1234-5678 ")).toBe("13912345678");
    expect(searchTerm("+86 139 1234 5678")).toBe("13912345678");
    expect(searchTerm("BJ-00042")).toBe("bj-00042");
    expect(searchTerm("王|秀")).toBe("王秀");
    expect(searchTerm("   ")).toBeNull();
    expect(searchTerm(undefined)).toBeNull();
  });

  it("the search text holds name, address and every phone as stored and as digits, fields kept apart", () => {
    const text = searchText({
      name: "王秀英",
      phone: "0917-3456789",
      address: "经二路 12号",
      contactPhones: ["13800138000"],
    });
    expect(text.split("|")).toEqual([
      "王秀英",
      "经二路 12号",
      "0917-3456789",
      "09173456789",
      "13800138000",
      "13800138000",
    ]);
  });
});

describe("the role matrix", () => {
  const table: Record<UserRole, Permission[]> = {
    admin: PERMISSION_NAMES.filter((p) => p !== "responder.self" && p !== "family.self"),
    dispatcher: [
      "case.read",
      "case.dispatch",
      "report.read",
      "device.read",
      "resident.read",
      "resident.care",
      "responder.read",
      "audit.read",
      "family.manage",
      "order.manage",
    ],
    manager: [
      "case.read",
      "report.read",
      "device.read",
      "resident.read",
      "resident.pairing",
      "responder.read",
      "responder.manage",
      "audit.read",
      "order.manage",
      "roster.manage",
    ],
    responder: ["responder.self"],
    family: ["family.self"],
  };

  it.each(USER_ROLES)("%s may do exactly its part", (role) => {
    expect(PERMISSION_NAMES.filter((p) => can(role, p)).sort()).toEqual([...table[role]].sort());
  });

  it("names only real roles", () => {
    for (const roles of Object.values(PERMISSIONS)) for (const r of roles) expect(USER_ROLES).toContain(r);
  });

  it("a change to a resident needs the role of every field group it touches", () => {
    expect(permissionsForPatch({ medicines: [] })).toEqual(["resident.care"]);
    expect(permissionsForPatch({ pairedVolunteerId: null })).toEqual(["resident.pairing"]);
    expect(permissionsForPatch({ name: "x", keyHolder: null })).toEqual(["resident.enrol", "resident.care"]);
  });

  it("only dispatchers and managers are limited to communities; an admin sees them all", () => {
    const user = { id: 1, username: "u", displayName: "u", responderId: null, communityIds: [3] };
    expect(communityScope({ ...user, role: "dispatcher" })).toEqual([3]);
    expect(communityScope({ ...user, role: "manager" })).toEqual([3]);
    expect(communityScope({ ...user, role: "admin" })).toBeNull();
    expect(communityScope({ ...user, role: "dispatcher", communityIds: null })).toBeNull();
  });
});
