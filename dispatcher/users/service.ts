// The user register: staff accounts (role, communities, disabled) and passwords, and the phone
// logins that go with responders. When an account is disabled or its role or communities change,
// or its password is set, the user's sessions end at once (and their open sockets with them): they
// log in again and get the rights they now have. A disabled account is refused from the commit on,
// even before its sessions are deleted.
import { HIDDEN } from "../../protocol/process.ts";
import type {
  Page,
  PasswordChange,
  UserCreate,
  UserListQuery,
  UserPatch,
  UserRecord,
} from "../../protocol/index.ts";
import { createdFields, diffFields } from "../audit/repository.ts";
import type { AuditLog } from "../audit/service.ts";
import { requirePermission, type Principal } from "../auth/access.ts";
import { hashPassword, verifyPassword } from "../auth/password.ts";
import type { AuthService } from "../auth/service.ts";
import type { Clock } from "../clock.ts";
import type { Queryable, SqlDatabase, Tx } from "../db/sql.ts";
import { DomainError } from "../errors.ts";
import * as repo from "./repository.ts";

export interface UserServiceDeps {
  db: SqlDatabase;
  clock: Clock;
  audit: AuditLog;
  auth: Pick<AuthService, "endSessionsOf">;
}

const PASSWORD_CHANGE = { password: [HIDDEN, HIDDEN] } as const;

export class UserService {
  constructor(private readonly deps: UserServiceDeps) {}

  async list(user: Principal, query: UserListQuery): Promise<Page<UserRecord>> {
    requirePermission(user, "user.manage");
    const { items, total } = await repo.search(this.deps.db, {
      term: query.q ? query.q.toLowerCase() : null,
      role: query.role ?? null,
      limit: query.pageSize,
      offset: (query.page - 1) * query.pageSize,
    });
    return { items, total, page: query.page, pageSize: query.pageSize };
  }

  /** An admin reads anyone; everyone reads themselves. */
  async get(user: Principal, id: number): Promise<UserRecord> {
    if (id !== user.id) requirePermission(user, "user.manage");
    return repo.withoutHash(await this.find(this.deps.db, id));
  }

  /** For the audit log: only user managers read accounts' histories. */
  requireReadable(user: Principal): Promise<void> {
    requirePermission(user, "user.manage");
    return Promise.resolve();
  }

  async create(user: Principal, input: UserCreate): Promise<UserRecord> {
    requirePermission(user, "user.manage");
    const passwordHash = await hashPassword(input.password);
    const id = await this.deps.db.write(async (tx) => {
      await this.checkCommunities(tx, input.role, input.communityIds);
      await this.requireFreeUsername(tx, input.username);
      const fields = {
        username: input.username,
        displayName: input.displayName,
        role: input.role,
        communityIds: input.communityIds,
      };
      const id = await repo.insertUser(tx, {
        ...fields,
        passwordHash,
        responderId: null,
        at: this.deps.clock.now(),
      });
      await this.deps.audit.record(tx, user, {
        action: "create",
        entity: "user",
        id,
        changes: { ...createdFields(fields), ...PASSWORD_CHANGE },
      });
      return id;
    });
    return this.get(user, id);
  }

  async update(user: Principal, id: number, patch: UserPatch): Promise<UserRecord> {
    requirePermission(user, "user.manage");
    const endSessions = await this.deps.db.write(async (tx) => {
      const current = await this.find(tx, id);
      const before = {
        displayName: current.displayName,
        role: current.role,
        communityIds: current.communityIds,
        disabled: current.disabled,
      };
      const after = { ...before, ...patch };
      const changes = diffFields(before, after);
      if (Object.keys(changes).length === 0) return false;
      if (current.role === "responder" && "role" in changes) {
        throw conflict(
          "responder_account",
          "a responder's login keeps its role; retire the responder instead",
        );
      }
      if ("communityIds" in changes || "role" in changes)
        await this.checkCommunities(tx, after.role, after.communityIds);
      // Nobody locks the platform out of its own administration.
      const losesAdmin = current.role === "admin" && (after.role !== "admin" || after.disabled);
      if (losesAdmin && !current.disabled && (id === user.id || (await repo.activeAdmins(tx)) <= 1)) {
        throw conflict("last_admin", "an admin cannot demote or disable themselves, nor the last admin");
      }
      await repo.updateUser(tx, id, after);
      await this.deps.audit.record(tx, user, { action: "update", entity: "user", id, changes });
      return (after.disabled && !before.disabled) || "role" in changes || "communityIds" in changes;
    });
    if (endSessions) await this.deps.auth.endSessionsOf(id);
    return this.get(user, id);
  }

