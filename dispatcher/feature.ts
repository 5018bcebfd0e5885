// What a feature folder gives the composition root (dispatcher/app.ts): its routes, and what it
// must do when the platform starts and stops. See docs/architecture.md, "Adding a feature".
import type { Router } from "express";

export interface Feature {
  readonly name: string;
  /** Mounted under /api. */
  readonly router?: Router;
  /** After the database is ready and before HTTP listens: load caches, start timers. */
  start?(): Promise<void>;
  /** In reverse order, before the database closes: stop timers, write what is buffered. */
  stop?(): Promise<void>;
}
