// Listeners for one kind of thing heard on the realtime socket, for the screens that show it (the
// one socket stays in realtime.ts).
export interface Channel<T> {
  emit: (value: T) => void;
  /** Returns the unsubscribe function (an effect's cleanup). */
  on: (listener: (value: T) => void) => () => void;
}

export function channel<T>(): Channel<T> {
  const listeners = new Set<(value: T) => void>();
  return {
    emit: (value) => {
      for (const l of listeners) l(value);
    },
    on: (listener) => {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
  };
}
