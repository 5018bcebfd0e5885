// The simulated responder phone against a small stand-in for the dispatcher's REST + Socket.IO API.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import pino from "pino";
import { Server } from "socket.io";
import { SimResponder } from "../../device-sim/responders.ts";
import { distanceMeters } from "../../device-sim/geo.ts";

interface Call {
  method: string;
  path: string;
  body: unknown;
}

const HOME = { lat: 34.3602, lng: 107.1496 };
const RESIDENT = { lat: 34.3622, lng: 107.1516 }; // about 290 m away

async function fakeApi(opts: { acceptStatus?: number } = {}) {
  const calls: Call[] = [];
  const http = createServer((req: IncomingMessage, res: ServerResponse) => {
    let raw = "";
    req.on("data", (chunk: Buffer) => (raw += chunk.toString()));
    req.on("end", () => {
      const body: unknown = raw ? JSON.parse(raw) : undefined;
      const path = req.url ?? "";
      if (path.startsWith("/api/")) calls.push({ method: req.method ?? "", path, body });
      const json = (status: number, value?: unknown) => {
        res.writeHead(status, { "content-type": "application/json" });
        res.end(value === undefined ? "" : JSON.stringify(value));
      };
      if (path === "/api/auth/login") {
        const ok = (body as { password?: string }).password === "pw";
        if (!ok) return json(401, { error: { code: "bad_login", message: "wrong password" } });
        return json(200, {
          token: "t-1",
          user: { id: 1, username: "caregiver001", displayName: "张伟", role: "responder", responderId: 42 },
        });
      }
      if (req.headers.authorization !== "Bearer t-1")
        return json(401, { error: { code: "unauthorized", message: "no" } });
      if (path === "/api/responder/me") {
        return json(200, {
          responder: { id: 42, lat: HOME.lat, lng: HOME.lng },
          offers: [],
          activeCase: null,
        });
      }
      if (path === "/api/offers/9/accept") {
        const status = opts.acceptStatus ?? 200;
        return status === 200
          ? json(200, { id: 5 })
          : json(status, { error: { code: "offer_closed", message: "taken" } });
      }
      if (path === "/api/responder/location" || path === "/api/auth/logout") return json(204);
      return json(200, {});
    });
  });
  const io = new Server(http);
  io.use((socket, next) =>
    socket.handshake.auth.token === "t-1" ? next() : next(new Error("unauthorized")),
  );
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", () => resolve()));
  const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  return {
    url,
    calls,
    io,
    offer: () =>
      io.emit("offer", {
        id: 9,
        caseId: 5,
        responderId: 42,
        case: { id: 5, status: "offered", lat: RESIDENT.lat, lng: RESIDENT.lng, responderId: null },
      }),
    stop: async () => {
      await io.close();
      http.closeAllConnections();
    },
  };
}

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => undefined);
  cleanups.length = 0;
});

async function setup(acceptStatus?: number) {
  const api = await fakeApi(acceptStatus ? { acceptStatus } : {});
  cleanups.push(api.stop);
  const phone = new SimResponder({
    apiUrl: api.url,
    username: "caregiver001",
    password: "pw",
    acceptDelayMs: 20,
    speedMps: 1000,
    tickMs: 50,
    stayMs: 50,
    logger: pino({ level: "silent" }),
  });
  cleanups.push(() => phone.stop());
  return { api, phone };
}

const until = async (check: () => boolean, ms = 5000) => {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 10));
  }
};

describe("SimResponder", () => {
  it("goes on duty near its last place, accepts an offer, travels, arrives and resolves", async () => {
    const { api, phone } = await setup();
    await phone.start();
    expect(phone.activity).toBe("idle");
    expect(distanceMeters(phone.position!, HOME)).toBeLessThan(200);
    const paths = () => api.calls.map((c) => `${c.method} ${c.path}`);
    expect(paths()).toEqual([
      "POST /api/auth/login",
      "GET /api/responder/me",
      "POST /api/responder/duty",
      "POST /api/responder/location",
      "GET /api/responder/me",
    ]);
    expect(api.calls[2]!.body).toEqual({ onDuty: true });

    api.offer();
    await until(() => phone.resolved === 1);
    expect(phone.activity).toBe("idle");
    const flow = paths().filter((p) => !p.endsWith("/location"));
    expect(flow.slice(4)).toEqual([
      "POST /api/offers/9/accept",
      "POST /api/cases/5/en-route",
      "POST /api/cases/5/arrived",
      "POST /api/cases/5/resolve",
    ]);
    const resolve = api.calls.find((c) => c.path === "/api/cases/5/resolve")!;
    expect((resolve.body as { note: string }).note.length).toBeGreaterThan(0);
    // The last location sent before "arrived" is the resident's door.
    const arrivedAt = api.calls.findIndex((c) => c.path === "/api/cases/5/arrived");
    const lastLocation = api.calls
      .slice(0, arrivedAt)
      .filter((c) => c.path === "/api/responder/location")
      .at(-1)!;
    expect(distanceMeters(lastLocation.body as { lat: number; lng: number }, RESIDENT)).toBeLessThan(1);

    await phone.stop();
    expect(
      api.calls.some(
        (c) => c.path === "/api/responder/duty" && (c.body as { onDuty: boolean }).onDuty === false,
      ),
    ).toBe(true);
  });

  it("goes back to idle when the offer was taken by someone else", async () => {
    const { api, phone } = await setup(409);
    await phone.start();
    api.offer();
    await until(() => api.calls.some((c) => c.path === "/api/offers/9/accept"));
    await until(() => phone.activity === "idle");
    await new Promise((r) => setTimeout(r, 100));
    expect(api.calls.some((c) => c.path.includes("/en-route"))).toBe(false);
  });

  it("stops a withdrawn offer before accepting it", async () => {
    const { api, phone } = await setup();
    await phone.start();
    api.offer();
    api.io.emit("offer:withdrawn", { offerId: 9, caseId: 5, reason: "taken" });
    await new Promise((r) => setTimeout(r, 150));
    expect(phone.activity).toBe("idle");
    expect(api.calls.some((c) => c.path === "/api/offers/9/accept")).toBe(false);
  });

  it("fails to start with a wrong password", async () => {
    const api = await fakeApi();
    cleanups.push(api.stop);
    const phone = new SimResponder({
      apiUrl: api.url,
      username: "caregiver001",
      password: "nope",
      logger: pino({ level: "silent" }),
    });
    await expect(phone.start()).rejects.toThrow(/wrong password/);
  });
});
