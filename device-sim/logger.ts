// Default logger of the simulator library; callers (CLI, tests, benchmarks) may pass their own.
import pino, { type Logger } from "pino";

export type { Logger };

/** Warnings and errors only, so thousands of simulated devices stay quiet unless something breaks. */
export const defaultLogger: Logger = pino({ level: "warn", base: { component: "device-sim" } });
