// Which database the integration tests run on: SQLite files by default, PostgreSQL with
// TEST_DATABASE=postgres (one throwaway cluster per test file, a fresh database per test app).
//   TEST_DATABASE=postgres npx vitest run tests/integration/calls.test.ts
// The `integration-postgres` project of vitest.config.ts runs the core scenarios this way in every `npm test`.
import { join } from "node:path";
import { startPostgres, type PostgresCluster } from "./postgres.ts";

export type TestEngine = "sqlite" | "postgres";

export const TEST_ENGINE: TestEngine = process.env.TEST_DATABASE === "postgres" ? "postgres" : "sqlite";

let cluster: Promise<PostgresCluster> | null = null;

/** This test file's cluster, started on first use; database-setup.ts stops it after the file. */
export function sharedPostgres(): Promise<PostgresCluster> {
  cluster ??= startPostgres();
  return cluster;
}

export async function stopSharedPostgres(): Promise<void> {
  const c = cluster;
  cluster = null;
  if (c) await (await c).stop();
}

/**
 * The DATABASE_URL of a test app whose files live in `dir`: the same `dir` gives the same
 * database, so an app restarted on its folder finds its data again.
 */
export async function testDatabaseUrl(dir: string, engine: TestEngine = TEST_ENGINE): Promise<string> {
  if (engine === "sqlite") return `file:${join(dir, "test.db")}`;
  return (await sharedPostgres()).databaseFor(dir);
}
