// Stopping a process cleanly on SIGINT or SIGTERM, once, for every program of the platform.

/** Runs `stop` on the first SIGINT or SIGTERM, then exits 0 (1 if stopping failed). */
export function stopOnSignals(
  stop: (signal: NodeJS.Signals) => Promise<void>,
  logger: { error(o: object, m: string): void },
): void {
  let stopping = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    stop(signal).then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error({ err }, "shutdown failed");
        process.exit(1);
      },
    );
  };
  process.on("SIGINT", shutdown);
  process.on("SIGTERM", shutdown);
}
