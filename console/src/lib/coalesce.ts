// Coalesces bursts of realtime deltas into one flush per animation frame (traccar-web throttles
// its socket the same way): a hundred `responder:updated` in one frame cost one store update.

export type Scheduler = (flush: () => void) => () => void;

export interface Coalescer<T> {
  push(item: T): void;
  /** Applies whatever is queued now (e.g. before a snapshot replaces the store). */
  flush(): void;
  /** Drops whatever is queued and cancels the pending frame. */
  clear(): void;
  readonly pending: number;
}

/** requestAnimationFrame when there is a window; a 16 ms timer elsewhere (tests, workers). */
const frameScheduler: Scheduler = (flush) => {
  if (typeof requestAnimationFrame === "function") {
    const id = requestAnimationFrame(() => flush());
    return () => cancelAnimationFrame(id);
  }
  const id = setTimeout(flush, 16);
  return () => clearTimeout(id);
};

export function createCoalescer<T>(
  apply: (batch: T[]) => void,
  schedule: Scheduler = frameScheduler,
): Coalescer<T> {
  let queue: T[] = [];
  let cancel: (() => void) | null = null;
  const flush = () => {
    cancel?.();
    cancel = null;
    if (queue.length === 0) return;
    const batch = queue;
    queue = [];
    apply(batch);
  };
  return {
    push(item) {
      queue.push(item);
      cancel ??= schedule(flush);
    },
    flush,
    clear() {
      cancel?.();
      cancel = null;
      queue = [];
    },
    get pending() {
      return queue.length;
    },
  };
}
