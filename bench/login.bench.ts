// Does a failed login's answer time tell whether the username exists? The platform in-process
// (SQLite, a small demo city), wrong passwords for existing accounts next to unknown usernames,
// interleaved, each from its own client address (TRUST_PROXY + X-Forwarded-For) so the login guard's
// per-address limit does not answer 429 instead. The unknown usernames are the peer: the ratio of
// the two medians should be close to 1 (before the guard: ~2 ms unknown vs ~57 ms known).
// Run: npm run bench -- login   (BENCH_LOGINS, default 40 of each)
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pino from "pino";
import { startApp } from "../dispatcher/app.ts";
import { loadConfig } from "../dispatcher/config.ts";
import { loadBenchEnv, runOptions, type RunOptions } from "./lib/config.ts";
import { isMain } from "./lib/main.ts";
import { BenchReport } from "./lib/report.ts";
import { distribution, ratio } from "./lib/stats.ts";

export interface LoginOptions extends RunOptions {
  /** Attempts of each kind. */
  logins: number;
}

export async function runLogin(o: LoginOptions): Promise<BenchReport> {
  const report = new BenchReport("login", { logins: o.logins, engine: "sqlite" }, o);
  const dir = mkdtempSync(join(tmpdir(), "eldercare-login-"));
  const config = loadConfig({
    PORT: "0",
    MQTT_PORT: "0",
    MQTT_WS_PORT: "0",
    HOST: "127.0.0.1",
    DATABASE_URL: `file:${join(dir, "login.db")}`,
    LOG_LEVEL: "silent",
    TRUST_PROXY: "loopback",
  });
  // Enough accounts that each is tried once: the per-account lockout never starts.
  const app = await startApp({
    config,
    logger: pino({ level: "silent" }),
    seed: { residents: 50, caregivers: Math.max(10, o.logins), volunteers: 10 },
  });
  const known: number[] = [];
  const unknown: number[] = [];
  const statuses = new Map<number, number>();
  try {
    const attempt = async (username: string, i: number) => {
      const t0 = performance.now();
      const res = await fetch(`${app.httpUrl}/api/auth/login`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-forwarded-for": `10.9.${i >> 8}.${i & 255}` },
        body: JSON.stringify({ username, password: "not-the-password" }),
      });
      await res.arrayBuffer();
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      return performance.now() - t0;
    };
    for (let i = 0; i < o.logins; i++) {
      known.push(await attempt(`caregiver${String(i + 1).padStart(3, "0")}`, 2 * i));
      unknown.push(await attempt(`nobody-${i}`, 2 * i + 1));
    }
  } finally {
    await app.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  const k = distribution(known);
  const u = distribution(unknown);
  report.table("failed logins: answer time (ms)", [
    { username: "exists, wrong password", ...k },
    { username: "unknown (peer)", ...u },
  ]);
  report.table(
    "answers",
    [...statuses].map(([status, n]) => ({ status, n })),
  );
  const r = ratio(k.p50, u.p50);
  report.ratio("p50 answer time, existing / unknown", r);
  // Within 20 %: a difference below the spread of one request on a shared machine.
  report.target("existing / unknown p50 within 0.8–1.2 (upper bound)", r, "<=", 1.2);
  report.target("existing / unknown p50 within 0.8–1.2 (lower bound)", r, ">=", 0.8);
  report.write();
  return report;
}

if (isMain(import.meta.url)) {
  const env = loadBenchEnv();
  await runLogin({ logins: Number(process.env.BENCH_LOGINS ?? 40), ...runOptions(env) });
}
