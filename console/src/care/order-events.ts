// Service-order changes and reminders heard on the realtime socket, for the screens that list
// orders (they reload on each): the one socket stays in realtime.ts.
import type { ServiceOrder } from "../../../protocol/api.ts";

export type OrderEvent = { kind: "updated" | "reminder"; order: ServiceOrder };
const listeners = new Set<(e: OrderEvent) => void>();

export function orderEvent(e: OrderEvent): void {
  for (const l of listeners) l(e);
}

export function onOrderEvent(listener: (e: OrderEvent) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
