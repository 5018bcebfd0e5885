// Runs an async action with a busy flag and a translated error message (buttons in the drawer,
// the phone app, login).
import { useCallback, useLayoutEffect, useRef, useState } from "react";
import { errorText } from "../i18n.ts";

export interface AsyncAction<A extends unknown[]> {
  run: (...args: A) => Promise<boolean>;
  busy: boolean;
  error: string | null;
  clearError: () => void;
}

export function useAsyncAction<A extends unknown[]>(fn: (...args: A) => Promise<unknown>): AsyncAction<A> {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const fnRef = useRef(fn);
  useLayoutEffect(() => {
    fnRef.current = fn;
  });
  const run = useCallback(async (...args: A): Promise<boolean> => {
    setBusy(true);
    setError(null);
    try {
      await fnRef.current(...args);
      return true;
    } catch (err) {
      setError(errorText(err));
      return false;
    } finally {
      setBusy(false);
    }
  }, []);
  const clearError = useCallback(() => setError(null), []);
  return { run, busy, error, clearError };
}
