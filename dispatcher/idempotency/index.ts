// Idempotency keys for the phone's actions: a middleware in front of every route, and an hourly
// purge of answers older than a day.
import type { Logger } from "pino";
import type { Clock } from "../clock.ts";
import type { SqlDatabase } from "../db/sql.ts";
import type { Authenticator } from "../edge/http.ts";
import type { Feature } from "../feature.ts";
import { idempotency, purgeIdempotencyKeys } from "./middleware.ts";

const PURGE_MS = 3_600_000;

export function createIdempotencyFeature(deps: {
  db: SqlDatabase;
  clock: Clock;
  auth: Authenticator;
  logger: Logger;
}) {
  let timer: NodeJS.Timeout | null = null;
  const purge = () =>
    purgeIdempotencyKeys(deps.db, deps.clock.now()).catch((err: unknown) =>
      deps.logger.error({ err }, "purging idempotency keys failed"),
    );
  return {
    name: "idempotency",
    middleware: idempotency(deps),
    async start() {
      await purge();
      timer = setInterval(() => void purge(), PURGE_MS);
      timer.unref();
    },
    stop() {
      if (timer) clearInterval(timer);
      return Promise.resolve();
    },
  } satisfies Feature & { middleware: unknown };
}
