// Actions the responder takes on the phone, sent with an Idempotency-Key each. Without network an
// action waits here (kept on the device) and is sent when the phone is back online: the key stays
// the same on every attempt, so the platform carries it out exactly once, and the answer — done or
// refused — is told to the responder in words.
import { useSyncExternalStore } from "react";
import { z } from "zod";
import { CallRequestSchema, type CaseSummary } from "../../../protocol/api.ts";
import { api, ApiError, NetworkError } from "../api.ts";

export const ActionSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("accept"), offerId: z.number(), caseId: z.number() }),
  z.object({ kind: z.literal("decline"), offerId: z.number(), caseId: z.number() }),
  z.object({ kind: z.literal("en_route"), caseId: z.number() }),
  z.object({ kind: z.literal("arrived"), caseId: z.number() }),
  z.object({ kind: z.literal("resolve"), caseId: z.number(), note: z.string() }),
  z.object({ kind: z.literal("note"), caseId: z.number(), text: z.string() }),
  z.object({ kind: z.literal("call"), caseId: z.number(), call: CallRequestSchema }),
  z.object({ kind: z.literal("help"), caseId: z.number(), note: z.string().optional() }),
]);
export type PhoneAction = z.infer<typeof ActionSchema>;

const QueuedSchema = z.object({ key: z.string(), at: z.number(), action: ActionSchema });
export type Queued = z.infer<typeof QueuedSchema>;

/** What became of an action: done (with the case as it now is), refused, or waiting for network. */
export type Outcome =
  { kind: "done"; summary: CaseSummary | null } | { kind: "refused"; error: ApiError } | { kind: "queued" };

async function perform(q: Queued): Promise<CaseSummary | null> {
  const a = q.action;
  switch (a.kind) {
    case "accept":
      return api.acceptOffer(a.offerId, q.key);
    case "decline":
      await api.declineOffer(a.offerId, q.key);
      return null;
    case "en_route":
      return api.enRoute(a.caseId, q.key);
    case "arrived":
      return api.arrived(a.caseId, q.key);
    case "resolve":
      return api.resolve(a.caseId, a.note, q.key);
    case "note":
      return api.addNote(a.caseId, a.text, q.key);
    case "call":
      return api.logCall(a.caseId, a.call, q.key);
    case "help":
      return api.askHelp(a.caseId, a.note, q.key);
  }
}

const newKey = (): string =>
  typeof crypto.randomUUID === "function"
    ? crypto.randomUUID()
    : `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 12)}`;

export interface Outbox {
  /** Sends now; without network keeps it for later. Never throws for a refusal: it is the outcome. */
  run: (action: PhoneAction) => Promise<Outcome>;
  /** Sends what waits, oldest first; stops at the first one that still cannot get through. */
  flush: () => Promise<void>;
  pending: () => readonly Queued[];
  subscribe: (listener: () => void) => () => void;
}

/**
 * `onSent` hears about every queued action once it got an answer (so the app can say "sent" or
 * "refused"); answers to actions sent at once are the caller's to show.
 */
export function createOutbox(
  responderId: number,
  onSent: (q: Queued, outcome: Exclude<Outcome, { kind: "queued" }>) => void,
): Outbox {
  const storageKey = `eldercare.outbox.${responderId}`;
  const listeners = new Set<() => void>();
  let queue: Queued[] = load();
  let flushing: Promise<void> | null = null;

  function load(): Queued[] {
    try {
      const parsed = z.array(QueuedSchema).safeParse(JSON.parse(localStorage.getItem(storageKey) ?? "[]"));
      return parsed.success ? parsed.data : [];
    } catch {
      return [];
    }
  }
  function save(next: Queued[]): void {
    queue = next;
    try {
      localStorage.setItem(storageKey, JSON.stringify(queue));
    } catch {
      // Storage full: the queue lives until the page closes.
    }
    for (const l of listeners) l();
  }

  async function attempt(q: Queued): Promise<Outcome> {
    try {
      return { kind: "done", summary: await perform(q) };
    } catch (err) {
      // No answer at all (or a server fault that decided nothing): try again later with the same key.
      if (err instanceof NetworkError || (err instanceof ApiError && err.status >= 500))
        return { kind: "queued" };
      if (err instanceof ApiError) return { kind: "refused", error: err };
      throw err;
    }
  }

  const outbox: Outbox = {
    async run(action) {
      const q: Queued = { key: newKey(), at: Date.now(), action };
      // Behind others waiting: keep the order the responder did things in.
      if (queue.length > 0) {
        save([...queue, q]);
        void outbox.flush();
        return { kind: "queued" };
      }
      const outcome = await attempt(q);
      if (outcome.kind === "queued") save([...queue, q]);
      return outcome;
    },
    flush() {
      flushing ??= (async () => {
        try {
          while (queue.length > 0) {
            const q = queue[0]!;
            const outcome = await attempt(q);
            if (outcome.kind === "queued") return;
            save(queue.filter((x) => x.key !== q.key));
            onSent(q, outcome);
          }
        } finally {
          flushing = null;
        }
      })();
      return flushing;
    },
    pending: () => queue,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  return outbox;
}

export function usePending(outbox: Outbox): readonly Queued[] {
  return useSyncExternalStore(outbox.subscribe, outbox.pending);
}

/** How far queued actions take a case, so the screen follows the responder's own steps offline. */
export function pendingStatus(
  caseId: number,
  queued: readonly Queued[],
): "en_route" | "on_scene" | "resolved" | null {
  let status: "en_route" | "on_scene" | "resolved" | null = null;
  for (const { action: a } of queued) {
    if (a.caseId !== caseId) continue;
    if (a.kind === "en_route" && status === null) status = "en_route";
    if (a.kind === "arrived" && status !== "resolved") status = "on_scene";
    if (a.kind === "resolve") status = "resolved";
  }
  return status;
}
