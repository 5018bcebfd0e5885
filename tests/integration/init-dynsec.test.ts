// broker/mosquitto/init-dynsec.ts, the first dynamic-security file for an operator's Mosquitto:
// run as an operator runs it, then a real Mosquitto started on the file it wrote.
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import mqtt from "mqtt";
import { afterAll, describe, expect, it } from "vitest";
import { mosquittoMissing, startMosquitto } from "../helpers/mosquitto.ts";

const dir = mkdtempSync(join(tmpdir(), "eldercare-init-dynsec-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const GOOD = { MOSQUITTO_ADMIN_PASSWORD: "admin-password-12", BROKER_SERVICE_PASSWORD: "service-pw-1" };

function initDynsec(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", "broker/mosquitto/init-dynsec.ts", ...args], {
      env: { PATH: process.env.PATH, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (err += d.toString()));
    child.once("exit", (code) => resolve({ code, out, err }));
  });
}

const canConnect = (url: string, username: string, password: string) =>
  mqtt
    .connectAsync(url, { username, password, clientId: username, reconnectPeriod: 0, connectTimeout: 5000 })
    .then(async (c) => {
      await c.endAsync();
      return true;
    })
    .catch(() => false);

describe("init-dynsec", () => {
  it("refuses a short admin password, naming the setting and hiding its value, and writes nothing", async () => {
    const file = join(dir, "short.json");
    const r = await initDynsec([file], { ...GOOD, MOSQUITTO_ADMIN_PASSWORD: "tooshort" });
    expect(r.code).toBe(1);
    expect(r.err).toContain("MOSQUITTO_ADMIN_PASSWORD: at least 12 characters (got (hidden))");
    expect(r.err).not.toContain("tooshort");
    expect(existsSync(file)).toBe(false);
  });

  it("refuses a malformed device line, naming the file and line, and writes nothing", async () => {
    const csv = join(dir, "bad.csv");
    writeFileSync(csv, "BJ-10001,secret-one\nBJ-10002\n");
    const file = join(dir, "bad.json");
    const r = await initDynsec([file, csv], GOOD);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`${csv}:2: expected deviceId,secret`);
    expect(existsSync(file)).toBe(false);
  });

  it("never overwrites a file that exists", async () => {
    const file = join(dir, "existing.json");
    writeFileSync(file, "{}");
    const r = await initDynsec([file], GOOD);
    expect(r.code).toBe(1);
    expect(r.err).toContain("exists");
  });

  it.skipIf(mosquittoMissing() !== null)(
    "writes accounts a real Mosquitto accepts: the service account and the listed devices, not a wrong secret",
    async () => {
      const csv = join(dir, "factory.csv");
      writeFileSync(csv, "# deviceId,secret from the factory\nBJ-10001, secret-one\n\nBJ-10002,secret-two\n");
      const file = join(dir, "dynamic-security.json");
      const r = await initDynsec([file, csv], { ...GOOD, BROKER_SERVICE_USER: "dispatcher-1" });
      expect(r.code).toBe(0);
      expect(r.out).toContain("admin eldercare-admin, service dispatcher-1, 2 devices");
      const mosquitto = await startMosquitto({ seed: { copyOf: file } });
      try {
        expect(await canConnect(mosquitto.url, "dispatcher-1", GOOD.BROKER_SERVICE_PASSWORD)).toBe(true);
        expect(await canConnect(mosquitto.url, "BJ-10001", "secret-one")).toBe(true);
        expect(await canConnect(mosquitto.url, "BJ-10002", "secret-two")).toBe(true);
        expect(await canConnect(mosquitto.url, "BJ-10002", "secret-one")).toBe(false);
        expect(await canConnect(mosquitto.url, "BJ-10003", "secret-one")).toBe(false);
      } finally {
        await mosquitto.stop();
      }
    },
  );
});
