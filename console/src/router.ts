// A four-route path switch (/login, /, /responder and /family); the dispatcher's SPA fallback serves
// index.html for all of them, so a reload keeps the page.
import { useSyncExternalStore } from "react";

export type Route = "/login" | "/" | "/responder" | "/family";

function current(): Route {
  const p = window.location.pathname.replace(/\/+$/, "") || "/";
  if (p === "/login") return "/login";
  if (p === "/responder") return "/responder";
  if (p === "/family") return "/family";
  return "/";
}

const listeners = new Set<() => void>();
window.addEventListener("popstate", () => {
  for (const l of listeners) l();
});

export function navigate(to: Route, replace = false): void {
  if (current() === to && window.location.pathname === to) return;
  if (replace) window.history.replaceState(null, "", to);
  else window.history.pushState(null, "", to);
  for (const l of listeners) l();
}

export function useRoute(): Route {
  return useSyncExternalStore((l) => {
    listeners.add(l);
    return () => listeners.delete(l);
  }, current);
}
