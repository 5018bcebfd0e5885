// Acknowledging what needs action: a case's alarm, or one stored alert, each through its own call.
import { api } from "../api.ts";
import { store } from "../store.ts";
import type { NeedsAction } from "./useAlarm.ts";

export async function acknowledge(item: NeedsAction): Promise<void> {
  if (item.type === "case") store.upsertCase(await api.ack(item.c.id));
  else store.upsertAlert(await api.ackAlert(item.alert.id));
}

/** Exactly these, each on its own; the first failure is thrown after all were tried. */
export async function acknowledgeAll(items: readonly NeedsAction[]): Promise<void> {
  const results = await Promise.allSettled(items.map(acknowledge));
  const failed = results.find((r) => r.status === "rejected");
  if (failed) throw failed.reason;
}
