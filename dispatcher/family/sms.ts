// The SMS gateway behind a webhook (docs/family.md, "SMS gateway"): each message is POSTed as JSON
// to the operator's URL, signed with HMAC-SHA256 of the body, and the provider's adapter sends it.
// Delivery is fire-and-forget after the commit, retried a few times with backoff; a failure is
// logged and counted, never thrown into the case engine.
import { createHmac, randomUUID } from "node:crypto";
import type { Clock } from "../clock.ts";
import type { TaskReporter } from "../platform-health.ts";

export const SIGNATURE_HEADER = "x-eldercare-signature";

/** The body of one webhook request. */
export interface SmsRequest {
  /** Unique per message; a retry repeats it, so the receiver can drop duplicates. */
  id: string;
  to: string;
  text: string;
  kind: "code" | "case";
  caseId: number | null;
  at: string;
}

export interface SmsGateway {
  readonly configured: boolean;
  /** Sends in the background (retried); resolves once delivered or given up. Never rejects. */
  send(message: { to: string; text: string; kind: SmsRequest["kind"]; caseId?: number }): Promise<boolean>;
}

/** No gateway configured: nothing is sent, and the platform says so (codes are read out by staff). */
export const NO_SMS: SmsGateway = { configured: false, send: () => Promise.resolve(false) };

export interface WebhookOptions {
  url: string;
  secret: string;
  clock: Clock;
  tasks: TaskReporter;
  /** Delays before each retry, ms. */
  retryMs?: readonly number[];
  timeoutMs?: number;
}

export function signature(secret: string, body: string): string {
  return `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
}

export function webhookSmsGateway(o: WebhookOptions): SmsGateway {
  const retries = o.retryMs ?? [1000, 5000, 30_000];
  const attempt = async (body: string): Promise<"ok" | "retry" | "refused"> => {
    try {
      const res = await fetch(o.url, {
        method: "POST",
        headers: { "content-type": "application/json", [SIGNATURE_HEADER]: signature(o.secret, body) },
        body,
        signal: AbortSignal.timeout(o.timeoutMs ?? 10_000),
      });
      await res.body?.cancel();
      if (res.ok) return "ok";
      // A 4xx (but 429) is the receiver refusing this message: sending it again would not help.
      return res.status === 429 || res.status >= 500 ? "retry" : "refused";
    } catch {
      return "retry";
    }
  };
  return {
    configured: true,
    async send(m) {
      const request: SmsRequest = {
        id: randomUUID(),
        to: m.to,
        text: m.text,
        kind: m.kind,
        caseId: m.caseId ?? null,
        at: new Date(o.clock.now()).toISOString(),
      };
      const body = JSON.stringify(request);
      for (let i = 0; ; i++) {
        const result = await attempt(body);
        if (result === "ok") {
          o.tasks.taskSucceeded("sms webhook");
          return true;
        }
        const delay = retries[i];
        if (result === "refused" || delay === undefined) {
          o.tasks.taskFailed("sms webhook", new Error(`SMS ${request.id} not delivered (${result})`), {
            kind: m.kind,
            caseId: request.caseId,
          });
          return false;
        }
        await new Promise((r) => setTimeout(r, delay).unref());
      }
    },
  };
}
