// Which database a DATABASE_URL names: `file:` is SQLite (the embedded default), `postgresql:`
// (or `postgres:`) is PostgreSQL. The one definition the dispatcher's and the broker's config
// and the opener share.
import { z } from "zod";

export const DEFAULT_DATABASE_URL = "file:./data/eldercare.db";

export type Dialect = "sqlite" | "postgres";

export function dialectOf(url: string): Dialect | null {
  if (/^file:./.test(url)) return "sqlite";
  if (/^postgres(ql)?:\/\/./i.test(url)) return "postgres";
  return null;
}

export const DatabaseUrlSchema = z
  .string()
  .refine(
    (url) => dialectOf(url) !== null,
    "must look like file:./data/eldercare.db or postgresql://user@host/db",
  )
  .default(DEFAULT_DATABASE_URL);

/** The scheme only: a URL's credentials never reach a log or an error message. */
export function scheme(url: string): string {
  return /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1] ?? "(no scheme)";
}
