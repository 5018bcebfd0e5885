import { defineConfig } from "vitest/config";
import { POSTGRES_MISSING, postgresBinDir } from "./tests/helpers/postgres-bin.ts";

/** The core scenarios that run a second time on PostgreSQL in every `npm test`. */
const ON_POSTGRES = [
  "tests/integration/alarm-loop.test.ts",
  "tests/integration/dispatch.test.ts",
  "tests/integration/restart.test.ts",
  "tests/integration/crash-safety.test.ts",
];
const postgres = postgresBinDir() !== null;
if (!postgres) console.warn(`Skipping the PostgreSQL project: ${POSTGRES_MISSING}`);

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Integration tests start real servers on port 0; files run in parallel forks.
    pool: "forks",
    maxWorkers: 2,
    projects: [
      { extends: true, test: { name: "unit", include: ["tests/unit/**/*.test.ts"] } },
      {
        extends: true,
        test: {
          name: "integration",
          include: ["tests/integration/**/*.test.ts"],
          // Stops a file's throwaway PostgreSQL cluster after it (tests/helpers/database.ts).
          setupFiles: ["tests/helpers/database-setup.ts"],
        },
      },
      ...(postgres
        ? [
            {
              extends: true as const,
              test: {
                name: "integration-postgres",
                include: ON_POSTGRES,
                setupFiles: ["tests/helpers/database-setup.ts"],
                env: { TEST_DATABASE: "postgres" },
              },
            },
          ]
        : []),
      {
        extends: true,
        test: {
          name: "e2e",
          include: ["tests/e2e/**/*.test.ts"],
          // One console build, one platform and one Chromium for the whole e2e run; the files
          // share that city, so they run one after the other.
          globalSetup: ["tests/e2e/global-setup.ts"],
          maxWorkers: 1,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
