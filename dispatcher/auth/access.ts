// Access rules every service applies to the caller; routes only authenticate. What each role may
// do is the role matrix in protocol/roles.ts (data, shared with the console); which communities a
// staff user may see is their scope. A record outside the caller's scope is "not found", so a
// limited user cannot even learn that it exists.
import {
  PERMISSIONS,
  SCOPED_ROLES,
  STAFF_ROLES,
  can,
  type Permission,
  type User,
  type UserRole,
} from "../../protocol/index.ts";
import { DomainError } from "../errors.ts";

/**
 * The caller as the services see it: who, with which role, limited to which communities, and
 * (for the audit log) the address the request came from.
 */
export type Principal = User & { ip?: string | null };

export const ANYONE: readonly UserRole[] = [...STAFF_ROLES, "responder"];

export function requireRole(user: Principal, roles: readonly UserRole[]): void {
  if (!roles.includes(user.role)) {
    throw new DomainError("forbidden", `this needs one of the roles: ${roles.join(", ")}`, {
      roles: [...roles],
    });
  }
}

/** The caller's role may take this action (protocol/roles.ts), or forbidden. */
export function requirePermission(user: Principal, permission: Permission): void {
  if (!can(user.role, permission)) {
    throw new DomainError(
      "forbidden",
      `${permission} needs one of the roles: ${PERMISSIONS[permission].join(", ")}`,
      {
        permission,
        roles: [...PERMISSIONS[permission]],
      },
    );
  }
}

export function requireStaff(user: Principal): void {
  requireRole(user, STAFF_ROLES);
}

export function isResponder(user: Principal): boolean {
  return user.role === "responder";
}

/** The caller's responder id: a responder login, or forbidden. */
export function requireResponder(user: Principal): number {
  requireRole(user, ["responder"]);
  if (user.responderId === null) throw new DomainError("forbidden", "this account is not a responder");
  return user.responderId;
}

/**
 * The communities whose residents, cases, responders and devices a user may see; null = all.
 * Every query that lists or reads such records filters by it. Admins always see every community;
 * dispatchers and managers may be limited to some.
 */
export function communityScope(user: Principal): readonly number[] | null {
  if (!(SCOPED_ROLES as readonly UserRole[]).includes(user.role)) return null;
  return user.communityIds;
}

export function inScope(user: Principal, communityId: number): boolean {
  const scope = communityScope(user);
  return scope === null || scope.includes(communityId);
}

/** A record of another community reads as not found (its existence is not the caller's business). */
export function requireInScope(user: Principal, communityId: number, what: string): void {
  if (!inScope(user, communityId)) throw new DomainError("not_found", `${what} not found`);
}
