// Logins and bearer-token sessions, stored hashed: a leaked database does not leak live tokens.
// Logins are guarded against guessing (login-guard.ts), answer in the same time whether the user
// exists or not, and every success, failure and lockout is in the audit log (never the password).
// When a session ends (logout, expiry, the user's sessions revoked) its live sockets are told to go.
// A disabled account is refused at once; the user register ends a user's sessions when their
// account changes (disabled, role, communities, password).
import { createHash, randomBytes } from "node:crypto";
import type { Logger } from "pino";
import { z } from "zod";
import { UserRoleSchema, type ActorType, type LoginResponse, type User } from "../../protocol/index.ts";
import { recordAudit } from "../audit/repository.ts";
import type { Clock } from "../clock.ts";
import { parseJson, type SqlDatabase } from "../db/sql.ts";
import { DomainError } from "../errors.ts";
import { LoginGuard, type LoginGuardOptions } from "./login-guard.ts";
import { hashPassword, verifyPassword } from "./password.ts";
import * as repo from "./repository.ts";

/** A logged-in caller and the session they use. */
export interface SessionInfo {
  user: User;
  sessionId: string;
  expiresAt: number;
}

/**
 * Which live sessions must end now: one, or every session of a user (disabled, password reset),
 * but the one `except` names (the session that changed its own password).
 */
export type SessionsEnded = { sessionId: string } | { userId: number; except?: string };

/** Verified against when the username is unknown, so that answer takes as long as a wrong password. */
const DUMMY_HASH = hashPassword(randomBytes(16).toString("hex"));

const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");

export interface AuthOptions {
  sessionHours: number;
  guard?: LoginGuardOptions;
  /** Phones post their position every few seconds: repeat requests are answered from memory. */
  cacheMs?: number;
  maxCachedSessions?: number;
}

const DEFAULTS = { cacheMs: 30_000, maxCachedSessions: 10_000 } as const;

export class AuthService {
  private readonly cache = new Map<string, { session: SessionInfo; until: number }>();
  private readonly options: Required<Omit<AuthOptions, "guard">>;
  private readonly guard: LoginGuard;
  private readonly endedListeners = new Set<(ended: SessionsEnded) => void>();
  /** Bumped when sessions end: a session read before that is not cached after it. */
  private endings = 0;

  constructor(
    private readonly db: SqlDatabase,
    private readonly clock: Clock,
    options: AuthOptions,
    private readonly logger?: Logger,
  ) {
    const { guard, ...rest } = options;
    this.options = { ...DEFAULTS, ...rest };
    this.guard = new LoginGuard(guard);
  }

  /** `address`: the client's IP, for the guard and the audit log. */
  async login(username: string, password: string, address = "unknown"): Promise<LoginResponse> {
    const verdict = await this.guard.check(username, address);
    if (!verdict.allowed) {
      throw new DomainError("rate_limited", "too many failed logins; try again later", {
        retryAfterSeconds: verdict.retryAfterSeconds,
      });
    }
    const row = await repo.findUser(this.db, username);
    // The same work and the same message either way: neither time nor text reveals who exists.
    const ok = await verifyPassword(password, row?.passwordHash ?? (await DUMMY_HASH));
    const now = this.clock.now();
    const actor = row
      ? {
          type:
            row.role === "responder"
              ? ("responder" as const)
              : row.role === "family"
                ? ("family" as const)
                : ("staff" as const),
          id: String(row.id),
          name: row.username,
        }
      : { type: "system" as const, id: null, name: null };
    const audit = { at: now, actor, entity: "user", entityId: row ? String(row.id) : null, ip: address };
    if (!row || !ok) {
      const { locked } = await this.guard.failed(username, address);
      // The refusal must not depend on the audit log being writable.
      await this.db
        .write(async (tx) => {
          await recordAudit(tx, { ...audit, action: "login_failed" });
          if (locked) await recordAudit(tx, { ...audit, action: "login_locked" });
        })
        .catch((err: unknown) => this.logger?.warn({ err }, "login failure not audited"));
      throw new DomainError("unauthorized", "wrong username or password");
    }
    if (row.disabled === 1) {
      throw new DomainError("forbidden", "this account is disabled", { reason: "disabled" });
    }
    await this.guard.succeeded(username);
    return this.openSession(toUser(row), address, audit.actor);
  }

