// Login / logout flows shared by the console and the phone app.
import { api, ApiError, setUnauthorizedHandler } from "./api.ts";
import { navigate, type Route } from "./router.ts";
import { session } from "./session.ts";
import { store } from "./store.ts";
import type { User } from "../../protocol/api.ts";

export function homeFor(user: User): Route {
  if (user.role === "family") return "/family";
  return user.role === "responder" ? "/responder" : "/";
}

export async function login(username: string, password: string): Promise<void> {
  const res = await api.login(username, password).catch((err: unknown) => {
    // On the login form a 401 means the credentials, not an expired session.
    if (err instanceof ApiError && err.status === 401)
      throw new ApiError(401, "bad_credentials", err.message);
    throw err;
  });
  session.set({ token: res.token, user: res.user });
  navigate(homeFor(res.user), true);
}

function forget(): void {
  const family = session.get()?.user.role === "family";
  session.set(null);
  store.reset();
  // Family sign in with a code, on their own page.
  navigate(family ? "/family" : "/login", true);
}

export async function logout(): Promise<void> {
  try {
    await api.logout();
  } catch {
    // Already expired or the server is down: forgetting the token locally is what matters.
  }
  forget();
}

// Any 401 from an authenticated call: the session is gone, back to the login page.
setUnauthorizedHandler(() => {
  if (session.get()) forget();
});
