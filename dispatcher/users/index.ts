// The users feature: the register of staff accounts and of responders' phone logins.
import type { AuthService } from "../auth/service.ts";
import type { Feature } from "../feature.ts";
import { userRoutes } from "./routes.ts";
import { UserService, type UserServiceDeps } from "./service.ts";

export function createUsersFeature(deps: UserServiceDeps & { auth: AuthService }) {
  const service = new UserService(deps);
  return { name: "users", service, router: userRoutes(deps.auth, service) } satisfies Feature & {
    service: UserService;
  };
}
