// The role matrix and community scope, enforced by the real service (HTTP, MQTT, Socket.IO): a
// dispatcher cannot manage users, a manager cannot dispatch, field groups of a resident belong to
// their roles, and a user limited to one community sees and hears only that community — its
// residents, cases, devices, responders, KPIs, CSV and socket events. A disabled account is
// refused at once.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type {
  CaseSummary,
  DevicePage,
  LoginResponse,
  Page,
  ResidentListItem,
  ResidentRecord,
  ResponderRecord,
  ResponderSummary,
  UserRecord,
} from "../../protocol/index.ts";
import {
  api,
  connectSocket,
  login,
  nextEvent,
  startTestApp,
  TEST_PASSWORD,
  type ClientSocket,
  type TestApp,
} from "../helpers/app.ts";
import { enrolResident } from "../helpers/registers.ts";
import { connectDevice } from "../helpers/scenario.ts";

let app: TestApp;
let admin: string;
/** Two communities of the seeded city, and a device of each. */
let home: { community: number; device: string; residentId: number };
let away: { community: number; device: string; residentId: number };

async function deviceIn(communityId: number) {
  const row = await app.db.get<{ device: string; residentId: number }>(
    `SELECT d.id AS device, r.id AS "residentId" FROM "Device" d JOIN "Resident" r ON r.id = d."residentId"
     WHERE r."communityId" = ? ORDER BY d.id LIMIT 1`,
    [communityId],
  );
  return { community: communityId, ...row! };
}

