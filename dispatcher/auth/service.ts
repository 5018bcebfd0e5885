// Bearer-token sessions stored hashed in the DB: a leaked database does not leak live tokens.
import { createHash, randomBytes } from "node:crypto";
import type { PrismaClient } from "../../generated/prisma/client.ts";
import { UserRoleSchema, type User } from "../../protocol/index.ts";
import { DomainError } from "../errors.ts";
import { verifyPassword } from "./password.ts";

const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");

const CACHE_MS = 30_000;
const MAX_CACHED_SESSIONS = 10_000;

export class SessionService {
  private readonly cache = new Map<string, { user: User; until: number }>();

  constructor(
    private readonly prisma: PrismaClient,
    private readonly sessionHours: number,
    private readonly now: () => number = Date.now,
  ) {}

  async login(username: string, password: string): Promise<{ token: string; user: User }> {
    const row = await this.prisma.user.findUnique({ where: { username } });
    // Same message either way: don't reveal which usernames exist.
    if (!row || !(await verifyPassword(password, row.passwordHash))) {
      throw new DomainError("unauthorized", "wrong username or password");
    }
    const token = randomBytes(32).toString("base64url");
    await this.prisma.session.create({
      data: {
        id: hashToken(token),
        userId: row.id,
        createdAt: new Date(this.now()),
        expiresAt: new Date(this.now() + this.sessionHours * 3600_000),
      },
    });
    return { token, user: toUser(row) };
  }

  async authenticate(token: string | undefined): Promise<User> {
    if (!token) throw new DomainError("unauthorized", "log in first");
    const id = hashToken(token);
    // Phones post their position every few seconds: answer repeat requests from memory.
    const cached = this.cache.get(id);
    if (cached && cached.until > this.now()) return cached.user;
    const session = await this.prisma.session.findUnique({ where: { id }, include: { user: true } });
    if (!session || session.expiresAt.getTime() < this.now()) {
      this.cache.delete(id);
      throw new DomainError("unauthorized", "session expired; log in again");
    }
    const user = toUser(session.user);
    if (this.cache.size >= MAX_CACHED_SESSIONS) this.cache.clear();
    this.cache.set(id, { user, until: Math.min(this.now() + CACHE_MS, session.expiresAt.getTime()) });
    return user;
  }

  async logout(token: string): Promise<void> {
    this.cache.delete(hashToken(token));
    await this.prisma.session.deleteMany({ where: { id: hashToken(token) } });
  }
}

function toUser(row: {
  id: number;
  username: string;
  displayName: string;
  role: string;
  responderId: number | null;
}): User {
  return {
    id: row.id,
    username: row.username,
    displayName: row.displayName,
    role: UserRoleSchema.parse(row.role),
    responderId: row.responderId,
  };
}
