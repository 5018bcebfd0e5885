// The operator-facing contract of every process of the platform (the dispatcher, the stand-alone
// broker, the simulator): how it reads its settings and how it stops.
// Settings are parsed against a zod schema, once; blank values count as unset, every bad setting
// is named in one error, and a secret's value is never echoed, so the error can go to a log or a
// terminal as it is.
import type { z } from "zod";

export class ConfigError extends Error {}

export const HIDDEN = "(hidden)";

/** Settings named like these hold credentials. */
const SECRET_NAME = /PASSWORD|SECRET|TOKEN|KEY/i;

export interface LoadOptions {
  /** First line of the error. */
  title?: string;
  /** How a setting is called in the error (the simulator's are flags: `--devices`). */
  label?: (key: string) => string;
}

/** Picks the schema's keys from `source` ("" = unset) and parses them; throws a ConfigError. */
export function loadSettings<S extends z.ZodObject>(
  schema: S,
  source: Readonly<Record<string, unknown>>,
  options: LoadOptions = {},
): z.infer<S> {
  const picked = Object.fromEntries(
    Object.keys(schema.shape).map((k) => [k, source[k] === "" ? undefined : source[k]]),
  );
  const result = schema.safeParse(picked);
  if (result.success) return result.data;
  const label = options.label ?? ((k: string) => k);
  const lines = result.error.issues.map((issue) => {
    const key = String(issue.path[0] ?? "");
    return `  ${label(key)}: ${issue.message}${shown(key, picked[key])}`;
  });
  throw new ConfigError(`${options.title ?? "Invalid configuration"}:\n${lines.join("\n")}`);
}

/** ` (got "value")` for the error line; secrets and URL passwords show as (hidden). */
function shown(key: string, value: unknown): string {
  if (value === undefined) return "";
  if (SECRET_NAME.test(key)) return ` (got ${HIDDEN})`;
  return ` (got ${JSON.stringify(typeof value === "string" ? redactUrl(value) : value)})`;
}

/** `scheme://user:password@host…` → `scheme://user:(hidden)@host…`. */
export function redactUrl(value: string): string {
  return value.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@\s]*):[^@/\s]*@/i, `$1:${HIDDEN}@`);
}

// Stopping a process cleanly on SIGINT or SIGTERM, once.

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
