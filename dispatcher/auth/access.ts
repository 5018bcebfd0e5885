// Access rules every service applies to the caller; routes only authenticate.
import { STAFF_ROLES, type User, type UserRole } from "../../protocol/index.ts";
import { DomainError } from "../errors.ts";

export const ANYONE: readonly UserRole[] = [...STAFF_ROLES, "responder"];

export function requireRole(user: User, roles: readonly UserRole[]): void {
  if (!roles.includes(user.role)) {
    throw new DomainError("forbidden", `this needs one of the roles: ${roles.join(", ")}`, {
      roles: [...roles],
    });
  }
}

export function requireStaff(user: User): void {
  requireRole(user, STAFF_ROLES);
}

export function isResponder(user: User): boolean {
  return user.role === "responder";
}

/** The caller's responder id: a responder login, or forbidden. */
export function requireResponder(user: User): number {
  requireRole(user, ["responder"]);
  if (user.responderId === null) throw new DomainError("forbidden", "this account is not a responder");
  return user.responderId;
}

/**
 * The communities whose residents, cases, responders and devices a user may see; null = all.
 * Every query that lists or reads such records filters by it. No per-user limits are stored yet,
 * so every staff user sees all communities until the user register adds them.
 */
export function communityScope(_user: User): readonly number[] | null {
  return null;
}
