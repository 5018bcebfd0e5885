// REST DTOs of the user register: staff accounts with their role and communities, disabled
// accounts, passwords.
import { z } from "zod";
import { STAFF_ROLES, UserRoleSchema } from "./domain.ts";
import { PageQuerySchema, pageSchema } from "./paging.ts";
import { id, isoDate } from "./wire.ts";

export const UsernameSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9][a-z0-9._-]{2,31}$/, "3–32 letters, digits, '.', '_' or '-'");

/** Long enough to resist guessing; nothing else is imposed (a passphrase is fine). */
export const PasswordSchema = z.string().min(8).max(200);

export const StaffRoleSchema = z.enum(STAFF_ROLES);

const displayName = z.string().trim().min(1).max(40);
/** Null: every community. */
const communityIds = z.array(id.positive()).min(1).max(500).nullable();

export const UserRecordSchema = z.object({
  id,
  username: z.string(),
  displayName: z.string(),
  role: UserRoleSchema,
  responderId: id.nullable(),
  communityIds: z.array(id).nullable(),
  disabled: z.boolean(),
  createdAt: isoDate,
});
export type UserRecord = z.infer<typeof UserRecordSchema>;

export const UserCreateSchema = z.strictObject({
  username: UsernameSchema,
  displayName,
  role: StaffRoleSchema,
  password: PasswordSchema,
  communityIds: communityIds.default(null),
});
export type UserCreate = z.infer<typeof UserCreateSchema>;

export const UserPatchSchema = z
  .strictObject({ displayName, role: StaffRoleSchema, communityIds, disabled: z.boolean() })
  .partial()
  .refine((p) => Object.keys(p).length > 0, "nothing to change");
export type UserPatch = z.infer<typeof UserPatchSchema>;

/** An admin resets anyone's password; a user changes their own with the old one. */
export const PasswordChangeSchema = z.strictObject({
  password: PasswordSchema,
  oldPassword: z.string().min(1).max(200).optional(),
});
export type PasswordChange = z.infer<typeof PasswordChangeSchema>;

export const UserListQuerySchema = PageQuerySchema.extend({
  q: z.string().trim().max(60).optional(),
  role: UserRoleSchema.optional(),
});
export type UserListQuery = z.infer<typeof UserListQuerySchema>;

export const UserPageSchema = pageSchema(UserRecordSchema);
