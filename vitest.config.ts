import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Integration tests start real servers on port 0; files run in parallel forks.
    pool: "forks",
    maxWorkers: 2,
    projects: [
      { extends: true, test: { name: "unit", include: ["tests/unit/**/*.test.ts"] } },
      { extends: true, test: { name: "integration", include: ["tests/integration/**/*.test.ts"] } },
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
