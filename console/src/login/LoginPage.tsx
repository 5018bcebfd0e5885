import { useEffect, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { login } from "../auth.ts";
import { useAsyncAction } from "../hooks/useAsync.ts";
import { LangSwitch } from "../shell/LangSwitch.tsx";

export function LoginPage() {
  const { t } = useTranslation();
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const action = useAsyncAction(login);

  useEffect(() => {
    document.title = `${t("login.title")} · ${t("app.shortTitle")}`;
  }, [t]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!action.busy) void action.run(username.trim(), password);
  };

  return (
    <main className="login">
      <form className="login-card" onSubmit={submit} aria-labelledby="login-title">
        <div className="login-head">
          <h1 id="login-title">{t("app.shortTitle")}</h1>
          <LangSwitch />
        </div>
        <p className="muted">{t("login.subtitle")}</p>
        <label className="field">
          <span>{t("login.username")}</span>
          <input
            data-testid="login-username"
            name="username"
            autoComplete="username"
            autoCapitalize="none"
            required
            autoFocus
            value={username}
            onChange={(e) => setUsername(e.target.value)}
          />
        </label>
        <label className="field">
          <span>{t("login.password")}</span>
          <input
            data-testid="login-password"
            name="password"
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </label>
        {action.error && (
          <p className="form-error" role="alert" data-testid="login-error">
            {t("login.failed", { message: action.error })}
          </p>
        )}
        <button
          className="btn btn-primary btn-big"
          type="submit"
          data-testid="login-submit"
          disabled={action.busy}
        >
          {action.busy ? t("login.submitting") : t("login.submit")}
        </button>
      </form>
    </main>
  );
}