async function makeUser(body: Record<string, unknown>): Promise<LoginResponse> {
  const created = await api<UserRecord>(app.httpUrl, admin, "POST", "/api/users", {
    password: TEST_PASSWORD,
    ...body,
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return login(app.httpUrl, created.body.username);
}

beforeAll(async () => {
  app = await startTestApp({ seed: { residents: 300, caregivers: 20, volunteers: 20 } });
  admin = (await login(app.httpUrl, "admin")).token;
  const communities = await app.db.all<{ id: number }>(`SELECT id FROM "Community" ORDER BY id LIMIT 2`);
  home = await deviceIn(communities[0]!.id);
  away = await deviceIn(communities[1]!.id);
});
afterAll(async () => {
  await app?.close();
});

describe("the role matrix", () => {
  it("a dispatcher creating a user gets 403, and nothing is written", async () => {
    const { token } = await login(app.httpUrl, "dispatcher");
    const before = await app.db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM "User"`);
    const res = await api<{ error: { code: string } }>(app.httpUrl, token, "POST", "/api/users", {
      username: "sneaky",
      displayName: "偷偷",
      role: "admin",
      password: "long-enough-pw",
    });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe("forbidden");
    expect(await app.db.get(`SELECT COUNT(*) AS n FROM "User"`)).toEqual(before);
    // Nor may it give a device a new secret.
    expect((await api(app.httpUrl, token, "POST", `/api/devices/${home.device}/secret`)).status).toBe(403);
  });

  it("a manager assigning, acknowledging or closing a case gets 403; reading it is fine", async () => {
    const { token } = await login(app.httpUrl, "manager");
    const d = await connectDevice(app, home.device);
    await d.press("manager-403-1");
    const { caseId } = await d.ack((a) => a.eventId === "manager-403-1");
    const responder = await app.db.get<{ id: number }>(`SELECT id FROM "Responder" LIMIT 1`);
    expect(
      (await api(app.httpUrl, token, "POST", `/api/cases/${caseId}/assign`, { responderId: responder!.id }))
        .status,
    ).toBe(403);
    expect((await api(app.httpUrl, token, "POST", `/api/cases/${caseId}/ack`)).status).toBe(403);
    expect(
      (await api(app.httpUrl, token, "POST", `/api/cases/${caseId}/follow-up`, { outcome: "reached_ok" }))
        .status,
    ).toBe(403);
    expect((await api(app.httpUrl, token, "GET", `/api/cases/${caseId}`)).status).toBe(200);
    expect((await api(app.httpUrl, token, "GET", "/api/kpis")).status).toBe(200);
    const c = await api<CaseSummary>(app.httpUrl, admin, "POST", `/api/cases/${caseId}/cancel`, {
      reason: "test",
    });
    expect(c.body.staffAckAt).toBeNull(); // the manager's ack did not happen
    await d.close();
  });

  it("a resident's field groups belong to their roles: care facts to dispatchers, pairing to managers", async () => {
    const resident = await enrolResident(app.httpUrl, admin);
    const dispatcher = (await login(app.httpUrl, "dispatcher")).token;
    const manager = (await login(app.httpUrl, "manager")).token;
    const path = `/api/residents/${resident.id}`;
    const care = await api<ResidentRecord>(app.httpUrl, dispatcher, "PATCH", path, {
      medicines: ["二甲双胍"],
    });
    expect(care.status).toBe(200);
    expect(care.body.medicines).toEqual(["二甲双胍"]);
    expect((await api(app.httpUrl, dispatcher, "PATCH", path, { name: "改名" })).status).toBe(403);
    expect((await api(app.httpUrl, dispatcher, "PATCH", path, { pairedVolunteerId: null })).status).toBe(403);
    expect((await api(app.httpUrl, manager, "PATCH", path, { keyHolder: "物业" })).status).toBe(403);
    const volunteer = await app.db.get<{ id: number }>(
      `SELECT id FROM "Responder" WHERE role = 'volunteer' AND "communityId" = ? LIMIT 1`,
      [resident.communityId],
    );
    const paired = await api<ResidentRecord>(app.httpUrl, manager, "PATCH", path, {
      pairedVolunteerId: volunteer!.id,
    });
    expect(paired.status).toBe(200);
    expect(paired.body.pairedVolunteer?.id).toBe(volunteer!.id);
    // A mixed change needs every group's role, and is refused whole.
    const mixed = await api(app.httpUrl, dispatcher, "PATCH", path, { medicines: [], name: "改名" });
    expect(mixed.status).toBe(403);
    expect((await api<ResidentRecord>(app.httpUrl, admin, "GET", path)).body.medicines).toEqual(["二甲双胍"]);
  });
});

describe("a user limited to one community", () => {
  let limited: LoginResponse;
  let socket: ClientSocket;

  beforeAll(async () => {
    limited = await makeUser({
      username: "duty-home",
      displayName: "本社区值班员",
      role: "dispatcher",
      communityIds: [home.community],
    });
    expect(limited.user.communityIds).toEqual([home.community]);
    socket = await connectSocket(app.httpUrl, limited.token);
  });
  afterAll(() => {
    socket?.close();
  });

  it("cannot read another community's resident (404) but reads its own", async () => {
    expect((await api(app.httpUrl, limited.token, "GET", `/api/residents/${away.residentId}`)).status).toBe(
      404,
    );
    expect((await api(app.httpUrl, limited.token, "GET", `/api/residents/${home.residentId}`)).status).toBe(
      200,
    );
    const list = await api<Page<ResidentListItem>>(
      app.httpUrl,
      limited.token,
      "GET",
      "/api/residents?pageSize=100",
    );
    expect(list.body.total).toBeGreaterThan(0);
    expect(new Set(list.body.items.map((r) => r.communityId))).toEqual(new Set([home.community]));
    // Nor its history.
    expect(
      (await api(app.httpUrl, limited.token, "GET", `/api/audit?entity=resident&id=${away.residentId}`))
        .status,
    ).toBe(404);
  });

  it("receives no socket events for another community's case, and sees no such case anywhere", async () => {
    const everything = await connectSocket(app.httpUrl, admin);
    const awayDevice = await connectDevice(app, away.device);
    const homeDevice = await connectDevice(app, home.device);
    const seen: number[] = [];
    socket.on("case:created", (c) => seen.push(c.id));
    socket.on("case:updated", (c) => seen.push(c.id));

    // The admin's console hears the other community's case; the limited one must not.
    const heardByAdmin = nextEvent(everything, "case:created", (c) => c.communityId === away.community);
    await awayDevice.press("scope-away-1");
    const awayCase = (await awayDevice.ack((a) => a.eventId === "scope-away-1")).caseId!;
    expect((await heardByAdmin).id).toBe(awayCase);
    // Events on one socket arrive in order: once its own community's case is heard, an event
    // about the other one would already have come.
    const heard = nextEvent(socket, "case:created", (c) => c.communityId === home.community);
    await homeDevice.press("scope-home-1");
    const homeCase = (await homeDevice.ack((a) => a.eventId === "scope-home-1")).caseId!;
    expect((await heard).id).toBe(homeCase);
    expect(seen).not.toContain(awayCase);

    expect((await api(app.httpUrl, limited.token, "GET", `/api/cases/${awayCase}`)).status).toBe(404);
    expect((await api(app.httpUrl, limited.token, "POST", `/api/cases/${awayCase}/ack`)).status).toBe(404);
    const queue = await api<CaseSummary[]>(app.httpUrl, limited.token, "GET", "/api/cases");
    expect(queue.body.map((c) => c.id)).toContain(homeCase);
    expect(queue.body.every((c) => c.communityId === home.community)).toBe(true);

    const csv = await fetch(`${app.httpUrl}/api/kpis.csv`, {
      headers: { authorization: `Bearer ${limited.token}` },
    });
    const text = await csv.text();
    const adminCsv = await (
      await fetch(`${app.httpUrl}/api/kpis.csv`, { headers: { authorization: `Bearer ${admin}` } })
    ).text();
    const ids = (body: string) =>
      body
        .split("\n")
        .slice(1)
        .filter(Boolean)
        .map((line) => Number(line.split(",")[0]));
    expect(ids(adminCsv)).toEqual(expect.arrayContaining([awayCase, homeCase]));
    expect(ids(text)).toContain(homeCase);
    expect(ids(text)).not.toContain(awayCase);
    const kpis = await api<{ alarms: number }>(app.httpUrl, limited.token, "GET", "/api/kpis");
    expect(kpis.body.alarms).toBe(ids(text).length);

    for (const id of [awayCase, homeCase])
      await api(app.httpUrl, admin, "POST", `/api/cases/${id}/cancel`, { reason: "test" });
    await Promise.all([awayDevice.close(), homeDevice.close()]);
    everything.close();
  });

  it("lists only its own community's devices and responders", async () => {
    const devices = await api<DevicePage>(app.httpUrl, limited.token, "GET", "/api/devices?filter=all");
    expect(devices.body.items.length).toBeGreaterThan(0);
    expect(devices.body.items.every((d) => d.communityId === home.community)).toBe(true);
    // The counts are of the same scope: every device the user may see is one of their community's.
    const all = await api<DevicePage>(app.httpUrl, admin, "GET", "/api/devices?filter=all");
    expect(devices.body.total).toBeLessThan(all.body.total);
    const roster = await api<ResponderSummary[]>(app.httpUrl, limited.token, "GET", "/api/responders");
    expect(roster.body.every((r) => r.communityId === home.community)).toBe(true);
    const directory = await api<Page<ResponderRecord>>(
      app.httpUrl,
      limited.token,
      "GET",
      "/api/responders/directory?pageSize=100",
    );
    expect(directory.body.items.every((r) => r.communityId === home.community)).toBe(true);
    expect((await api(app.httpUrl, limited.token, "GET", `/api/devices/${away.device}`)).status).toBe(404);
  });

  it("a limited manager manages only its own community's responders", async () => {
    const manager = await makeUser({
      username: "manager-home",
      displayName: "本社区主任",
      role: "manager",
      communityIds: [home.community],
    });
    const base = {
      name: "新志愿者",
      phone: "13700001111",
      role: "volunteer",
      skills: ["companionship"],
      transport: "walk",
    };
    const away_ = await api(app.httpUrl, manager.token, "POST", "/api/responders", {
      ...base,
      communityId: away.community,
    });
    expect(away_.status).toBe(404);
    const mine = await api<ResponderRecord>(app.httpUrl, manager.token, "POST", "/api/responders", {
      ...base,
      communityId: home.community,
      account: { username: "new-volunteer", password: "volunteer-pw-1" },
    });
    expect(mine.status).toBe(201);
    expect(mine.body.account?.username).toBe("new-volunteer");
    // The login works on the phone app.
    const phone = await login(app.httpUrl, "new-volunteer", "volunteer-pw-1");
    expect(phone.user).toMatchObject({ role: "responder", responderId: mine.body.id });
  });
});

describe("a disabled or changed account", () => {
  it("is refused at once: its session, its socket and a new login", async () => {
    const victim = await makeUser({ username: "leaver", displayName: "离职员工", role: "dispatcher" });
    const socket = await connectSocket(app.httpUrl, victim.token);
    expect((await api(app.httpUrl, victim.token, "GET", "/api/cases")).status).toBe(200); // cached now
    const dropped = new Promise<void>((resolve) => socket.once("disconnect", () => resolve()));
    const patched = await api<UserRecord>(app.httpUrl, admin, "PATCH", `/api/users/${victim.user.id}`, {
      disabled: true,
    });
    expect(patched.body.disabled).toBe(true);
    expect((await api(app.httpUrl, victim.token, "GET", "/api/cases")).status).toBe(401);
    await dropped;
    await expect(connectSocket(app.httpUrl, victim.token)).rejects.toThrow();
    const again = await fetch(`${app.httpUrl}/api/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ username: "leaver", password: TEST_PASSWORD }),
    });
    expect(again.status).toBe(403);
  });

  it("a changed role or set of communities ends every session and socket of the user; a new name does not", async () => {
    const sessionsOf = async (userId: number) =>
      (await app.db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM "Session" WHERE "userId" = ?`, [userId]))!
        .n;
    const staff = await makeUser({ username: "moved", displayName: "调岗员工", role: "dispatcher" });
    const second = await login(app.httpUrl, "moved");
    const socket = await connectSocket(app.httpUrl, staff.token);
    const url = `/api/users/${staff.user.id}`;

    // Only a change of rights ends sessions: a corrected name keeps them.
    expect((await api(app.httpUrl, admin, "PATCH", url, { displayName: "调岗员工甲" })).status).toBe(200);
    expect((await api(app.httpUrl, staff.token, "GET", "/api/auth/me")).status).toBe(200);
    expect(await sessionsOf(staff.user.id)).toBe(2);

    let dropped = new Promise<void>((resolve) => socket.once("disconnect", () => resolve()));
    const demoted = await api<UserRecord>(app.httpUrl, admin, "PATCH", url, { role: "manager" });
    expect(demoted.body.role).toBe("manager");
    await dropped;
    expect(await sessionsOf(staff.user.id)).toBe(0);
    for (const token of [staff.token, second.token])
      expect((await api(app.httpUrl, token, "GET", "/api/auth/me")).status).toBe(401);
    await expect(connectSocket(app.httpUrl, staff.token)).rejects.toThrow();

    // Logged in again, as a manager now; limiting the communities ends that session too.
    const again = await login(app.httpUrl, "moved");
    expect(again.user.role).toBe("manager");
    const next = await connectSocket(app.httpUrl, again.token);
    dropped = new Promise<void>((resolve) => next.once("disconnect", () => resolve()));
    const limited = await api<UserRecord>(app.httpUrl, admin, "PATCH", url, {
      communityIds: [home.community],
    });
    expect(limited.body.communityIds).toEqual([home.community]);
    await dropped;
    expect((await api(app.httpUrl, again.token, "GET", "/api/auth/me")).status).toBe(401);
    const scoped = await login(app.httpUrl, "moved");
    expect(scoped.user.communityIds).toEqual([home.community]);
    const audit = await api<Page<{ action: string; changes: Record<string, unknown> | null }>>(
      app.httpUrl,
      admin,
      "GET",
      `/api/audit?entity=user&id=${staff.user.id}`,
    );
    expect(
      audit.body.items.filter((e) => e.action === "update").map((e) => Object.keys(e.changes ?? {})),
    ).toEqual(expect.arrayContaining([["displayName"], ["role"], ["communityIds"]]));
  });

  it("an admin cannot lock themselves out", async () => {
    const me = await api<UserRecord>(app.httpUrl, admin, "GET", "/api/auth/me");
    const res = await api<{ error: { details: { rule: string } } }>(
      app.httpUrl,
      admin,
      "PATCH",
      `/api/users/${me.body.id}`,
      {
        disabled: true,
      },
    );
    expect(res.status).toBe(409);
    expect(res.body.error.details.rule).toBe("last_admin");
  });

  it("passwords: a user changes their own with the old one; an admin resets anyone's and ends their sessions", async () => {
    const user = await makeUser({ username: "pw-user", displayName: "改密码", role: "manager" });
    const own = `/api/users/${user.user.id}/password`;
    expect((await api(app.httpUrl, user.token, "POST", own, { password: "new-password-1" })).status).toBe(
      400,
    );
    expect(
      (await api(app.httpUrl, user.token, "POST", own, { password: "new-password-1", oldPassword: "wrong" }))
        .status,
    ).toBe(400);
    expect(
      (
        await api(app.httpUrl, user.token, "POST", own, {
          password: "new-password-1",
          oldPassword: TEST_PASSWORD,
        })
      ).status,
    ).toBe(204);
    expect((await api(app.httpUrl, user.token, "GET", "/api/auth/me")).status).toBe(200); // this session stays
    const other = await login(app.httpUrl, "pw-user", "new-password-1");
    expect((await api(app.httpUrl, admin, "POST", own, { password: "reset-password-2" })).status).toBe(204);
    expect((await api(app.httpUrl, other.token, "GET", "/api/auth/me")).status).toBe(401);
    expect((await api(app.httpUrl, user.token, "GET", "/api/auth/me")).status).toBe(401);
    await login(app.httpUrl, "pw-user", "reset-password-2");
    // Someone else's password is not a dispatcher's business.
    const dispatcher = (await login(app.httpUrl, "dispatcher")).token;
    expect((await api(app.httpUrl, dispatcher, "POST", own, { password: "hijack-password" })).status).toBe(
      403,
    );
  });
});
