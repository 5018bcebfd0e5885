// Where Debian's PostgreSQL binaries are (the test cluster and the config that decides whether
// the PostgreSQL tests can run at all read it). No imports beyond node:, so vitest.config.ts can use it.
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";

const ROOT = "/usr/lib/postgresql";

/** The folder holding initdb and pg_ctl of the newest installed PostgreSQL, or null. */
export function postgresBinDir(): string | null {
  if (!existsSync(ROOT)) return null;
  const newest = readdirSync(ROOT)
    .filter((v) => existsSync(join(ROOT, v, "bin", "initdb")) && existsSync(join(ROOT, v, "bin", "pg_ctl")))
    .sort((a, b) => Number(b) - Number(a))[0];
  return newest === undefined ? null : join(ROOT, newest, "bin");
}

export const POSTGRES_MISSING =
  "PostgreSQL binaries not found under /usr/lib/postgresql/*/bin (apt-get install postgresql; .ci/run does)";
