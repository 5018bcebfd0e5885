// Bearer-token sessions stored hashed in the DB: a leaked database does not leak live tokens.
import { createHash, randomBytes } from "node:crypto";
import type { PrismaClient } from "../../generated/prisma/client.ts";
import { StaffRoleSchema, type User } from "../../protocol/index.ts";
import { DomainError } from "../errors.ts";
import { verifyPassword } from "./password.ts";

const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");

export class SessionService {
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
    const session = await this.prisma.session.findUnique({
      where: { id: hashToken(token) },
      include: { user: true },
    });
    if (!session || session.expiresAt.getTime() < this.now())
      throw new DomainError("unauthorized", "session expired; log in again");
    return toUser(session.user);
  }

  async logout(token: string): Promise<void> {
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
    role: StaffRoleSchema.parse(row.role),
    responderId: row.responderId,
  };
}
