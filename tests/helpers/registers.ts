// Building blocks for register tests: a valid new resident in a seeded community, enrolled over HTTP.
import { expect } from "vitest";
import type { Communities, DeviceWithSecret, ResidentInput, ResidentRecord } from "../../protocol/index.ts";
import { api } from "./app.ts";

let serial = 0;

/** A resident that passes every rule, living at the centre of the community (the first by default). */
export async function residentInput(
  baseUrl: string,
  token: string,
  overrides: Partial<ResidentInput> = {},
  community = 0,
): Promise<ResidentInput> {
  const { body } = await api<Communities>(baseUrl, token, "GET", "/api/communities");
  const c = body.communities[community]!;
  serial++;
  return {
    name: `测试老人${serial}`,
    gender: "female",
    birthDate: "1938-04-12",
    phone: "139 1234 5678",
    address: `${c.name} ${serial}号楼 1单元 101`,
    lat: c.lat,
    lng: c.lng,
    communityId: c.id,
    gridId: c.grids[0]!.id,
    livingSituation: "alone",
    conditions: ["高血压"],
    medicines: ["硝苯地平"],
    emergencyContacts: [{ name: "王强", relation: "儿子", phone: "13800138000" }],
    keyHolder: "邻居 李阿姨",
    pairedVolunteerId: null,
    ...overrides,
  };
}

export async function enrolResident(
  baseUrl: string,
  token: string,
  overrides: Partial<ResidentInput> = {},
  community = 0,
): Promise<ResidentRecord> {
  const res = await api<ResidentRecord>(
    baseUrl,
    token,
    "POST",
    "/api/residents",
    await residentInput(baseUrl, token, overrides, community),
  );
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

export async function enrolDevice(
  baseUrl: string,
  token: string,
  residentId: number,
  body: Record<string, unknown> = {},
): Promise<DeviceWithSecret> {
  const res = await api<DeviceWithSecret>(baseUrl, token, "POST", "/api/devices", {
    residentId,
    kind: "wall_button",
    ...body,
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}
