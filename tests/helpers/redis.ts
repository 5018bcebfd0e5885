// A throwaway Redis for tests, benchmarks and `npm run cluster`: Debian's redis-server as a child
// process, 127.0.0.1 on a free port, its folder under the temp dir, nothing saved to disk, no
// system service.
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "./service-process.ts";

const BINARY = "/usr/bin/redis-server";

export const REDIS_MISSING =
  "redis-server not found at /usr/bin/redis-server (apt-get install redis-server; .ci/run does)";

export function redisAvailable(): boolean {
  return existsSync(BINARY);
}

export interface RedisServer {
  /** The redis-server process (benchmarks read its memory). */
  pid: number;
  port: number;
  url: string;
  stop(): Promise<void>;
}

export async function startRedis(): Promise<RedisServer> {
  if (!redisAvailable()) throw new Error(REDIS_MISSING);
  const dir = mkdtempSync(join(tmpdir(), "eldercare-redis-"));
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const child = spawn(
      BINARY,
      ["--port", String(port), "--bind", "127.0.0.1", "--dir", dir, "--save", "", "--appendonly", "no"],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    const kill = () => child.kill("SIGKILL");
    const ready = await new Promise<boolean>((resolve) => {
      let out = "";
      const timer = setTimeout(() => resolve(false), 15_000);
      child.stdout.on("data", (d: Buffer) => {
        out += d.toString();
        if (out.includes("Ready to accept connections")) {
          clearTimeout(timer);
          resolve(true);
        }
      });
      child.once("exit", () => {
        clearTimeout(timer);
        resolve(false);
      });
    });
    if (!ready) {
      kill();
      // Another process may have taken the port between freePort() and the bind.
      if (attempt < 3) continue;
      rmSync(dir, { recursive: true, force: true });
      throw new Error("redis-server did not start");
    }
    // A test process that ends without its afterAll leaves no server behind.
    process.once("exit", kill);
    return {
      pid: child.pid!,
      port,
      url: `redis://127.0.0.1:${port}`,
      stop: () =>
        new Promise<void>((resolve) => {
          process.off("exit", kill);
          if (child.exitCode !== null) return resolve();
          child.once("exit", () => {
            rmSync(dir, { recursive: true, force: true });
            resolve();
          });
          child.kill("SIGTERM");
        }),
    };
  }
}
