// The duty desk invites the first emergency contact with a mobile number of a device's resident
// into the family circle, as a family e2e test starts (no SMS gateway: the code comes back).
import { expect } from "vitest";
import type { DeviceRecord, FamilyCircle, FamilyInviteResponse } from "../../protocol/api.ts";
import { api, login } from "../helpers/app.ts";

export async function inviteContactOf(
  httpUrl: string,
  deviceId: string,
): Promise<{ residentId: number; phone: string; invite: FamilyInviteResponse }> {
  const staff = (await login(httpUrl, "dispatcher")).token;
  const device = await api<DeviceRecord>(httpUrl, staff, "GET", `/api/devices/${deviceId}`);
  const residentId = device.body.residentId;
  const circle = await api<FamilyCircle>(httpUrl, staff, "GET", `/api/residents/${residentId}/family`);
  const contact = circle.body.contacts.find((c) => /^1\d{10}$/.test(c.phone.replace(/[\s-]/g, "")))!;
  const invite = await api<FamilyInviteResponse>(
    httpUrl,
    staff,
    "POST",
    `/api/residents/${residentId}/family/invites`,
    { phone: contact.phone },
  );
  expect(invite.status).toBe(201);
  return { residentId, phone: contact.phone, invite: invite.body };
}