  /**
   * An admin resets anyone's password (every session of that user ends); a user changes their own
   * with the old one (their other sessions end, this one stays).
   */
  async setPassword(
    user: Principal,
    id: number,
    change: PasswordChange,
    currentToken: string | null,
  ): Promise<void> {
    const own = id === user.id;
    if (!own) requirePermission(user, "user.manage");
    const target = await this.find(this.deps.db, id);
    if (own) {
      if (
        change.oldPassword === undefined ||
        !(await verifyPassword(change.oldPassword, target.passwordHash))
      ) {
        throw new DomainError("bad_request", "the old password is wrong", {
          fields: [
            { path: "oldPassword", code: "custom", message: "wrong_password", rule: "wrong_password" },
          ],
        });
      }
    }
    const passwordHash = await hashPassword(change.password);
    await this.deps.db.write(async (tx) => {
      await repo.setPasswordHash(tx, id, passwordHash);
      await this.deps.audit.record(tx, user, {
        action: own ? "change_password" : "reset_password",
        entity: "user",
        id,
        changes: PASSWORD_CHANGE,
      });
    });
    await this.deps.auth.endSessionsOf(id, own && currentToken !== null ? currentToken : undefined);
  }

  // ---- for the responder register: the phone login that goes with a responder ----

  async accountsOf(q: Queryable, responderIds: readonly number[]): Promise<UserRecord[]> {
    return (await repo.findByResponder(q, responderIds)).map(repo.withoutHash);
  }

  /** Hashing is slow: done before the transaction that creates the account. */
  hashPassword(password: string): Promise<string> {
    return hashPassword(password);
  }

  /** Inside the responder's enrolment. */
  async createResponderAccountTx(
    tx: Tx,
    user: Principal,
    a: { username: string; displayName: string; passwordHash: string; responderId: number },
  ): Promise<number> {
    await this.requireFreeUsername(tx, a.username);
    const fields = {
      username: a.username,
      displayName: a.displayName,
      role: "responder" as const,
      responderId: a.responderId,
    };
    const id = await repo.insertUser(tx, {
      ...fields,
      passwordHash: a.passwordHash,
      communityIds: null,
      at: this.deps.clock.now(),
    });
    await this.deps.audit.record(tx, user, {
      action: "create",
      entity: "user",
      id,
      changes: { ...createdFields(fields), ...PASSWORD_CHANGE },
    });
    return id;
  }

  /** Inside a responder's retirement: their login is disabled. Call `changed` after the commit: its sessions end. */
  async disableTx(tx: Tx, user: Principal, id: number): Promise<void> {
    const current = await this.find(tx, id);
    if (current.disabled) return;
    await repo.updateUser(tx, id, { ...current, disabled: true });
    await this.deps.audit.record(tx, user, {
      action: "update",
      entity: "user",
      id,
      changes: { disabled: [false, true] },
    });
  }

  changed(id: number): Promise<void> {
    return this.deps.auth.endSessionsOf(id);
  }

  // ----

  private async find(q: Queryable, id: number): Promise<repo.UserWithHash> {
    const found = await repo.findUser(q, id);
    if (!found) throw new DomainError("not_found", `user ${id} not found`);
    return found;
  }

  private async requireFreeUsername(q: Queryable, username: string): Promise<void> {
    if (await repo.usernameTaken(q, username)) {
      throw new DomainError("conflict", `the username ${username} is taken`, {
        rule: "username_taken",
        fields: [{ path: "username", code: "custom", message: "username_taken", rule: "username_taken" }],
      });
    }
  }

  /** Only dispatchers and managers are limited to communities, and only to communities that exist. */
  private async checkCommunities(q: Queryable, role: string, ids: number[] | null): Promise<void> {
    if (ids === null) return;
    if (role === "admin") {
      throw new DomainError("bad_request", "an admin always sees every community", {
        fields: [{ path: "communityIds", code: "custom", message: "admin_scope", rule: "admin_scope" }],
      });
    }
    const known = new Set(await repo.existingCommunities(q, ids));
    const unknown = ids.filter((c) => !known.has(c));
    if (unknown.length > 0) {
      throw new DomainError("bad_request", `no such communities: ${unknown.join(", ")}`, {
        fields: [
          { path: "communityIds", code: "custom", message: "unknown_community", rule: "unknown_community" },
        ],
      });
    }
  }
}

function conflict(rule: string, message: string): DomainError {
  return new DomainError("conflict", message, { rule });
}
