// The push feature's service: a responder's phone or a family member's browser registers its
// subscription (or drops it at logout), and other features send it messages. VAPID keys are made on first start and kept
// in the settings store, so every restart (and every instance) signs with the same key.
import webpush from "web-push";
import type { Logger } from "pino";
import {
  type PushKey,
  type PushLanguage,
  type PushMessage,
  type PushSubscriptionRequest,
  PushSubscriptionRequestSchema,
  type User,
} from "../../protocol/index.ts";
import { requireResponder, type Principal } from "../auth/access.ts";
import type { Clock } from "../clock.ts";
import type { SqlDatabase } from "../db/sql.ts";
import { DomainError } from "../errors.ts";
import { settingOrCreate } from "../settings/repository.ts";
import { endpointAllowed, type OriginPattern } from "./endpoint-policy.ts";
import * as repo from "./repository.ts";
import { PushSender, type PushOutcome, type VapidKeys } from "./sender.ts";

const VAPID_SETTING = "push.vapid";

export interface PushServiceDeps {
  db: SqlDatabase;
  clock: Clock;
  logger: Logger;
  subject: string;
  allowedOrigins: readonly OriginPattern[];
  timeoutMs?: number;
}

export class PushService {
  private keys: VapidKeys | null = null;
  private readonly counts = new Map<number, number>();
  private readonly sender: PushSender;

  constructor(private readonly deps: PushServiceDeps) {
    this.sender = new PushSender(
      deps.db,
      deps.clock,
      deps.logger,
      () => this.vapid(),
      { subject: deps.subject, timeoutMs: deps.timeoutMs ?? 10_000 },
      (owner) => void this.recount(owner),
    );
  }

  async start(): Promise<void> {
    this.keys = await settingOrCreate(
      this.deps.db,
      VAPID_SETTING,
      () => webpush.generateVAPIDKeys(),
      this.deps.clock.now(),
    );
    for (const { responderId, n } of await repo.subscriptionCounts(this.deps.db)) {
      this.counts.set(responderId, Number(n));
    }
  }

  private vapid(): VapidKeys {
    if (!this.keys) throw new DomainError("unavailable", "push is not started");
    return this.keys;
  }

  key(user: User): PushKey {
    ownerOf(user);
    return { publicKey: this.vapid().publicKey };
  }

  async subscribe(user: User, req: PushSubscriptionRequest): Promise<void> {
    const owner = ownerOf(user);
    const s = PushSubscriptionRequestSchema.parse(req);
    if (!endpointAllowed(s.endpoint, this.deps.allowedOrigins)) {
      throw new DomainError("bad_request", "this push endpoint is not a known push service", {
        fields: [{ path: "endpoint", code: "not_allowed", message: "not a known push service" }],
      });
    }
    await this.deps.db.write((tx) =>
      repo.upsertSubscription(
        tx,
        owner,
        { endpoint: s.endpoint, p256dh: s.keys.p256dh, auth: s.keys.auth, lang: s.lang },
        this.deps.clock.now(),
      ),
    );
    await this.recountAll();
  }

  async unsubscribe(user: User, endpoint: string): Promise<void> {
    const owner = ownerOf(user);
    await this.deps.db.write((tx) => repo.deleteSubscription(tx, endpoint, owner));
    await this.recount(owner);
  }

  /** How many browsers of this responder get pushes (presence counts a push-only phone as reachable). */
  devices(responderId: number): number {
    return this.counts.get(responderId) ?? 0;
  }

  /** Fire and forget next to the socket: a failure is logged, never thrown. */
  deliver(responderId: number, message: (lang: PushLanguage) => PushMessage, ttlSeconds: number): void {
    if (this.devices(responderId) === 0 || !this.keys) return;
    void this.send({ responderId }, message, ttlSeconds);
  }

  /** To every browser of a family user; fire and forget like `deliver`. */
  deliverToFamily(
    familyUserId: number,
    message: (lang: PushLanguage) => PushMessage,
    ttlSeconds: number,
  ): void {
    if (!this.keys) return;
    void this.send({ familyUserId }, message, ttlSeconds);
  }

  send(
    owner: repo.PushOwner,
    message: (lang: PushLanguage) => PushMessage,
    ttlSeconds: number,
  ): Promise<PushOutcome[]> {
    return this.sender.send(owner, message, ttlSeconds).catch((err: unknown) => {
      this.deps.logger.error({ err, ...owner }, "push delivery failed");
      return [];
    });
  }

  private async recount(owner: repo.PushOwner): Promise<void> {
    if (!("responderId" in owner)) return;
    const { responderId } = owner;
    const n = (await repo.subscriptionsOf(this.deps.db, owner)).length;
    if (n > 0) this.counts.set(responderId, n);
    else this.counts.delete(responderId);
  }

  /** A subscription may have moved from another responder (a shared phone, a new login). */
  private async recountAll(): Promise<void> {
    this.counts.clear();
    for (const { responderId, n } of await repo.subscriptionCounts(this.deps.db)) {
      this.counts.set(responderId, Number(n));
    }
  }
}

/** A responder's phone or a family member's browser; staff get no push. */
function ownerOf(user: Principal): repo.PushOwner {
  if (user.role === "family") return { familyUserId: user.id };
  return { responderId: requireResponder(user) };
}
