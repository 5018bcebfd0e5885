// A throwaway PostgreSQL cluster for tests and benchmarks: Debian's binaries (initdb, pg_ctl from
// /usr/lib/postgresql/<version>/bin), a data folder under the temp dir, TCP on 127.0.0.1 and a
// free port, no Unix socket, no system service. Run as root (CI), the server runs as the
// `postgres` user the package creates, since PostgreSQL refuses to run as root.
import { execFile, execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { appendFileSync, chownSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { POSTGRES_MISSING, postgresBinDir } from "./postgres-bin.ts";
import { freePort } from "./service-process.ts";

export { POSTGRES_MISSING, postgresBinDir };

const run = promisify(execFile);

export interface PostgresCluster {
  port: number;
  /** The URL of a database of this cluster (`postgres` is always there). */
  url(database?: string): string;
  /** A new, empty database; its URL. */
  createDatabase(name?: string): Promise<string>;
  /** The database named after `key`, created the first time (a test app reopened on the same folder). */
  databaseFor(key: string): Promise<string>;
  /** Kills the server as a crash would (`pg_ctl stop -m immediate`); its data stays. */
  kill(): Promise<void>;
  /** Starts it again on the same port, after kill(). */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/** Who the server runs as: ourselves, or the `postgres` user when we are root. */
function serverUser(): { uid: number; gid: number } | null {
  if (process.getuid?.() !== 0) return null;
  const uid = Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8" }).trim());
  const gid = Number(execFileSync("id", ["-g", "postgres"], { encoding: "utf8" }).trim());
  return { uid, gid };
}

let created = 0;

export interface PostgresClusterOptions {
  /**
   * fsync on, as in production (benchmarks). Off by default: tests kill the platform, never the
   * database server, so its data stays in the server's memory either way, and without fsync a
   * new database takes milliseconds instead of seconds on a busy machine.
   */
  durable?: boolean;
}

export async function startPostgres(options: PostgresClusterOptions = {}): Promise<PostgresCluster> {
  const bin = postgresBinDir();
  if (bin === null) throw new Error(POSTGRES_MISSING);
  const user = serverUser();
  const dir = mkdtempSync(join(tmpdir(), "eldercare-pg-"));
  if (user) chownSync(dir, user.uid, user.gid);
  const data = join(dir, "data");
  const as = user ?? {};
  await run(
    join(bin, "initdb"),
    ["-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync"],
    as,
  );
  const pgCtl = (...args: string[]) => run(join(bin, "pg_ctl"), ["-D", data, "-w", ...args], as);
  const start = () => pgCtl("-l", join(dir, "server.log"), "-t", "30", "start");
  let port = 0;
  for (let attempt = 1; ; attempt++) {
    port = await freePort();
    appendFileSync(
      join(data, "postgresql.conf"),
      `\nport = ${port}\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = ''\n` +
        (options.durable ? "" : "fsync = off\nfull_page_writes = off\n"),
    );
    try {
      await start();
      break;
    } catch (err) {
      // Another process may have taken the port between freePort() and the server's bind.
      if (attempt === 3) throw err;
    }
  }
  const stopSync = () => {
    try {
      execFileSync(join(bin, "pg_ctl"), ["-D", data, "-m", "immediate", "-w", "stop"], {
        ...as,
        stdio: "ignore",
      });
    } catch {
      // already stopped
    }
    rmSync(dir, { recursive: true, force: true });
  };
  // A test process that ends without its afterAll (a crash, a timeout) leaves no server behind.
  process.once("exit", stopSync);

  const url = (database = "postgres") => `postgresql://postgres@127.0.0.1:${port}/${database}`;
  const admin = async <T>(fn: (c: pg.Client) => Promise<T>): Promise<T> => {
    const c = new pg.Client({ connectionString: url() });
    await c.connect();
    try {
      return await fn(c);
    } finally {
      await c.end();
    }
  };
  const createDatabase = async (name = `test_${process.pid}_${++created}`) => {
    // FILE_COPY: a copy of the template folder, much cheaper than WAL_LOG for a small database.
    await admin((c) => c.query(`CREATE DATABASE "${name}" STRATEGY FILE_COPY`));
    return url(name);
  };
  return {
    port,
    url,
    createDatabase,
    async databaseFor(key) {
      const name = `t_${createHash("sha256").update(key).digest("hex").slice(0, 20)}`;
      const exists = await admin((c) => c.query(`SELECT 1 FROM pg_database WHERE datname = $1`, [name]));
      return exists.rowCount ? url(name) : createDatabase(name);
    },
    async kill() {
      await pgCtl("-m", "immediate", "stop");
    },
    async restart() {
      await start();
    },
    async stop() {
      process.off("exit", stopSync);
      await pgCtl("-m", "immediate", "stop").catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
