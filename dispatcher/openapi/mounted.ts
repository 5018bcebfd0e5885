// The routes an express router really serves (method + path), nested routers included: the
// OpenAPI test compares them with the operations table.
import type { Router } from "express";

interface Layer {
  route?: { path: string | string[]; methods: Record<string, boolean> };
  handle?: { stack?: Layer[] };
}

export function mountedRoutes(router: Router, prefix = ""): { method: string; path: string }[] {
  const out: { method: string; path: string }[] = [];
  for (const layer of (router as unknown as { stack: Layer[] }).stack) {
    if (layer.route) {
      const paths = Array.isArray(layer.route.path) ? layer.route.path : [layer.route.path];
      for (const p of paths) {
        for (const [m, on] of Object.entries(layer.route.methods))
          if (on && m !== "_all") out.push({ method: m, path: prefix + p });
      }
    } else if (layer.handle?.stack) {
      out.push(...mountedRoutes(layer.handle as unknown as Router, prefix));
    }
  }
  return out;
}
