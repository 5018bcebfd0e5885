// Loads what a panel shows (a case file, the KPIs, the device list) whenever its inputs change.
// An answer that arrives after the inputs changed again, or after the panel closed, is dropped;
// the last data stays on screen while the next load runs, and an error stays until one succeeds.
import { useEffect, useState, type DependencyList } from "react";
import { errorText } from "../i18n.ts";

export interface Loaded<T> {
  data: T | null;
  /** The last load's failure, in the UI language. */
  error: string | null;
  loading: boolean;
}

/** `load` null: nothing to load for now (e.g. an invalid date range). */
export function useLoad<T>(load: (() => Promise<T>) | null, deps: DependencyList): Loaded<T> {
  const [state, setState] = useState<Loaded<T>>({ data: null, error: null, loading: load !== null });
  useEffect(() => {
    if (!load) return;
    let live = true;
    setState((s) => ({ ...s, loading: true }));
    load().then(
      (data) => {
        if (live) setState({ data, error: null, loading: false });
      },
      (err: unknown) => {
        if (live) setState((s) => ({ ...s, error: errorText(err), loading: false }));
      },
    );
    return () => {
      live = false;
    };
    // The caller names what the load depends on, as with useEffect.
  }, deps);
  return state;
}
