// A register form's state: the values, which fields were touched, and the messages to show —
// the protocol schema's verdict as people type (for touched fields, or all after a submit), and
// what the server said about a field (until that field changes).
import { useMemo, useState } from "react";
import type { z } from "zod";
import { serverFieldErrors, validate, type FieldErrors } from "./field-errors.ts";

export interface Form<V> {
  values: V;
  set: <K extends keyof V>(key: K, value: V[K]) => void;
  touch: (path: string) => void;
  /** The message shown for a field path now. */
  error: (path: string) => string | undefined;
  /** Shows every message; true when the value passes the schema. */
  check: () => boolean;
  serverError: (err: unknown) => void;
  reset: (values: V) => void;
}

/** `relevant`: the fields this user may change (others are shown, not checked). */
export function useForm<V>(
  initial: V,
  schema: z.ZodType,
  toInput: (v: V) => unknown,
  relevant: (path: string) => boolean = () => true,
): Form<V> {
  const [values, setValues] = useState(initial);
  const [touched, setTouched] = useState<Set<string>>(new Set());
  const [all, setAll] = useState(false);
  const [server, setServer] = useState<FieldErrors>({});
  const errors = useMemo(() => {
    const all = validate(schema, toInput(values));
    return Object.fromEntries(Object.entries(all).filter(([path]) => relevant(path)));
    // `relevant` follows the user's role, which does not change while a form is open.
  }, [schema, toInput, values]);
  const shown = (path: string) => all || [...touched].some((t) => path === t || path.startsWith(`${t}.`));
  return {
    values,
    set: (key, value) => {
      setValues((v) => ({ ...v, [key]: value }));
      setServer((s) => Object.fromEntries(Object.entries(s).filter(([p]) => !p.startsWith(String(key)))));
    },
    touch: (path) => setTouched((t) => new Set(t).add(path)),
    error: (path) => server[path] ?? (shown(path) ? errors[path] : undefined),
    check: () => {
      setAll(true);
      return Object.keys(errors).length === 0;
    },
    serverError: (err) => setServer(serverFieldErrors(err)),
    reset: (v) => {
      setValues(v);
      setTouched(new Set());
      setAll(false);
      setServer({});
    },
  };
}

/** "高血压、糖尿病, 哮喘" → ["高血压", "糖尿病", "哮喘"]. */
export const splitList = (text: string): string[] =>
  text
    .split(/[,，、;；\n]/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
