// What the logged-in user's role may do (protocol/roles.ts): the console shows only that.
import { can, type Permission } from "../../../protocol/roles.ts";
import { useSession } from "../session.ts";

export function useCan(): (permission: Permission) => boolean {
  const role = useSession()?.user.role;
  return (permission) => role !== undefined && can(role, permission);
}
