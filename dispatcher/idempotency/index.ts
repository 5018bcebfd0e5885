// Idempotency keys for the phone's actions: a middleware in front of every route, and an hourly
// purge of answers older than a day.
import type { Logger } from "pino";
import { startRepeating, type Repeating } from "../background.ts";
import type { Clock } from "../clock.ts";
import type { SqlDatabase } from "../db/sql.ts";
import type { Authenticator } from "../edge/http.ts";
import type { Feature } from "../feature.ts";
import type { TaskReporter } from "../platform-health.ts";
import { idempotency, purgeIdempotencyKeys } from "./middleware.ts";

const PURGE_MS = 3_600_000;
const TASK = "idempotency key purge";

export function createIdempotencyFeature(deps: {
  db: SqlDatabase;
  clock: Clock;
  auth: Authenticator;
  logger: Logger;
  tasks: TaskReporter;
}) {
  let purging: Repeating | null = null;
  const purge = () => purgeIdempotencyKeys(deps.db, deps.clock.now());
  return {
    name: "idempotency",
    middleware: idempotency(deps),
    async start() {
      // Storage down at start: the first purge waits for the next run.
      await purge().catch((err: unknown) => deps.tasks.taskFailed(TASK, err));
      purging = startRepeating(TASK, PURGE_MS, purge, deps.tasks);
    },
    async stop() {
      await purging?.stop();
    },
  } satisfies Feature & { middleware: unknown };
}
