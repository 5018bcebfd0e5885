// Logins and bearer-token sessions, stored hashed: a leaked database does not leak live tokens.
// A disabled account is refused at once, and a change to an account (role, communities,
// disabled, password) counts from the next request: the user register calls userChanged().
import { createHash, randomBytes } from "node:crypto";
import { z } from "zod";
import { UserRoleSchema, type LoginResponse, type User } from "../../protocol/index.ts";
import type { Clock } from "../clock.ts";
import { parseJson, type SqlDatabase, type Tx } from "../db/sql.ts";
import { DomainError } from "../errors.ts";
import { verifyPassword } from "./password.ts";
import * as repo from "./repository.ts";

const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");

export interface AuthOptions {
  sessionHours: number;
  /** Phones post their position every few seconds: repeat requests are answered from memory. */
  cacheMs?: number;
  maxCachedSessions?: number;
}

const DEFAULTS = { cacheMs: 30_000, maxCachedSessions: 10_000 } as const;

export class AuthService {
  private readonly cache = new Map<string, { user: User; until: number }>();
  /** Bumped by userChanged(): a session read before a change is not cached after it. */
  private changes = 0;
  private readonly listeners: ((userId: number) => void)[] = [];
  private readonly options: Required<AuthOptions>;

  constructor(
    private readonly db: SqlDatabase,
    private readonly clock: Clock,
    options: AuthOptions,
  ) {
    this.options = { ...DEFAULTS, ...options };
  }

  async login(username: string, password: string): Promise<LoginResponse> {
    const row = await repo.findUser(this.db, username);
    // Same message either way: don't reveal which usernames exist.
    if (!row || !(await verifyPassword(password, row.passwordHash))) {
      throw new DomainError("unauthorized", "wrong username or password");
    }
    if (row.disabled === 1) {
      throw new DomainError("forbidden", "this account is disabled", { reason: "disabled" });
    }
    const token = randomBytes(32).toString("base64url");
    const now = this.clock.now();
    await this.db.write((tx) =>
      repo.insertSession(tx, {
        id: hashToken(token),
        userId: row.id,
        createdAt: now,
        expiresAt: now + this.options.sessionHours * 3600_000,
      }),
    );
    return { token, user: toUser(row) };
  }

  async authenticate(token: string | undefined): Promise<User> {
    if (!token) throw new DomainError("unauthorized", "log in first");
    const id = hashToken(token);
    const now = this.clock.now();
    const cached = this.cache.get(id);
    if (cached && cached.until > now) return cached.user;
    const changesBefore = this.changes;
    const session = await repo.findSession(this.db, id);
    if (!session || session.expiresAt < now) {
      this.cache.delete(id);
      throw new DomainError("unauthorized", "session expired; log in again");
    }
    if (session.disabled === 1) {
      this.cache.delete(id);
      throw new DomainError("unauthorized", "this account is disabled");
    }
    const user = toUser(session);
    if (this.cache.size >= this.options.maxCachedSessions) this.cache.clear();
    // Only if no account changed while the session was read.
    if (this.changes === changesBefore) {
      this.cache.set(id, { user, until: Math.min(now + this.options.cacheMs, session.expiresAt) });
    }
    return user;
  }

  async logout(token: string): Promise<void> {
    const id = hashToken(token);
    this.cache.delete(id);
    await this.db.write((tx) => repo.deleteSession(tx, id));
  }

  /** Inside the caller's transaction: ends the user's sessions, all but `keepToken`'s. */
  endSessions(tx: Tx, userId: number, keepToken: string | null = null): Promise<void> {
    return repo.deleteSessionsOf(tx, userId, keepToken === null ? null : hashToken(keepToken));
  }

  /**
   * After a committed change to a user's account: cached sessions are forgotten, so the next
   * request reads the account again, and listeners (open sockets) follow at once.
   */
  userChanged(userId: number): void {
    this.changes++;
    for (const [key, entry] of this.cache) if (entry.user.id === userId) this.cache.delete(key);
    for (const listener of this.listeners) listener(userId);
  }

  onUserChanged(listener: (userId: number) => void): void {
    this.listeners.push(listener);
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
