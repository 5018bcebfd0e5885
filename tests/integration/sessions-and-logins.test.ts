// Sessions and logins under attack: guessing is refused after ten tries a minute (429) and
// audited, a socket does not outlive its session, and the API answers are never cached.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  api,
  connectSocket,
  count,
  login,
  startTestApp,
  TEST_PASSWORD,
  type TestApp,
} from "../helpers/app.ts";

let app: TestApp;

beforeAll(async () => {
  app = await startTestApp({ seed: { residents: 20, caregivers: 3, volunteers: 3 } });
});
afterAll(async () => {
  await app?.close();
});

const attempt = (username: string, password: string) =>
  fetch(`${app.httpUrl}/api/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username, password }),
  });

describe("guessing passwords", () => {
  it("the 11th wrong password in a minute is refused with 429, even with the right password, and audited", async () => {
    for (let i = 0; i < 10; i++) expect((await attempt("manager", `guess-${i}`)).status).toBe(401);
    const eleventh = await attempt("manager", "guess-10");
    expect(eleventh.status).toBe(429);
    expect(Number(eleventh.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(((await eleventh.json()) as { error: { code: string } }).error.code).toBe("rate_limited");
    expect((await attempt("manager", TEST_PASSWORD)).status).toBe(429); // locked is locked

    const managerId = (await app.db.get<{ id: number }>(`SELECT id FROM "User" WHERE username = ?`, [
      "manager",
    ]))!.id;
    const audited = (action: string) =>
      count(app, `SELECT COUNT(*) AS n FROM "AuditEntry" WHERE action = ? AND "entityId" = ?`, [
        action,
        String(managerId),
      ]);
    expect(await audited("login_failed")).toBe(10);
    expect(await audited("login_locked")).toBe(1);
    // No password, right or wrong, is ever written down.
    expect(
      await count(
        app,
        `SELECT COUNT(*) AS n FROM "AuditEntry" WHERE changes LIKE '%guess%' OR "actorName" LIKE '%guess%'`,
      ),
    ).toBe(0);
  });

  it("an unknown username is locked the same way, so a lockout reveals nothing", async () => {
    for (let i = 0; i < 10; i++) expect((await attempt("nobody-here", `x${i}`)).status).toBe(401);
    expect((await attempt("nobody-here", "x")).status).toBe(429);
  });

  it("a success is audited with the client address; other accounts are not affected", async () => {
    const { user } = await login(app.httpUrl, "dispatcher");
    const entry = await app.db.get<{ ip: string | null; actorName: string }>(
      `SELECT ip, "actorName" FROM "AuditEntry" WHERE action = 'login' AND "entityId" = ? ORDER BY id DESC`,
      [String(user.id)],
    );
    expect(entry?.actorName).toBe("dispatcher");
    expect(entry?.ip).toContain("127.0.0.1");
  });
});

describe("a socket does not outlive its session", () => {
  it("is closed by the logout", async () => {
    const { token } = await login(app.httpUrl, "admin");
    const socket = await connectSocket(app.httpUrl, token);
    const closed = new Promise<void>((resolve) => socket.once("disconnect", () => resolve()));
    expect((await api(app.httpUrl, token, "POST", "/api/auth/logout")).status).toBe(204);
    await closed; // the socket is told at logout, not at its next heartbeat
    // And it cannot come back with the old token.
    await expect(connectSocket(app.httpUrl, token)).rejects.toThrow(/log in|expired/);
  });

  it("every socket of a user closes when their sessions are ended (a disabled user)", async () => {
    const a = await login(app.httpUrl, "caregiver001");
    const b = await login(app.httpUrl, "caregiver001");
    const sockets = await Promise.all([
      connectSocket(app.httpUrl, a.token),
      connectSocket(app.httpUrl, b.token),
    ]);
    const closed = sockets.map((s) => new Promise<void>((resolve) => s.once("disconnect", () => resolve())));
    await app.auth.endSessionsOf(a.user.id);
    await Promise.all(closed);
    expect((await api(app.httpUrl, b.token, "GET", "/api/auth/me")).status).toBe(401);
  });
});

describe("HTTP answers", () => {
  it("carry security headers, and API answers are never cached", async () => {
    const { token } = await login(app.httpUrl, "dispatcher");
    const res = await fetch(`${app.httpUrl}/api/cases`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const csp = res.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(res.headers.get("x-frame-options")).toBe("DENY");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect((await fetch(`${app.httpUrl}/healthz`)).headers.get("cache-control")).toBe("no-store");
  });

  it.each([
    ["an unknown charset", { "content-type": "application/json; charset=klingon" }, "{}", 415],
    ["a body that is not JSON", { "content-type": "text/plain" }, "hello", 415],
    [
      "corrupt gzip",
      { "content-type": "application/json", "content-encoding": "gzip" },
      "not gzip at all",
      400,
    ],
    [
      "an unknown content encoding",
      { "content-type": "application/json", "content-encoding": "zstd-x" },
      "{}",
      415,
    ],
    ["broken JSON", { "content-type": "application/json" }, '{"username":', 400],
  ])("%s is answered %i, not 500", async (_name, headers, body, status) => {
    const res = await fetch(`${app.httpUrl}/api/auth/login`, { method: "POST", headers, body });
    expect(res.status).toBe(status);
    expect(((await res.json()) as { error: { code: string } }).error.code).not.toBe("internal");
  });
});
