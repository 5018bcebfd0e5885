// Sends one message to every browser a responder (or a family member) subscribed with. web-push does the Web Push
// protocol's part (VAPID JWT, RFC 8291 aes128gcm encryption); the request itself goes through
// fetch with a timeout. A push service answering 404/410 has dropped the subscription for good
// (RFC 8030 §7.3), so it is deleted; other failures are counted and logged.
import webpush from "web-push";
import type { Logger } from "pino";
import type { PushLanguage, PushMessage } from "../../protocol/index.ts";
import type { Clock } from "../clock.ts";
import type { SqlDatabase } from "../db/sql.ts";
import * as repo from "./repository.ts";

export interface VapidKeys {
  publicKey: string;
  privateKey: string;
}

export interface PushOutcome {
  endpoint: string;
  status: number | null;
  /** delivered: accepted by the push service; gone: subscription deleted; failed: try next time. */
  result: "delivered" | "gone" | "failed";
}

export interface SenderOptions {
  subject: string;
  timeoutMs: number;
}

export class PushSender {
  constructor(
    private readonly db: SqlDatabase,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly vapid: () => VapidKeys,
    private readonly options: SenderOptions,
    /** Called when subscriptions were deleted, so counts elsewhere can follow. */
    private readonly onGone: (owner: repo.PushOwner) => void,
  ) {}

  /** `ttlSeconds`: how long the push service may hold it for an offline phone (0 = now or never). */
  async send(
    owner: repo.PushOwner,
    message: (lang: PushLanguage) => PushMessage,
    ttlSeconds: number,
  ): Promise<PushOutcome[]> {
    const subs = await repo.subscriptionsOf(this.db, owner);
    const outcomes = await Promise.all(subs.map((s) => this.sendOne(s, message(s.lang), ttlSeconds)));
    if (outcomes.some((o) => o.result === "gone")) this.onGone(owner);
    return outcomes;
  }

  private async sendOne(
    sub: repo.SubscriptionRow,
    message: PushMessage,
    ttlSeconds: number,
  ): Promise<PushOutcome> {
    const endpoint = sub.endpoint;
    let status: number | null = null;
    try {
      const { publicKey, privateKey } = this.vapid();
      const req = webpush.generateRequestDetails(
        { endpoint, keys: { p256dh: sub.p256dh, auth: sub.auth } },
        JSON.stringify(message),
        {
          vapidDetails: { subject: this.options.subject, publicKey, privateKey },
          TTL: Math.max(0, Math.round(ttlSeconds)),
          urgency: message.urgent ? "high" : "normal",
          // A withdrawal waiting at the push service replaces the offer it ends (RFC 8030 §5.4).
          topic: message.tag,
          contentEncoding: "aes128gcm",
        },
      );
      const res = await fetch(req.endpoint, {
        method: req.method,
        headers: req.headers as Record<string, string>,
        body: req.body ? new Uint8Array(req.body) : null,
        signal: AbortSignal.timeout(this.options.timeoutMs),
        redirect: "error",
      });
      status = res.status;
      await res.body?.cancel();
      if (res.ok) {
        await this.db.write((tx) => repo.markDelivered(tx, sub.id, this.clock.now()));
        return { endpoint, status, result: "delivered" };
      }
      if (status === 404 || status === 410) {
        await this.db.write((tx) => repo.deleteById(tx, sub.id));
        this.logger.info(
          { responderId: sub.responderId, userId: sub.userId, status },
          "push subscription expired; deleted",
        );
        return { endpoint, status, result: "gone" };
      }
      throw new Error(`push service answered ${status}`);
    } catch (err) {
      this.logger.warn(
        { err, responderId: sub.responderId, userId: sub.userId, status, kind: message.kind },
        "push failed",
      );
      await this.db.write((tx) => repo.markFailed(tx, sub.id)).catch(() => undefined);
      return { endpoint, status, result: "failed" };
    }
  }
}
