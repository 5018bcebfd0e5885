// Top-level switch: login, the dispatch console (staff) or the responder phone app.
import { lazy, Suspense, useEffect } from "react";
import { useTranslation } from "react-i18next";
import { homeFor } from "./auth.ts";
import { FamilyLogin } from "./family/FamilyLogin.tsx";
import { LoginPage } from "./login/LoginPage.tsx";
import { navigate, useRoute, type Route } from "./router.ts";
import { useSession } from "./session.ts";

// Split so the phone never downloads the map, and the login page loads fast.
const ConsoleApp = lazy(() => import("./shell/ConsoleApp.tsx"));
const ResponderApp = lazy(() => import("./responder/ResponderApp.tsx"));
const FamilyApp = lazy(() => import("./family/FamilyApp.tsx"));

export function App() {
  const { t } = useTranslation();
  const current = useSession();
  const route = useRoute();
  // Signed out, the family page is its own sign-in (phone + code); everyone else logs in at /login.
  const target: Route = current ? homeFor(current.user) : route === "/family" ? "/family" : "/login";

  useEffect(() => {
    if (route !== target) navigate(target, true);
  }, [route, target]);

  if (!current) return route === "/family" ? <FamilyLogin /> : <LoginPage />;
  return (
    <Suspense fallback={<div className="page-loading">{t("common.loading")}</div>}>
      {current.user.role === "family" ? (
        <FamilyApp key={current.token} session={current} />
      ) : current.user.role === "responder" ? (
        <ResponderApp key={current.token} session={current} />
      ) : (
        <ConsoleApp key={current.token} session={current} />
      )}
    </Suspense>
  );
}
