// Top-level switch: login, the dispatch console (staff) or the responder phone app.
import { lazy, Suspense, useEffect } from "react";
import { useTranslation } from "react-i18next";
import { homeFor } from "./auth.ts";
import { LoginPage } from "./login/LoginPage.tsx";
import { navigate, useRoute, type Route } from "./router.ts";
import { useSession } from "./session.ts";

// Split so the phone never downloads the map, and the login page loads fast.
const ConsoleApp = lazy(() => import("./shell/ConsoleApp.tsx"));
const ResponderApp = lazy(() => import("./responder/ResponderApp.tsx"));

export function App() {
  const { t } = useTranslation();
  const current = useSession();
  const route = useRoute();
  const target: Route = current ? homeFor(current.user) : "/login";

  useEffect(() => {
    if (route !== target) navigate(target, true);
  }, [route, target]);

  if (!current) return <LoginPage />;
  return (
    <Suspense fallback={<div className="page-loading">{t("common.loading")}</div>}>
      {current.user.role === "responder" ? (
        <ResponderApp key={current.token} session={current} />
      ) : (
        <ConsoleApp key={current.token} session={current} />
      )}
    </Suspense>
  );
}
