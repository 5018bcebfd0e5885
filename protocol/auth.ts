// REST DTOs of logging in and out.
import { z } from "zod";
import { UserRoleSchema } from "./domain.ts";
import { id } from "./wire.ts";

export const LoginRequestSchema = z.object({
  username: z.string().min(1).max(64),
  password: z.string().min(1).max(200),
});
export type LoginRequest = z.infer<typeof LoginRequestSchema>;

export const UserSchema = z.object({
  id,
  username: z.string(),
  displayName: z.string(),
  role: UserRoleSchema,
  responderId: id.nullable(),
  /** Communities a staff user is limited to; null = all. */
  communityIds: z.array(id).nullable().default(null),
});
export type User = z.infer<typeof UserSchema>;

export const LoginResponseSchema = z.object({ token: z.string(), user: UserSchema });
export type LoginResponse = z.infer<typeof LoginResponseSchema>;
