// Device and service authentication on the real aedes broker, with real mqtt.js clients.
// The credential lookup is an in-memory map with hashed secrets: the database seam.
import { afterEach, describe, expect, it } from "vitest";
import { SERVICE, asDevice, testBrokers } from "../helpers/broker.ts";

const { start, connect, cleanup } = testBrokers();

afterEach(cleanup);

describe("device authentication", () => {
  it("lets a device in with its own id and secret", async () => {
    const { url, broker } = await start(["dev-0001"]);
    const device = await connect(url, asDevice("dev-0001"));
    expect(device.connected).toBe(true);
    expect(broker.metrics()).toMatchObject({ connectedClients: 1, connects: 1, authFailures: 0 });
  });

  it("refuses a wrong secret, an unknown device and a borrowed client id", async () => {
    const { url, broker } = await start(["dev-0001", "dev-0002"]);
    await expect(connect(url, asDevice("dev-0001", { password: "guess" }))).rejects.toMatchObject({
      code: 4,
    });
    await expect(connect(url, asDevice("dev-9999"))).rejects.toMatchObject({ code: 4 });
    await expect(connect(url, { username: "dev-0001" })).rejects.toMatchObject({ code: 4 }); // no password
    await expect(connect(url, asDevice("dev-0001", { clientId: "dev-0002" }))).rejects.toMatchObject({
      code: 2,
    });
    expect(broker.metrics()).toMatchObject({ connectedClients: 0, connects: 0, authFailures: 4 });
  });

  it("a refused device cannot take over the session of a connected one", async () => {
    const { url } = await start(["dev-0001", "dev-0002"]);
    const victim = await connect(url, asDevice("dev-0001"));
    await expect(connect(url, asDevice("dev-0002", { clientId: "dev-0001" }))).rejects.toMatchObject({
      code: 2,
    });
    await expect(connect(url, asDevice("dev-0001", { password: "wrong" }))).rejects.toMatchObject({
      code: 4,
    });
    await victim.publishAsync("eldercare/v1/devices/dev-0001/status", '{"state":"online"}', { qos: 1 });
    expect(victim.connected).toBe(true);
  });

  it("answers 'server unavailable' when the lookup fails, and asks again next time", async () => {
    let calls = 0;
    const { url, broker } = await start([], {
      lookupDevice: () => {
        calls++;
        return Promise.reject(new Error("database is locked"));
      },
    });
    await expect(connect(url, asDevice("dev-0001"))).rejects.toMatchObject({ code: 3 });
    await expect(connect(url, asDevice("dev-0001"))).rejects.toMatchObject({ code: 3 });
    expect(calls).toBe(2);
    expect(broker.metrics().authFailures).toBe(2);
  });
});

describe("service users", () => {
  it("connect with their password under any client id", async () => {
    const { url } = await start([]);
    const svc = await connect(url, { ...SERVICE, clientId: "eldercare-dispatcher" });
    expect(svc.connected).toBe(true);
  });

  it("are refused with a wrong password", async () => {
    const { url, broker } = await start([]);
    await expect(connect(url, { ...SERVICE, password: "nope" })).rejects.toMatchObject({ code: 4 });
    expect(broker.metrics().authFailures).toBe(1);
  });
});

describe("credential cache", () => {
  it("200 devices connecting at once cost at most one lookup per device id", async () => {
    const ids = Array.from({ length: 200 }, (_, i) => `storm-${String(i).padStart(4, "0")}`);
    const { url, broker, lookups } = await start(ids);
    const first = await Promise.all(ids.map((id) => connect(url, asDevice(id))));
    expect(broker.metrics().connectedClients).toBe(200);

    // Everyone drops and comes back (a cell-tower outage): still served from the cache.
    await Promise.all(first.map((c) => c.endAsync(true)));
    await Promise.all(ids.map((id) => connect(url, asDevice(id))));
    expect(broker.metrics().connects).toBe(400);
    expect(lookups.size).toBe(200);
    expect(Math.max(...lookups.values())).toBe(1);
  });

  it("coalesces concurrent lookups and caches unknown ids", async () => {
    const { url, lookups } = await start([]);
    const attempts = Array.from({ length: 20 }, () => connect(url, asDevice("ghost-01")));
    const results = await Promise.allSettled(attempts);
    expect(results.every((r) => r.status === "rejected")).toBe(true);
    await expect(connect(url, asDevice("ghost-01"))).rejects.toMatchObject({ code: 4 });
    expect(lookups.get("ghost-01")).toBe(1);
  });

  it("looks a device up again once the cached entry has expired", async () => {
    let now = 1_000_000;
    const { url, lookups } = await start(["dev-0001"], { authCacheTtlMs: 50, now: () => now });
    await (await connect(url, asDevice("dev-0001"))).endAsync();
    now += 49;
    await (await connect(url, asDevice("dev-0001"))).endAsync();
    expect(lookups.get("dev-0001")).toBe(1); // still cached
    now += 31;
    await connect(url, asDevice("dev-0001"));
    expect(lookups.get("dev-0001")).toBe(2);
  });
});
