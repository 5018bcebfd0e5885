// The no-loss guarantee under failure: the whole service runs as a child process, a simulated fleet
// presses in a burst, the service is killed with SIGKILL mid-burst and restarted on the same
// database. After the devices' resends every press is exactly one case: 0 lost, 0 duplicated.
import type { ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { DeviceFleet, deviceIds } from "../../device-sim/fleet.ts";
import { openDatabase } from "../../dispatcher/db/open.ts";
import { testDatabaseUrl } from "../helpers/database.ts";
import { until } from "../helpers/wait.ts";
import { serviceEnv, startService, stopService } from "../helpers/service-process.ts";

const dir = mkdtempSync(join(tmpdir(), "eldercare-crash-"));
const children: ChildProcess[] = [];

afterAll(() => {
  for (const c of children) if (c.exitCode === null) c.kill("SIGKILL");
  rmSync(dir, { recursive: true, force: true });
});

describe("kill -9 in the middle of a burst", () => {
  it("loses no press and duplicates none", async () => {
    const url = await testDatabaseUrl(dir);
    const env = await serviceEnv(url, { DEMO_DEVICE_SECRET: "crash-secret" });
    let service = await startService(env);
    children.push(service);

    const presses = 400;
    const fleet = new DeviceFleet({
      brokerUrl: `mqtt://127.0.0.1:${env.MQTT_PORT}`,
      deviceIds: deviceIds(presses),
      secret: "crash-secret",
      heartbeatSeconds: 0,
      resend: { initialMs: 300, maxMs: 2000 },
    });
    await fleet.connect();
    const burst = fleet.burst(presses, 3000, "sos");

    await until(() => fleet.summary().acked >= presses / 4, 20_000); // mid-burst
    await stopService(service, "SIGKILL");
    service = await startService(env);
    children.push(service);

    const results = await burst;
    const summary = fleet.summary();
    await fleet.close();
    await stopService(service);

    expect(results).toHaveLength(presses);
    expect(summary.lost).toBe(0);
    const db = await openDatabase(url, { readOnly: true });
    const cases = await db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM "Case" WHERE type = 'sos'`);
    const events = await db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM "DeviceEvent" WHERE type = 'sos'`);
    const perDevice = await db.get<{ m: number }>(
      `SELECT MAX(n) AS m FROM (SELECT COUNT(*) AS n FROM "Case" GROUP BY "deviceId") per_device`,
    );
    await db.close();
    expect(events?.n).toBe(presses); // every press stored once
    expect(cases?.n).toBe(presses); // one case per press (each device pressed once)
    expect(perDevice?.m).toBe(1);
    // Every device's ack names the case that holds its press.
    expect(new Set(results.map((r) => r.ack.caseId)).size).toBe(presses);
    // The kill really happened mid-burst: some presses needed resending.
    expect(summary.maxAttempts).toBeGreaterThan(1);
  }, 120_000);
});
