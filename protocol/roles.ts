// The role matrix, as data: which roles may take each action. The dispatcher's services enforce
// it (dispatcher/auth/access.ts); the console reads the same table to show each role its own
// console, so a button a role may not use is never shown. A staff user may further be limited to
// communities (User.communityIds), which every query, socket room and export respects.
import type { UserRole } from "./domain.ts";

const ALL_STAFF = ["admin", "dispatcher", "manager"] as const satisfies readonly UserRole[];

export const PERMISSIONS = {
  /** The queue, the map, a case file, its calls: read-only dispatch. */
  "case.read": ALL_STAFF,
  /** Acknowledge, assign, escalate, note, cancel, resolve on a responder's behalf, follow up, log calls. */
  "case.dispatch": ["admin", "dispatcher"],
  /** KPIs and the case CSV (the duty desk watches today's figures too). */
  "report.read": ALL_STAFF,
  /** The device-health list and a device's record (never its secret). */
  "device.read": ALL_STAFF,
  /** Enrol a device, give it a new secret, move it to another resident, retire it. */
  "device.manage": ["admin"],
  /** Search and read residents' records. */
  "resident.read": ALL_STAFF,
  /** Enrol, correct who and where a resident is, retire; bulk import. */
  "resident.enrol": ["admin"],
  /** A resident's care facts: emergency contacts, conditions, medicines, key-holder. */
  "resident.care": ["admin", "dispatcher"],
  /** Which volunteer is paired with a household (结对). */
  "resident.pairing": ["admin", "manager"],
  /** The responder roster and records. */
  "responder.read": ALL_STAFF,
  /** Enrol, change and retire responders and their phone logins. */
  "responder.manage": ["admin", "manager"],
  /** Service orders: place one for a resident, assign or publish it, cancel it. */
  "order.manage": ["admin", "dispatcher", "manager"],
  /** Duty rosters: shift patterns and exceptions (leave, extra shifts). */
  "roster.manage": ["admin", "manager"],
  /** Staff accounts: create, change role and communities, disable, reset passwords. */
  "user.manage": ["admin"],
  /** The change history of the records a user may read. */
  "audit.read": ALL_STAFF,
  /** Platform settings. */
  "settings.manage": ["admin"],
  /** The phone app: duty, position, own offers and cases. */
  "responder.self": ["responder"],
  /** Invite a resident's emergency contacts to the family circle, set what they are told and may see. */
  "family.manage": ["admin", "dispatcher"],
  /** The family view: one's own elders' cases, "I'm on my way". */
  "family.self": ["family"],
} as const satisfies Record<string, readonly UserRole[]>;

export type Permission = keyof typeof PERMISSIONS;
export const PERMISSION_NAMES = Object.keys(PERMISSIONS) as Permission[];

export function can(role: UserRole, permission: Permission): boolean {
  return (PERMISSIONS[permission] as readonly UserRole[]).includes(role);
}

/** Roles that may be limited to communities (an admin always sees every community). */
export const SCOPED_ROLES = ["dispatcher", "manager"] as const satisfies readonly UserRole[];