  /**
   * A new session for a user another feature has verified (a family member's one-time code),
   * audited as a login like a password login.
   */
  async openSession(
    user: User,
    address: string,
    actor: { type: ActorType; id: string | null; name: string | null },
  ): Promise<LoginResponse> {
    const now = this.clock.now();
    const token = randomBytes(32).toString("base64url");
    await this.db.write(async (tx) => {
      await repo.insertSession(tx, {
        id: hashToken(token),
        userId: user.id,
        createdAt: now,
        expiresAt: now + this.options.sessionHours * 3600_000,
      });
      await recordAudit(tx, {
        at: now,
        actor,
        entity: "user",
        entityId: String(user.id),
        ip: address,
        action: "login",
      });
    });
    return { token, user };
  }

  async authenticate(token: string | undefined): Promise<User> {
    return (await this.session(token)).user;
  }

  /** The caller and their session (sockets need its id and end). */
  async session(token: string | undefined): Promise<SessionInfo> {
    if (!token) throw new DomainError("unauthorized", "log in first");
    const id = hashToken(token);
    const now = this.clock.now();
    const cached = this.cache.get(id);
    if (cached && cached.until > now) return cached.session;
    const endingsBefore = this.endings;
    const found = await this.sessionById(id);
    if (!found) {
      this.cache.delete(id);
      throw new DomainError("unauthorized", "session expired; log in again");
    }
    if (this.cache.size >= this.options.maxCachedSessions) this.cache.clear();
    if (this.endings === endingsBefore) {
      this.cache.set(id, { session: found, until: Math.min(now + this.options.cacheMs, found.expiresAt) });
    }
    return found;
  }

  /** The session as stored now, or null once it ended (no cache: sockets re-check with it). */
  async sessionById(sessionId: string): Promise<SessionInfo | null> {
    const row = await repo.findSession(this.db, sessionId);
    if (!row || row.expiresAt < this.clock.now() || row.disabled === 1) return null;
    return { user: toUser(row), sessionId, expiresAt: row.expiresAt };
  }

  async logout(token: string): Promise<void> {
    const id = hashToken(token);
    this.cache.delete(id);
    await this.db.write((tx) => repo.deleteSession(tx, id));
    this.announce({ sessionId: id });
  }

  /**
   * Ends every session of a user at once (disabled, role or communities changed, password reset),
   * but `keepToken`'s if given: their sockets close too. The cache forgets them first and the
   * sockets close even if the delete fails, so the next request reads the account as it is now.
   */
  async endSessionsOf(userId: number, keepToken?: string): Promise<void> {
    const keep = keepToken === undefined ? null : hashToken(keepToken);
    this.endings++;
    for (const [id, c] of this.cache) if (c.session.user.id === userId && id !== keep) this.cache.delete(id);
    try {
      await this.db.write((tx) => repo.deleteSessionsOf(tx, userId, keep));
    } finally {
      this.announce(keep === null ? { userId } : { userId, except: keep });
    }
  }

  /** Told whenever sessions end before their time (the realtime edge disconnects their sockets). */
  onSessionsEnded(listener: (ended: SessionsEnded) => void): void {
    this.endedListeners.add(listener);
  }

  private announce(ended: SessionsEnded): void {
    for (const l of this.endedListeners) l(ended);
  }
}

const CommunityIds = z.array(z.number().int()).nullable();

function toUser(row: repo.UserRow): User {
  return {
    id: row.id,
    username: row.username,
    displayName: row.displayName,
    role: UserRoleSchema.parse(row.role),
    responderId: row.responderId,
    communityIds: CommunityIds.parse(parseJson(row.communityIds)),
  };
}
