// The login session: bearer token + user, persisted in localStorage so a reload keeps it.
import { useSyncExternalStore } from "react";
import { UserSchema, type User } from "../../protocol/api.ts";

const KEY = "eldercare.session";

export interface Session {
  token: string;
  user: User;
}

function load(): Session | null {
  try {
    const raw = localStorage.getItem(KEY);
    if (!raw) return null;
    const parsed = JSON.parse(raw) as { token?: unknown; user?: unknown };
    const user = UserSchema.safeParse(parsed.user);
    if (typeof parsed.token !== "string" || !user.success) return null;
    return { token: parsed.token, user: user.data };
  } catch {
    return null;
  }
}

let current: Session | null = load();
const listeners = new Set<() => void>();

export const session = {
  get: (): Session | null => current,
  token: (): string | null => current?.token ?? null,
  set(next: Session | null): void {
    current = next;
    try {
      if (next) localStorage.setItem(KEY, JSON.stringify(next));
      else localStorage.removeItem(KEY);
    } catch {
      // Private mode or full storage: the session lives until the tab closes.
    }
    for (const l of listeners) l();
  },
  subscribe: (listener: () => void): (() => void) => {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
};

// Another tab logged out (or in): follow it.
if (typeof window !== "undefined") {
  window.addEventListener("storage", (e) => {
    if (e.key !== KEY) return;
    current = load();
    for (const l of listeners) l();
  });
}

export function useSession(): Session | null {
  return useSyncExternalStore(session.subscribe, session.get);
}
